"""The coordinators' manual in Chinese (docs/zh/, issue 21): it is linked from README.zh-CN.md, its
links between its pages lead to files that exist, and every `$ aimama …` line it shows names a
command aimama has, so the manual cannot send a coordinator to a command that does not exist."""

from __future__ import annotations

import re

from conftest import PROJECT
from test_cli_help import command_tree
from test_readme_zh import command_lines
from typer.core import TyperGroup

MANUAL = PROJECT / "docs" / "zh"
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted(MANUAL.glob("*.md"))}
GLOBAL_OPTIONS = re.compile(r"--(?:lang|root)(?:=|\s+)\S+")  # options before the command, with a value


def command_of(line: str, commands: dict[str, object]) -> str | None:
    """`pair team create` for `aimama --lang zh pair team create T… --by-team T…`: the longest
    leading words that name a command (not a group), or None."""
    words = GLOBAL_OPTIONS.sub("", line.split("aimama ", 1)[1]).split()
    for size in (3, 2, 1):
        name = " ".join(words[:size])
        if name in commands and not isinstance(commands[name], TyperGroup):
            return name
    return None


def test_the_manual_is_linked_from_the_top_of_the_chinese_readme():
    top = "\n".join((PROJECT / "README.zh-CN.md").read_text(encoding="utf-8").splitlines()[:5])
    assert "(docs/zh/README.md)" in top


def test_the_index_links_to_pages_that_exist():
    linked = set(re.findall(r"\]\(([^)#]+\.md)", PAGES["README.md"]))
    assert linked, "docs/zh/README.md links to no page"
    missing = {link for link in linked if not (MANUAL / link).resolve().is_file()}
    assert not missing, "docs/zh/README.md links to missing files: " + ", ".join(sorted(missing))


def test_every_command_line_of_the_manual_is_a_command_aimama_has():
    commands = {" ".join(path): command for path, command in command_tree("en") if path}
    lines = {(name, line) for name, text in PAGES.items() for line in command_lines(text)}
    assert len(lines) > 30, "the manual shows fewer command lines than expected"
    unknown = sorted(f"{name}: {line}" for name, line in lines if command_of(line, commands) is None)
    assert not unknown, "not a command of aimama:\n" + "\n".join(unknown)


def test_a_made_up_command_is_caught():
    commands = {" ".join(path): command for path, command in command_tree("en") if path}
    assert command_of("aimama --lang zh pair team create T1 --by-team T2", commands) == "pair team create"
    assert command_of("aimama check --list-rules", commands) == "check"
    assert command_of("aimama pledge remind --year 2027", commands) is None
    assert command_of("aimama pair", commands) is None

"""README.zh-CN.md, the coordinators' README, keeps in step with README.md (issue 21): every
command line it shows is one README.md shows, every command README.md's tour uses is in it, and
its pictures of `aimama --help` are what aimama prints."""

from __future__ import annotations

import re

from conftest import PROJECT, run

ZH = (PROJECT / "README.zh-CN.md").read_text(encoding="utf-8")
EN = (PROJECT / "README.md").read_text(encoding="utf-8")
PROMPT = re.compile(r"^\$ (.*\baimama .*?)\s*(?:#.*)?$", re.M)  # a command line, its comment cut
SCREENSHOTS = ("aimama --lang zh --help", "aimama --lang zh child add --help")


def command_lines(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", line.rstrip("\\ ")) for line in PROMPT.findall(text)}


def command_names(text: str) -> set[str]:
    """`aimama pair suggest`, `aimama check`: the commands a text runs (a group and its command)."""
    from test_cli_help import command_tree

    paths = {" ".join(path) for path, _ in command_tree("en") if path}
    found = set()
    for line in command_lines(text):
        words = [w for w in line.split("aimama ", 1)[1].split() if not w.startswith("-")]
        for size in (2, 1):
            if " ".join(words[:size]) in paths:
                found.add(" ".join(words[:size]))
                break
    return found


def test_the_chinese_readme_is_linked_from_the_top_of_the_readme():
    assert "(README.zh-CN.md)" in "\n".join(EN.splitlines()[:5])
    assert "(README.md)" in "\n".join(ZH.splitlines()[:5])


def test_every_command_line_of_the_chinese_readme_is_one_of_the_readme():
    stray = command_lines(ZH) - command_lines(EN) - set(SCREENSHOTS)
    assert not stray, "in README.zh-CN.md, not in README.md (copy it from there):\n" + "\n".join(sorted(stray))


def test_every_command_of_the_readme_tour_is_in_the_chinese_readme():
    missing = {name for name in command_names(EN) if f"aimama {name}" not in ZH}
    assert not missing, "commands README.md shows and README.zh-CN.md does not: " + ", ".join(sorted(missing))


def test_the_screenshots_of_help_are_what_aimama_prints():
    flat = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - click wraps where it likes
    for command in SCREENSHOTS:
        shown = ZH.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
        printed = flat(run(*command.split()[1:]).output.replace("root", "aimama", 1))
        wrong = [line for line in shown.splitlines() if line.strip() not in ("", "...")
                 and flat(line) not in printed]
        assert not wrong, f"{command}: lines aimama does not print:\n" + "\n".join(wrong)

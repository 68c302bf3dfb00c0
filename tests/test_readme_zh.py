"""README.zh-CN.md, the coordinators' README, keeps in step with README.md (issue 21): every
command line it shows is one README.md shows, every command README.md's tour uses is in it, and
its pictures of `aimama --help` (docs/zh/images/*.svg) are what aimama prints."""

from __future__ import annotations

import html
import re

from conftest import PROJECT

from aimama_cli.cli import screenshots
from aimama_cli.cli.docs import help_text

ZH = (PROJECT / "README.zh-CN.md").read_text(encoding="utf-8")
EN = (PROJECT / "README.md").read_text(encoding="utf-8")
PROMPT = re.compile(r"^\$ (.*\baimama .*?)\s*(?:#.*)?$", re.M)  # a command line, its comment cut


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
    stray = command_lines(ZH) - command_lines(EN)
    assert not stray, "in README.zh-CN.md, not in README.md (copy it from there):\n" + "\n".join(sorted(stray))


def test_every_command_of_the_readme_tour_is_in_the_chinese_readme():
    missing = {name for name in command_names(EN) if f"aimama {name}" not in ZH}
    assert not missing, "commands README.md shows and README.zh-CN.md does not: " + ", ".join(sorted(missing))


def svg_lines(svg: str) -> list[str]:
    """The lines of text a terminal picture shows (rich draws a line as one or more <text>, each
    clipped to its line)."""
    lines: dict[int, str] = {}
    for line, text in re.findall(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>([^<]*)</text>', svg):
        lines[int(line)] = lines.get(int(line), "") + html.unescape(text).replace("\xa0", " ")
    return [lines[n] for n in sorted(lines)]


def test_the_pictures_of_help_show_what_aimama_prints_and_the_readme_shows_them():
    for name, path in screenshots.SHOTS.items():
        assert f"](docs/zh/images/{name})" in ZH, name
        shown = [line.rstrip() for line in svg_lines((screenshots.FOLDER / name).read_text(encoding="utf-8"))]
        assert shown[0] == screenshots.command_line(path)
        printed = help_text(path, "zh").rstrip("\n").splitlines()
        assert "用法：" in printed[0] and "选项：" in printed
        missing = [line for line in printed if line.strip() and line.rstrip() not in shown]
        assert not missing, (f"docs/zh/images/{name} is out of date (python -m aimama_cli.cli.screenshots):\n"
                             + "\n".join(missing))

"""docs/cli.md: what ``--help`` prints for every command, run through the real command line.

``python -m aimama_cli.cli.docs`` rewrites docs/cli.md, docs/rules.md and docs/records.md; a test
fails when docs/cli.md is out of date. The help is read here, in the CLI layer; the page is laid
out by aimama_cli/reports/docs.py.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from aimama_cli.cli import get_app
from aimama_cli.core.i18n import set_language
from aimama_cli.core.resources import DOCS
from aimama_cli.reports import docs

WIDTH = "80"  # help wrapped at a fixed width, without colour: the same file on every machine


def commands() -> list[tuple[str, ...]]:
    """Every command of ``aimama``, groups and the root included, in the order --help lists them
    (each a tuple of names: ``()`` is ``aimama`` itself)."""
    found: list[tuple[str, ...]] = []

    def walk(command, path: tuple[str, ...]) -> None:
        found.append(path)
        if isinstance(command, TyperGroup):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*path, name))

    try:
        walk(typer.main.get_command(get_app(["--lang", "en"])), ())
    finally:
        set_language(None)
    return found


def help_text(path: tuple[str, ...], lang: str = "en") -> str:
    """What ``aimama --lang LANG PATH --help`` prints."""
    args = ["--lang", lang, *path, "--help"]
    env = {"COLUMNS": WIDTH, "TERMINAL_WIDTH": WIDTH, "NO_COLOR": "1"}
    try:
        result = CliRunner().invoke(get_app(args), args, env=env, prog_name="aimama",
                                    catch_exceptions=False)
    finally:
        set_language(None)
    if result.exit_code != 0:
        raise RuntimeError(f"aimama {' '.join(args)} exited {result.exit_code}: {result.stderr}")
    return result.stdout


def cli_markdown() -> str:
    return docs.cli_markdown([(path, help_text(path)) for path in commands()])


def write() -> None:
    docs.write()
    (DOCS / "cli.md").write_text(cli_markdown(), encoding="utf-8")


if __name__ == "__main__":
    write()

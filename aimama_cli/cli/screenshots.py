"""docs/zh/images/*.svg: pictures of a terminal showing ``aimama --help`` and ``aimama child add
--help`` in Chinese, for README.zh-CN.md (issue 21), drawn from what aimama prints now.

``python -m aimama_cli.cli.screenshots`` rewrites them; a test fails when a line of the help is
missing from its picture. SVG, not PNG: the text is the help's own (a browser draws it with the
reader's Chinese font), and no font is needed on the machine that makes it. Drawn by rich, which
typer brings.
"""

from __future__ import annotations

from aimama_cli.cli.docs import help_text
from aimama_cli.core.resources import DOCS

FOLDER = DOCS / "zh" / "images"
SHOTS = {"help.svg": (), "child-add-help.svg": ("child", "add")}  # the file, the command


def command_line(path: tuple[str, ...]) -> str:
    return " ".join(("$ aimama --lang zh", *path, "--help"))


def svg(path: tuple[str, ...]) -> str:
    """The picture of a terminal in which ``aimama --lang zh PATH --help`` was typed."""
    import io

    from rich.cells import cell_len
    from rich.console import Console
    from rich.text import Text

    lines = [command_line(path), *help_text(path, "zh").rstrip("\n").splitlines()]
    # as wide as the widest line: a Chinese character takes two columns of the terminal
    console = Console(record=True, width=max(map(cell_len, lines)) + 1, force_terminal=True,
                      color_system="truecolor", file=io.StringIO())
    console.print(Text(lines[0], style="bold"))
    console.print(Text("\n".join(lines[1:])), soft_wrap=True)
    return console.export_svg(title=command_line(path)[2:])


def write() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, path in SHOTS.items():
        (FOLDER / name).write_text(svg(path), encoding="utf-8")


if __name__ == "__main__":
    write()

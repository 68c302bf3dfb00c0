"""``aimama diff``: a records summary of a change, for the reviewer of a pull request."""

from __future__ import annotations

from enum import Enum

import typer

from .. import errors, record_diff
from ..i18n import t
from .people import _root


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("diff", help=t("diff.help"))
    def diff_command(
        ctx: typer.Context,
        revisions: str = typer.Argument(..., metavar="REVISIONS", help=t("diff.opt.revisions")),
        fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help=t("diff.opt.format")),
        max_rows: int = typer.Option(50, "--max-rows", min=0, metavar="N", help=t("diff.opt.max_rows")),
    ) -> int:
        report = record_diff.diff(_root(ctx), revisions)
        typer.echo(record_diff.render(report, fmt.value, max_rows))
        return errors.OK

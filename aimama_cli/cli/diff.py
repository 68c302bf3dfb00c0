"""``aimama diff``: a records summary of a change, for the reviewer of a pull request."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import DiffFormat, root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal, json_safe
from aimama_cli.history import diff as record_diff


def register(app: typer.Typer) -> None:
    @app.command("diff", help=t("diff.help"))
    def diff_command(
        ctx: typer.Context,
        revisions: str = typer.Argument(..., metavar="REVISIONS", help=t("diff.opt.revisions")),
        fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help=t("diff.opt.format")),
        max_rows: int = typer.Option(50, "--max-rows", min=0, metavar="N", help=t("diff.opt.max_rows")),
    ) -> int:
        report = record_diff.diff(root_of(ctx), revisions)
        text = record_diff.render(report, fmt.value, max_rows)  # values from records: shown, not obeyed
        typer.echo(json_safe(text) if fmt == DiffFormat.json else for_terminal(text))
        return errors.OK

"""``aimama find TEXT``: records by name, pinyin, initials, id prefix or village."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import TableFormat, root_of
from aimama_cli.core.i18n import t
from aimama_cli.core.text import json_text
from aimama_cli.domain import lookup, session
from aimama_cli.reports.views import simple_table

# each kind's label in the table
KIND_LABEL = {"child": "find.kind.child", "volunteer": "find.kind.volunteer", "team": "find.kind.team",
              "coordinator": "find.kind.coordinator", "case": "find.kind.case"}


def register(app: typer.Typer) -> None:
    @app.command("find", help=t("find.help"))
    def find_command(
        ctx: typer.Context,
        text: str = typer.Argument(..., metavar="TEXT", help=t("find.arg.text")),
        kinds: list[str] = typer.Option(None, "--kind", metavar="KIND", help=t("find.opt.kind")),
        limit: int = typer.Option(50, "--limit", min=1, metavar="N", help=t("find.opt.limit")),
        fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help=t("opt.format")),
    ):
        records = session.records(root_of(ctx))
        found, more = lookup.find(records, text, kinds, limit)
        if fmt == TableFormat.json:
            typer.echo(json_text({"found": [f.as_json() for f in found], "more": more}))
            return
        if not found:
            typer.echo(t("find.none", text=text))
            return
        rows = [[t(KIND_LABEL[f.kind]), f.id, f.name, f.village_name or (f.village or ""), f.about or ""]
                for f in found]
        typer.echo(simple_table(rows, [t(f"find.col.{c}") for c in ("kind", "id", "name", "place", "about")]))
        if more:
            typer.echo(t("find.more", shown=len(found)), err=True)

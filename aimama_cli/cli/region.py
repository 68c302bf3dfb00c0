"""``aimama region add|list|import``: the divisions of records/regions.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from aimama_cli.cli.options import COMMON, ListFormat, option, report_saved, root_of
from aimama_cli.core.i18n import t
from aimama_cli.core.text import json_text
from aimama_cli.domain import regions

COLUMNS = ("code", "name", "level", "parent", "children")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=f'{t("region.help")}\n\n{t("region.example")}', no_args_is_help=True,
                      rich_markup_mode=None)

    @sub.command("add", help=t("region.add.help"))
    def add(ctx: typer.Context,
            code: str = typer.Argument(..., metavar="CODE", help=t("region.arg.code")),
            name: str = typer.Argument(..., metavar="NAME", help=t("region.arg.name")),
            parent: str = option("--parent", "region.opt.parent", "CODE"),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        region, saved = regions.add(root_of(ctx), code, name, parent=parent, commit=not no_commit,
                                    dry_run=dry_run)
        report_saved(saved, "region.added", dry_run, code=region.code, name=region.name,
                     level=regions.level_label(region.level))

    @sub.command("list", help=t("region.list.help"))
    def list_command(ctx: typer.Context,
                     under: str = option("--under", "region.opt.under", "CODE"),
                     fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help=t("opt.format"))):
        rows = regions.listing(root_of(ctx), under)
        if fmt == ListFormat.json:
            typer.echo(json_text(rows))
            return
        from aimama_cli.reports import sheets

        sheet = sheets.Sheet("regions", t("region.list.title", count=len(rows)), list(COLUMNS),
                             [t(f"region.col.{c}") for c in COLUMNS],
                             [[r["code"], r["name"], regions.level_label(r["level"]) if fmt == ListFormat.table else r["level"],
                               r["parent"] or "", r["children"]] for r in rows])
        typer.echo(sheets.text([sheet]) if fmt == ListFormat.table else sheets.csv_text([sheet], people=False))

    @sub.command("import", help=t("region.import.help"))
    def import_command(ctx: typer.Context,
                       file: Path = typer.Argument(..., metavar="FILE", help=t("region.import.arg.file")),
                       sheet: str = option("--sheet", "import.opt.sheet", "NAME"),
                       no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        done = regions.import_file(root_of(ctx), file, sheet=sheet, commit=not no_commit, dry_run=dry_run)
        for region in done.added:
            typer.echo(f"  {region.code}  {regions.level_label(region.level)}  {region.name}")
        key = "region.imported" + (".dry_run" if dry_run else "")
        typer.echo(t(key, count=len(done.added), known=done.known, outside=done.outside, file=file.name))
        if done.added and not dry_run:
            typer.echo(t("change.committed", commit=done.commit[:10]) if done.commit else t("change.not_committed"))

    app.add_typer(sub, name="region")

"""``aimama export roster|hours``: the roster and volunteers' service hours as coordinators hand them on (XLSX or CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import ExportFormat, parse_as_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.store import layout


def register(app: typer.Typer) -> None:
    exporter = typer.Typer(help=t("export.help"), no_args_is_help=True, rich_markup_mode=None)
    _export_roster(exporter)
    _export_hours(exporter)
    _export_facts(exporter)
    app.add_typer(exporter, name="export")


def _export_roster(sub: typer.Typer) -> None:
    @sub.command("roster", help=t("export.roster.help"))
    def roster_command(
        ctx: typer.Context,
        region: str = region_option(None, "export.opt.region"),
        fmt: ExportFormat = typer.Option(None, "--format", "-f", help=t("export.opt.format")),
        output: str = typer.Option(None, "--output", "-o", metavar="FILE", help=t("export.opt.output")),
        as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
        reveal: bool = typer.Option(False, "--reveal", help=t("export.opt.reveal")),
        redact: bool = typer.Option(False, "--redact", help=t("export.opt.redact")),
    ) -> int:
        from aimama_cli.reports.roster_export import build_roster, write_csv, write_xlsx

        day = parse_as_of(as_of)
        root = layout.find_root(ctx.obj["root"])
        chosen = _format(fmt, output)
        roster = build_roster(root, region=region, as_of=day, reveal=reveal, redact=redact)
        target = output or f"roster-{region or 'all'}-{day.isoformat()}.{chosen}"
        _write(target, chosen, roster, write_csv, write_xlsx)
        typer.echo(t("export.done", path=target, children=len(roster.rows),
                     villages=len(roster.villages)), err=target == "-")
        if not reveal:
            typer.echo(t("export.redacted" if redact else "export.masked"), err=True)
        return errors.OK


def _export_hours(sub: typer.Typer) -> None:
    @sub.command("hours", help=t("export.hours.help"))
    def hours_command(
        ctx: typer.Context,
        year: int = typer.Option(..., "--year", metavar="YEAR", help=t("export.hours.opt.year")),
        region: str = region_option(None, "export.hours.opt.region"),
        fmt: ExportFormat = typer.Option(None, "--format", "-f", help=t("export.opt.format")),
        output: str = typer.Option(None, "--output", "-o", metavar="FILE", help=t("export.hours.opt.output")),
        reveal: bool = typer.Option(False, "--reveal", help=t("export.hours.opt.reveal")),
        redact: bool = typer.Option(False, "--redact", help=t("export.hours.opt.redact")),
    ) -> int:
        from aimama_cli.reports.hours_export import build_hours, hours_text, write_csv, write_xlsx

        root = layout.find_root(ctx.obj["root"])
        chosen = _format(fmt, output)
        hours = build_hours(root, year=year, region=region, reveal=reveal, redact=redact)
        target = output or f"hours-{year}-{region or 'all'}.{chosen}"
        _write(target, chosen, hours, write_csv, write_xlsx)
        typer.echo(t("export.hours.done", path=target, rows=len(hours.rows), volunteers=hours.volunteers,
                     hours=hours_text(hours.total)), err=target == "-")
        if not reveal:
            typer.echo(t("export.hours.redacted" if redact else "export.hours.masked"), err=True)
        return errors.OK


def _export_facts(sub: typer.Typer) -> None:
    @sub.command("facts", help=t("export.facts.help"))
    def facts_command(
        ctx: typer.Context,
        output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help=t("export.facts.opt.output")),
        as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
        year: int = typer.Option(None, "--year", metavar="YEAR", min=2000, max=2100,
                                 help=t("export.facts.opt.year")),
    ) -> int:
        from aimama_cli.reports.facts import export_facts, needs_engine
        from aimama_cli.rules.checker import open_index

        day = parse_as_of(as_of)
        needs_engine()
        index = open_index(layout.find_root(ctx.obj["root"]))
        try:
            done = export_facts(index, output, day, year)
        except OSError as exc:
            raise errors.UsageError("export.unwritable", path=str(output), detail=exc.strerror or str(exc)) from None
        for manifest in done.manifests:
            typer.echo(t("export.facts.county", county=manifest["county"], name=manifest["county_name"],
                         children=manifest["tables"]["children"]["rows"],
                         volunteers=manifest["tables"]["volunteers"]["rows"],
                         duties=manifest["tables"]["duties"]["rows"]))
        typer.echo(t("export.facts.done", path=str(output), counties=len(done.manifests), day=day.isoformat()))
        return errors.OK


def _format(fmt: ExportFormat | None, output: str | None) -> str:
    """--format, else the extension of --output (csv for standard output), else xlsx."""
    chosen = fmt.value if fmt else ("csv" if output and (output == "-" or output.lower().endswith(".csv"))
                                    else "xlsx")
    if output == "-" and chosen != "csv":
        raise errors.UsageError("export.stdout_xlsx")
    return chosen


def _write(target: str, chosen: str, table, write_csv, write_xlsx) -> None:
    """``table`` to ``target`` (- : standard output): CSV in UTF-8 with a BOM, for Excel."""
    if target == "-":
        write_csv(table, sys.stdout)
        return
    try:
        if chosen == "csv":
            with open(target, "w", encoding="utf-8-sig", newline="") as handle:
                write_csv(table, handle)
        else:
            write_xlsx(table, Path(target))
    except OSError as exc:
        raise errors.UsageError("export.unwritable", path=target, detail=exc.strerror or str(exc)) from None

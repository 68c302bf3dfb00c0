"""``aimama import children|volunteers FILE`` and ``aimama export roster``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from aimama_cli.cli.options import ExportFormat, parse_as_of
from aimama_cli.core import errors
from aimama_cli.store import layout
from aimama_cli.core.i18n import t

PROGRESS_ROWS = 200  # a progress bar for files longer than this, on a terminal


def register(app: typer.Typer) -> None:
    importer = typer.Typer(help=t("import.help"), no_args_is_help=True, rich_markup_mode=None)
    _import_commands(importer)
    app.add_typer(importer, name="import")

    exporter = typer.Typer(help=t("export.help"), no_args_is_help=True, rich_markup_mode=None)
    _export_roster(exporter)
    _export_hours(exporter)
    app.add_typer(exporter, name="export")


def _file():
    return typer.Argument(..., help=t("import.opt.file"), show_default=False)


def _mapping():
    return typer.Option(None, "--mapping", metavar="FILE.yaml", help=t("import.opt.mapping"))


def _sheet():
    return typer.Option(None, "--sheet", help=t("import.opt.sheet"))


def _as_of():
    return typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))


def _dry_run():
    return typer.Option(False, "--dry-run", help=t("import.opt.dry_run"))


def _no_commit():
    return typer.Option(False, "--no-commit", help=t("import.opt.no_commit"))


def _import_commands(sub: typer.Typer) -> None:
    @sub.command("children", help=t("import.children.help"))
    def import_children(ctx: typer.Context, file: Path = _file(), mapping: Path = _mapping(),
                        source: str = typer.Option(None, "--source", help=t("import.opt.source")),
                        sheet: str = _sheet(), as_of: str = _as_of(), dry_run: bool = _dry_run(),
                        no_commit: bool = _no_commit()) -> int:
        return _import(ctx, "child", file, mapping, source, sheet, as_of, dry_run, no_commit)

    @sub.command("volunteers", help=t("import.volunteers.help"))
    def import_volunteers(ctx: typer.Context, file: Path = _file(), mapping: Path = _mapping(),
                          sheet: str = _sheet(), as_of: str = _as_of(), dry_run: bool = _dry_run(),
                          no_commit: bool = _no_commit()) -> int:
        return _import(ctx, "volunteer", file, mapping, None, sheet, as_of, dry_run, no_commit)


def _import(ctx, kind, file, mapping, source, sheet, as_of, dry_run, no_commit) -> int:
    from aimama_cli.domain.roster_import import import_roster

    day = parse_as_of(as_of)
    root = layout.find_root(ctx.obj["root"])
    outcome = import_roster(root, kind, file, mapping=mapping, source=source, sheet=sheet,
                            as_of=day, dry_run=dry_run, commit=not no_commit,
                            progress=_progress_bar)
    _report_import(outcome, file, dry_run)
    return errors.OK


def _progress_bar(rows: list):
    """typer's bar on stderr for a long file on a terminal; the rows themselves otherwise."""
    import contextlib

    if len(rows) < PROGRESS_ROWS or not sys.stderr.isatty():
        return contextlib.nullcontext(rows)
    return typer.progressbar(rows, label=t("import.progress"), file=sys.stderr)


def _report_import(outcome, file: Path, dry_run: bool) -> None:
    for row in outcome.added:
        place = outcome.village_names.get(row.data.get("village"), row.data.get("village", ""))
        typer.echo(t("import.would_add" if dry_run else "import.added", row=row.number,
                     id=row.rid, name=row.name, place=place))
    for row in outcome.skipped:
        typer.echo(t("import.skipped", row=row.number, name=row.name or "-", reason=row.same_as))
    if outcome.unused:
        typer.echo(t("import.unused", headers="、".join(outcome.unused)), err=True)
    what = t(f"import.kind.{outcome.kind}")
    if not outcome.added:
        typer.echo(t("import.nothing", skipped=len(outcome.skipped), kind=what))
    elif dry_run:
        typer.echo(t("import.dry_run_done", count=len(outcome.added), kind=what,
                     skipped=len(outcome.skipped)))
    else:
        typer.echo(t("import.done", count=len(outcome.added), kind=what, file=file.name,
                     skipped=len(outcome.skipped),
                     commit=outcome.commit[:12] if outcome.commit else t("import.not_committed")))


def _export_roster(sub: typer.Typer) -> None:
    @sub.command("roster", help=t("export.roster.help"))
    def roster_command(
        ctx: typer.Context,
        region: str = typer.Option(None, "--region", metavar="CODE", help=t("export.opt.region")),
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
        region: str = typer.Option(None, "--region", metavar="CODE", help=t("export.hours.opt.region")),
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

"""``aimama report coverage|duties|volunteers|cases|activities|training|support|html``:
supervision figures (督导考评), each as a table, JSON, CSV or a workbook, and the dashboard."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path

import typer

from aimama_cli.cli import naming
from aimama_cli.cli.options import ReportFormat, parse_as_of, root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t
from aimama_cli.domain.session import open_index
from aimama_cli.history import records_then
from aimama_cli.reports import cases as report_cases
from aimama_cli.reports import coverage as report_coverage
from aimama_cli.reports import dashboard
from aimama_cli.reports import duties as report_duties
from aimama_cli.reports import sheets as report_sheets
from aimama_cli.reports import teamwork as teamwork_reports
from aimama_cli.reports import volunteers as report_volunteers
from aimama_cli.store.index import Index
from aimama_cli.store.yamlio import atomic_write

Level = Enum("Level", {name: name for name in report_coverage.REPORT_LEVELS}, type=str)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("report.help"), no_args_is_help=True, rich_markup_mode=None)

    def region_option():
        return naming.region_option("", "report.opt.region")

    def level_option():
        return typer.Option(Level.county, "--level", help=t("report.opt.level"))

    def as_of_option():
        return typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))

    def year_option():
        return typer.Option(None, "--year", metavar="YEAR", min=2000, max=2100, help=t("report.opt.year"))

    def format_option():
        return typer.Option(ReportFormat.table, "--format", "-f", help=t("report.opt.format"))

    def history_option():
        return typer.Option(False, "--from-history", help=t("report.opt.history"))

    def output_option():
        return typer.Option(None, "--output", "-o", metavar="FILE", help=t("report.opt.output"))

    def cache_option():
        return typer.Option(False, "--no-cache", help=t("report.opt.no_cache"))

    @sub.command("coverage", help=t("report.coverage.help"))
    def coverage(ctx: typer.Context, region: str = region_option(), level: Level = level_option(),
                 as_of: str = as_of_option(), history: bool = history_option(),
                 fmt: ReportFormat = format_option(), output: Path = output_option(), sheet: str = _sheet_option(),
                 no_cache: bool = cache_option()):
        day = parse_as_of(as_of)
        _check_output(fmt, output)
        index, then = _index(ctx, day, history)
        _emit(report_coverage.coverage(index, day, level.value, region, cache=not no_cache), fmt, output, then, sheet)

    @sub.command("duties", help=t("report.duties.help"))
    def duties(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
               level: Level = level_option(), as_of: str = as_of_option(),
               top: int = typer.Option(10, "--top", min=0, help=t("report.opt.top")),
               history: bool = history_option(), fmt: ReportFormat = format_option(),
               output: Path = output_option(), sheet: str = _sheet_option(), no_cache: bool = cache_option()):
        day = parse_as_of(as_of)
        _check_output(fmt, output)
        index, then = _index(ctx, day, history)
        found = report_duties.duty_report(index, year or day.year, day, level.value, region, top, cache=not no_cache)
        for path in found.unreadable:
            typer.echo(t("duty.unreadable", path=path), err=True)
        programmes = index.names({row.key[0] for row in found.by_duty})
        _emit(found, fmt, output, then, sheet, readable=lambda sheets: report_sheets.by_name(sheets, programmes))

    @sub.command("volunteers", help=t("report.volunteers.help"))
    def volunteers(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
                   level: Level = level_option(), as_of: str = as_of_option(),
                   history: bool = history_option(), fmt: ReportFormat = format_option(),
                   output: Path = output_option(), sheet: str = _sheet_option(), no_cache: bool = cache_option()):
        day = parse_as_of(as_of)
        _check_output(fmt, output)
        index, then = _index(ctx, day, history)
        _emit(report_volunteers.volunteer_report(index, day, year, level.value, region, cache=not no_cache),
              fmt, output, then, sheet)

    @sub.command("cases", help=t("report.cases.help"))
    def cases(ctx: typer.Context, year: int = year_option(), as_of: str = as_of_option(),
              history: bool = history_option(), fmt: ReportFormat = format_option(),
              output: Path = output_option(), sheet: str = _sheet_option()):
        day = parse_as_of(as_of)
        _check_output(fmt, output)
        index, then = _index(ctx, day, history)
        _emit(report_cases.case_report(index, day, year), fmt, output, then, sheet)

    @sub.command("html", help=t("report.html.help"))
    def html(ctx: typer.Context,
             folder: Path = typer.Argument(..., metavar="DIR", help=t("report.html.arg.folder")),
             year: int = year_option(), region: str = region_option(), level: Level = level_option(),
             as_of: str = as_of_option(),
             months: int = typer.Option(12, "--months", min=1, max=120, help=t("report.opt.months")),
             no_cache: bool = cache_option()):
        day = parse_as_of(as_of)
        index = open_index(root_of(ctx))
        context = dashboard.build(index, day, year, level.value, region, months, cache=not no_cache)
        for path in context["unreadable"]:
            typer.echo(t("duty.unreadable", path=path), err=True)
        _write(folder / dashboard.PAGE, lambda page: dashboard.write(page.parent, context))

    _teamwork_reports(sub)
    app.add_typer(sub, name="report")


def _teamwork_reports(sub: typer.Typer) -> None:
    """``report activities|training|support``: team activities, training and the support ledger,
    read from the records as they are now."""

    def year_option():
        return typer.Option(None, "--year", metavar="YEAR", help=t("report.teamwork.opt.year"))

    def format_option():
        return typer.Option(ReportFormat.table, "--format", "-f", help=t("report.opt.format"))

    def output_option():
        return typer.Option(None, "--output", "-o", metavar="FILE", help=t("report.opt.output"))

    def region_option():
        return naming.region_option("", "report.opt.region")

    @sub.command("activities", help=t("report.activities.help"))
    def activities(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
                   fmt: ReportFormat = format_option(), output: Path = output_option(), sheet: str = _sheet_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.activity_report(open_index(root_of(ctx)), year or dt.date.today().year, region), fmt, output, None, sheet)

    @sub.command("training", help=t("report.training.help"))
    def training(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
                 fmt: ReportFormat = format_option(), output: Path = output_option(), sheet: str = _sheet_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.training_report(open_index(root_of(ctx)), year or dt.date.today().year, region), fmt, output, None, sheet)

    @sub.command("support", help=t("report.support.help"))
    def support(ctx: typer.Context, year: int = typer.Option(None, "--year", metavar="YEAR",
                                                             help=t("report.support.opt.year")),
                team: str = typer.Option(None, "--team", metavar="TEAM", help=t("report.support.opt.team")),
                fmt: ReportFormat = format_option(), output: Path = output_option(), sheet: str = _sheet_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.support_report(open_index(root_of(ctx)), year, team), fmt, output, None, sheet)


def _index(ctx: typer.Context, day, history: bool) -> tuple[Index, records_then.Commit | None]:
    """The records as they are, or (``history``) as they were committed on ``day``."""
    root = root_of(ctx)
    return records_then.index_on(root, day) if history else (open_index(root), None)


def _check_output(fmt: ReportFormat, output: Path | None) -> None:
    if fmt == ReportFormat.xlsx and output is None:
        raise errors.UsageError("report.xlsx.output")


def _sheet_option():
    return typer.Option(None, "--sheet", metavar="NAME", help=t("report.opt.sheet"))


def _emit(found, fmt: ReportFormat, output: Path | None, then: records_then.Commit | None,
          sheet: str | None, readable=None) -> None:
    """``found`` (a report with ``as_dict()`` and ``sheets()``) in ``fmt``, to ``output`` or the
    terminal; ``then``: the past commit its records come from, said in the JSON and the table;
    ``sheet``: the one sheet a CSV holds (the first when None); ``readable``: how the table a
    person reads shows the sheets (names for codes), where scripts' CSV and JSON keep codes."""
    if sheet:
        report_sheets.pick(found.sheets(), sheet)  # an unknown name is a usage error in any format
    if fmt == ReportFormat.xlsx:
        return _write(output, lambda path: report_sheets.xlsx(found.sheets(), path))
    if fmt == ReportFormat.json:
        text = json.dumps({**found.as_dict(), "records_at": then and then.as_dict()}, ensure_ascii=False, indent=2)
    elif fmt == ReportFormat.csv:  # codes as headers, for scripts; Chinese headers for people
        text = report_sheets.csv_text(found.sheets(), people=language() == "zh", name=sheet)
    else:
        text = report_sheets.text(readable(found.sheets()) if readable else found.sheets())
        if then:
            text = t("report.records_at", date=then.date[:10], commit=then.id[:10]) + "\n" + text
    if output is None:
        typer.echo(text)
    else:
        _write(output, lambda path: atomic_write(path, text + "\n"))


def _write(path: Path, write) -> None:
    try:
        write(path)
    except OSError as exc:
        raise errors.UsageError("report.unwritable", path=str(path), detail=exc.strerror) from None
    typer.echo(t("report.written", path=str(path)))

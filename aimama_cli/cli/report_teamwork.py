"""``aimama report activities|training|support``: team activities, training and the support
ledger (teamwork_reports.py), as a table, JSON, CSV or a workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from aimama_cli.cli.options import ReportFormat, root_of
from aimama_cli.rules.checker import open_index
from aimama_cli.reports import teamwork as teamwork_reports
from aimama_cli.core.i18n import t
from aimama_cli.store.index import Index
from aimama_cli.cli.report import _check_output
from aimama_cli.cli.report import _emit as emit


def add_reports(sub: typer.Typer) -> None:
    """Add the three reports to the ``report`` sub-app."""

    def year_option():
        return typer.Option(None, "--year", metavar="YEAR", help=t("report.teamwork.opt.year"))

    def format_option():
        return typer.Option(ReportFormat.table, "--format", "-f", help=t("report.opt.format"))

    def output_option():
        return typer.Option(None, "--output", "-o", metavar="FILE", help=t("report.opt.output"))

    def region_option():
        return typer.Option("", "--region", metavar="CODE", help=t("report.opt.region"))

    @sub.command("activities", help=t("report.activities.help"))
    def activities(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
                   fmt: ReportFormat = format_option(), output: Path = output_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.activity_report(_index(ctx), year or dt.date.today().year, region), fmt, output)

    @sub.command("training", help=t("report.training.help"))
    def training(ctx: typer.Context, year: int = year_option(), region: str = region_option(),
                 fmt: ReportFormat = format_option(), output: Path = output_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.training_report(_index(ctx), year or dt.date.today().year, region), fmt, output)

    @sub.command("support", help=t("report.support.help"))
    def support(ctx: typer.Context, year: int = typer.Option(None, "--year", metavar="YEAR",
                                                             help=t("report.support.opt.year")),
                team: str = typer.Option(None, "--team", metavar="TEAM", help=t("report.support.opt.team")),
                fmt: ReportFormat = format_option(), output: Path = output_option()):
        _check_output(fmt, output)
        _emit(teamwork_reports.support_report(_index(ctx), year, team), fmt, output)


def _index(ctx: typer.Context) -> Index:
    return open_index(root_of(ctx))


def _emit(found, fmt: ReportFormat, output: Path | None) -> None:
    emit(found, fmt, output, None)  # the records as they are now

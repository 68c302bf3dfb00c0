"""``aimama report coverage``: supervision figures per region (督导考评)."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from pathlib import Path

import typer

from .. import errors, report_coverage
from ..i18n import language, t
from ..index import Index
from ..schemas import label
from ..yamlio import atomic_write
from . import parse_as_of
from .people import _root

Level = Enum("Level", {name: name for name in report_coverage.REPORT_LEVELS}, type=str)


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("report.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("coverage", help=t("report.coverage.help"))
    def coverage(ctx: typer.Context,
                 region: str = typer.Option("", "--region", metavar="CODE", help=t("report.opt.region")),
                 level: Level = typer.Option(Level.county, "--level", help=t("report.opt.level")),
                 as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
                 fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help=t("report.opt.format")),
                 output: Path = typer.Option(None, "--output", "-o", metavar="FILE", help=t("report.opt.output"))):
        day = parse_as_of(as_of)
        if fmt == ReportFormat.xlsx and output is None:
            raise errors.UsageError("report.xlsx.output")
        root = _root(ctx)
        found = report_coverage.coverage(Index(root).refresh(), day, level.value, region)
        if fmt == ReportFormat.xlsx:
            _write(output, lambda path: _xlsx(found, path))
        elif output is None:
            typer.echo(_render(found, fmt))
        else:
            _write(output, lambda path: atomic_write(path, _render(found, fmt) + "\n"))

    app.add_typer(sub, name="report")


def _write(path: Path, write) -> None:
    try:
        write(path)
    except OSError as exc:
        raise errors.UsageError("report.unwritable", path=str(path), detail=exc.strerror) from None
    typer.echo(t("report.written", path=str(path)))


def _render(found: report_coverage.Coverage, fmt: ReportFormat) -> str:
    if fmt == ReportFormat.json:
        return json.dumps(found.as_dict(), ensure_ascii=False, indent=2)
    keys = report_coverage.columns()
    if fmt == ReportFormat.csv:  # codes as headers, for scripts; Chinese headers for people
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_headers(keys) if language() == "zh" else keys)
        writer.writerows(_rows(found, blank=""))
        return buffer.getvalue().rstrip("\n")
    from tabulate import tabulate

    return (t("report.title", day=found.as_of.isoformat(), level=_level_label(found.level)) + "\n"
            + tabulate(_rows(found, blank="—"), headers=_headers(keys), tablefmt="simple",
                       disable_numparse=True))


def _rows(found: report_coverage.Coverage, blank) -> list[list]:
    """The regions and the totals row, a figure that cannot be worked out (no children) as ``blank``."""
    rows = [report_coverage.flat(f) for f in found.regions]
    total = report_coverage.flat(found.total)
    total[1] = t("report.total")
    return [[blank if v is None else v for v in row] for row in rows + [total]]


def _headers(keys: list[str]) -> list[str]:
    lang = language()
    headers = []
    for key in keys:
        if key.startswith("category."):
            headers.append(label("child", ("categories", "*"), key[9:], lang))
        elif key.startswith("kind."):
            headers.append(label("volunteer", ("kind",), key[5:], lang))
        else:
            headers.append(t(f"report.col.{key}"))
    return headers


def _level_label(level: str) -> str:
    return label("regions", ("regions", "*", "level"), level, language())


def _xlsx(found: report_coverage.Coverage, path: Path) -> None:
    """One sheet: a title row, the header frozen below it, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = found.level
    sheet.append([t("report.title", day=found.as_of.isoformat(), level=_level_label(found.level))])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(_headers(report_coverage.columns()))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows(found, blank=None):
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C3"
    book.save(path)

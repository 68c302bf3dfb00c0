"""``aimama report html DIR``: the three supervision reports on one self-contained page, in
Chinese, with charts drawn as SVG — a leader opens DIR/index.html in a browser, with no server
and nothing fetched, and it prints on A4.

Every figure on the page comes from the same report objects the JSON reports come from; the
key figures carry a ``data-key`` naming their place in that JSON (``coverage.total.paired``),
and the whole JSON is embedded in the page, so a test (or an auditor) can hold one to the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core import i18n
from aimama_cli.core.i18n import t
from aimama_cli.core.templating import render
from aimama_cli.reports import charts
from aimama_cli.reports.coverage import coverage, level_label
from aimama_cli.reports.duties import duty_report
from aimama_cli.reports.sheets import BLANK, by_name
from aimama_cli.reports.trend import paired_by_month
from aimama_cli.reports.volunteers import volunteer_report
from aimama_cli.store.index import Index
from aimama_cli.store.yamlio import atomic_write

PAGE = "index.html"
KEY_FIGURES = (  # (report, path in its JSON, unit)
    ("coverage", "total.children", ""), ("coverage", "total.paired", ""), ("coverage", "total.coverage", "%"),
    ("coverage", "total.priority_paired", ""), ("coverage", "total.priority", ""),
    ("coverage", "total.no_local_volunteer", ""), ("volunteers", "total.active", ""),
    ("volunteers", "total.pledged", ""), ("volunteers", "total.vetting.pending", ""),
    ("volunteers", "total.hours", ""), ("duties", "total.completion", "%"), ("duties", "total.overdue", ""),
)


@contextlib.contextmanager
def chinese():
    before = i18n.language()
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language(before)


def build(index: Index, as_of: dt.date, year: int | None = None, level: str = "county", region: str = "",
          months: int = 12, cache: bool = True) -> dict:
    """Everything the page shows: the reports' JSON and what the template lays out."""
    year = year or as_of.year
    with chinese():
        found = {"coverage": coverage(index, as_of, level, region, cache=cache),
                 "duties": duty_report(index, year, as_of, level, region, cache=cache),
                 "volunteers": volunteer_report(index, as_of, year, level, region, cache=cache)}
        trend = paired_by_month(index, as_of, months, region, cache=cache)
        data = {name: report.as_dict() for name, report in found.items()}
        data["trend"] = [m.as_dict() for m in trend]
        return {
            "title": t("dashboard.title"), "as_of": as_of.isoformat(), "year": year,
            "level": level_label(level), "region": region,
            "figures": [_figure(data, *spec) for spec in KEY_FIGURES],
            "charts": _charts(data),
            "sections": [(t(f"dashboard.section.{name}"), name, by_name(report.sheets(), _programme_names(index, data), Named))
                         for name, report in found.items()],
            "trend": data["trend"], "blank": BLANK,
            "data_json": json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/"),
            "unreadable": found["duties"].unreadable,
        }


@dataclass(frozen=True)
class Named:
    """A cell that shows a record's name, its id kept for a tooltip and for the tests."""
    text: str
    id: str


def _programme_names(index: Index, data: dict) -> dict[str, str]:
    return index.names({d["programme"] for d in data["duties"]["duties"]})


def write(folder: Path, context: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / PAGE
    with chinese():
        atomic_write(page, render("dashboard.html.j2", "dashboard.no_template", **context))
    return page


def _figure(data: dict, report: str, path: str, unit: str) -> dict:
    value = data[report]
    for part in path.split("."):
        value = value[part]
    return {"key": f"{report}.{path}", "label": t(f"dashboard.figure.{report}.{path}"),
            "value": BLANK if value is None else value, "unit": unit if value is not None else ""}


def _charts(data: dict) -> list[tuple[str, str]]:
    regions = data["coverage"]["regions"]
    statuses = [(s, t(f"report.col.{s}")) for s in ("met", "due", "overdue")]
    trend = data["trend"]
    return [
        (t("dashboard.chart.coverage"),
         charts.bars([(r["name"] or r["code"], r["coverage"]) for r in regions], t("dashboard.chart.coverage"))),
        (t("dashboard.chart.trend"),
         charts.lines([m["month"] for m in trend],
                      [("children", t("report.col.children"), [m["children"] for m in trend]),
                       ("paired", t("report.col.paired"), [m["paired"] for m in trend])],
                      t("dashboard.chart.trend"))),
        (t("dashboard.chart.duties"),
         charts.stacked([(d["label"], d) for d in data["duties"]["duties"]], statuses, t("dashboard.chart.duties"))),
    ]

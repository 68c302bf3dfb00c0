"""``aimama federation report html``: the leaders' page across counties — the county dashboard's
layout (key figures, charts, the three reports' tables, the JSON embedded), with what a city or a
province federation looks at first: the regions ranked, a map of coverage by region (a tile a
region, grouped by the level above), the trend across the days the exports were made, and which
counties are missing or were set aside.

Every figure comes from the federation reports' JSON (``federation report … --format json``),
withheld by ``--min-cell`` as they are; nothing is read that those reports do not read.
"""

from __future__ import annotations

import json

from aimama_cli.core.i18n import t
from aimama_cli.reports import charts, federation, suppress
from aimama_cli.reports.coverage import LEVELS, level_label
from aimama_cli.reports.dashboard import KEY_FIGURES, _figure, chinese
from aimama_cli.reports.sheets import BLANK, Sheet

PARENT = {"township": "county", "county": "city", "city": "province", "province": None}
TREND_DAYS = 12  # the exports' days the trend shows, the latest ones


def build(found: list, chosen: federation.Selection, level: str, min_cell: int = 0) -> dict:
    """What the page shows: ``found`` every export under the paths (the earlier days make the
    trend), ``chosen`` the ones summed."""
    with chinese():
        made = {"coverage": federation.coverage(chosen, level), "duties": federation.duties(chosen, level),
                "volunteers": federation.volunteers(chosen, level)}
        data = {name: report.as_dict() for name, report in made.items()}
        sections = {name: report.sheets() for name, report in made.items()}
        if min_cell:
            sections = {name: suppress.suppress_sheets(sections[name], data[name], min_cell) for name in made}
            data = {name: suppress.suppress_dict(data[name], min_cell) for name in made}
        data["trend"] = trend(found, chosen, min_cell)
        data["selection"] = chosen.as_dict()
        ranking = _ranking(data, min_cell)
        return {
            "title": t("federation.page.title"), "as_of": chosen.as_of.isoformat(),
            "year": data["duties"]["year"], "level": level_label(level),
            "region": t("federation.page.counties", n=len(chosen.exports)),
            "generator": "aimama federation report html",
            "figures": [_figure(data, *spec) for spec in KEY_FIGURES],
            "charts": _charts(data, level, ranking, _names(chosen)),
            "sections": [(t("federation.page.ranking"), "ranking", [ranking])]
            + [(t(f"dashboard.section.{name}"), name, sections[name]) for name in made],
            "trend": data["trend"], "blank": BLANK, "notes": _notes(chosen, min_cell), "unreadable": [],
            "data_json": json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/"),
        }


def trend(found: list, chosen: federation.Selection, min_cell: int = 0) -> list[dict]:
    """Children registered and paired on each day exports were made (the latest ``TREND_DAYS``
    up to the report's day): for each day, each county's latest export made by then."""
    last = chosen.as_of.isoformat()
    days = sorted({m["as_of"] for _f, m in found if m["as_of"] <= last})[-TREND_DAYS:]
    points = []
    for day in days:
        then = federation.select([(f, m) for f, m in found if m["as_of"] <= day])
        total = federation.coverage(then, "province").total if then.exports else None
        children, paired = (total.children, total.paired) if total else (0, 0)
        hidden = 0 < children < min_cell
        points.append({"day": day, "counties": len(then.exports), "children": None if hidden else children,
                       "paired": None if hidden else paired,
                       "coverage": None if hidden or not children else round(100 * paired / children, 1)})
    return points


def _ranking(data: dict, min_cell: int) -> Sheet:
    """The regions by coverage, best first (the order a federation's 通报 ranks them), each with
    its duty completion and overdue pairings; withheld regions last, unranked."""
    duties = {r["code"]: r for r in data["duties"]["regions"]}
    volunteers = {r["code"]: r for r in data["volunteers"]["regions"]}
    regions = data["coverage"]["regions"]
    shown = sorted((r for r in regions if r.get("coverage") is not None),
                   key=lambda r: (-r["coverage"], -(duties.get(r["code"], {}).get("completion") or 0), r["code"]))
    rest = [r for r in regions if r.get("coverage") is None]
    keys = ["rank", "code", "name", "children", "paired", "coverage", "priority_paired", "priority",
            "completion", "pairings_overdue", "active", "pledge_rate"]
    mark = f"<{min_cell}" if min_cell else None
    rows = []
    for i, r in enumerate(shown + rest):
        d, v = duties.get(r["code"], {}), volunteers.get(r["code"], {})
        row = [i + 1 if r in shown else None, r["code"], r["name"], r["children"], r["paired"], r["coverage"],
               r["priority_paired"], r["priority"], d.get("completion"), d.get("pairings_overdue"),
               v.get("active"), v.get("pledge_rate")]
        if r.get("suppressed") and mark:
            row = row[:3] + [mark] * (len(row) - 3)
        rows.append(row)
    return Sheet("ranking", t("federation.page.ranking"), keys,
                 [t(f"federation.page.col.{k}") for k in keys], rows)


def _names(chosen: federation.Selection) -> dict[str, str]:
    return {code: name for code, name, _level in federation._regions(chosen)} if chosen.exports else {}


def _charts(data: dict, level: str, ranking: Sheet, names: dict[str, str]) -> list[tuple[str, str]]:
    regions = data["coverage"]["regions"]
    statuses = [(s, t(f"report.col.{s}")) for s in ("met", "due", "overdue")]
    out = [(t("federation.page.map"), charts.tiles(_grouped(regions, level, names), t("federation.page.map"),
                                                   [(band, t(f"federation.page.band.{band}")) for band in charts.BANDS])),
           (t("dashboard.chart.coverage"),
            charts.bars([(row[2] or row[1], row[5] if isinstance(row[5], (int, float)) else None) for row in ranking.rows],
                        t("dashboard.chart.coverage")))]
    points = [p for p in data["trend"] if p["children"] is not None]
    if len(points) > 1:
        out.append((t("federation.page.trend"),
                    charts.lines([p["day"][5:] for p in points],
                                 [("children", t("report.col.children"), [p["children"] for p in points]),
                                  ("paired", t("report.col.paired"), [p["paired"] for p in points])],
                                 t("federation.page.trend"))))
    out.append((t("dashboard.chart.duties"),
                charts.stacked([(d["label"], {k: d.get(k) or 0 for k, _ in statuses}) for d in data["duties"]["duties"]],
                               statuses, t("dashboard.chart.duties"))))
    return out


def _grouped(regions: list[dict], level: str, names: dict[str, str]) -> list[tuple[str, list[tuple[str, float | None]]]]:
    """The regions in groups of the level above (a city's counties together), by code."""
    parent = PARENT[level]
    width = LEVELS[parent] if parent else 0
    groups: dict[str, list] = {}
    for r in sorted(regions, key=lambda r: r["code"]):
        groups.setdefault(r["code"][:width], []).append((r["name"] or r["code"], r.get("coverage")))
    return [(names.get(code.ljust(12, "0"), code) if code else "", tiles) for code, tiles in groups.items()]


def _notes(chosen: federation.Selection, min_cell: int) -> list[str]:
    notes = []
    if chosen.missing:
        notes.append(t("federation.page.missing", counties="、".join(chosen.missing)))
    for m in chosen.set_aside:
        notes.append(t("federation.page.set_aside", county=m["county"], day=m["as_of"]))
    for warning in chosen.warnings:
        groups = "；".join(f"{value}：{'、'.join(c)}" for value, c in sorted(warning["counties"].items()))
        notes.append(t("federation.page.mismatch", key=warning["mismatch"], groups=groups))
    if min_cell:
        notes.append(t("federation.page.min_cell", n=min_cell))
    notes.append(t("federation.page.about"))
    return notes

"""``aimama federation report``: the county reports' figures across many counties' facts
(``export facts``), aggregated by DuckDB, embedded: no server, and no engine of aimama's own.

The exports are found by their manifests, at any depth.  Which are summed, and what is said:

* a county exported more than once: the export of ``--as-of`` if given, else its latest day; the
  others are listed as set aside;
* exports of different days, or of different schema versions, are summed only with a warning
  listing each day's (version's) counties; a schema version this tool does not know is not read;
* a county listed (in the exports' region tables, or ``--expect``) without an export is listed
  as missing, never counted as zero.

The figures are those of ``report coverage`` and ``report duties``, by the same definitions
(the tables hold each record's facts as the county judged them), so a city's figures are the sum
of its counties' own reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aimama_cli.core import errors
from aimama_cli.reports import cases as report_cases
from aimama_cli.reports import duties as report_duties
from aimama_cli.reports import facts
from aimama_cli.reports import volunteers as report_volunteers
from aimama_cli.reports.coverage import LEVELS, Coverage, Figures, _worst_first
from aimama_cli.reports.duties import DutyReport, Row, _lowest_first

FEDERATION_LEVELS = ("province", "city", "county", "township")


@dataclass
class Selection:
    """The exports summed, and what the report must say about the set."""

    exports: list[tuple[Path, dict]]  # (folder, manifest)
    set_aside: list[dict] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def as_of(self) -> dt.date:
        days = [m["as_of"] for _f, m in self.exports]
        return dt.date.fromisoformat(max(days)) if days else dt.date.today()

    def files(self, table: str) -> list[str]:
        return [str(folder / m["tables"][table]["file"]) for folder, m in self.exports]

    def as_dict(self) -> dict:
        return {"exports": [_brief(m) for _f, m in self.exports], "set_aside": self.set_aside,
                "unreadable": self.unreadable, "missing": self.missing, "warnings": self.warnings}


def _brief(m: dict) -> dict:
    return {k: m.get(k) for k in ("county", "county_name", "as_of", "year", "schema_version", "commit",
                                  "content_hash")}


def manifests(folder: Path) -> list[tuple[Path, dict]]:
    """Every export under ``folder``, at any depth, in path order."""
    found = []
    for path in sorted(folder.rglob(facts.MANIFEST)):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise errors.UsageError("federation.manifest.unreadable", path=str(path)) from None
        if isinstance(manifest, dict) and manifest.get("format") == facts.FORMAT:
            if not _well_formed(manifest):
                raise errors.UsageError("federation.manifest.unreadable", path=str(path))
            found.append((path.parent, manifest))
    return found


def _well_formed(m: dict) -> bool:
    """What the reports read of a manifest is there: a county, a day, and every table's file."""
    tables = m.get("tables")
    try:
        dt.date.fromisoformat(str(m.get("as_of")))
    except ValueError:
        return False
    return (isinstance(m.get("county"), str) and len(m["county"]) == 6 and m["county"].isdigit()
            and isinstance(tables, dict) and all(isinstance(tables.get(t), dict) and isinstance(tables[t].get("file"), str)
                                                 for t in facts.TABLES))


def select(found: list[tuple[Path, dict]], as_of: dt.date | None = None, year: int | None = None,
           expect: tuple[str, ...] = ()) -> Selection:
    """Which exports to sum (see the module's docstring)."""
    chosen = Selection([])
    by_county: dict[str, list] = {}
    for folder, m in found:
        if m.get("schema_version") != facts.SCHEMA_VERSION:
            chosen.unreadable.append({**_brief(m), "folder": str(folder)})
        elif (as_of is None or m.get("as_of") == as_of.isoformat()) and (year is None or m.get("year") == year):
            by_county.setdefault(str(m.get("county")), []).append((folder, m))
        else:
            chosen.set_aside.append({**_brief(m), "folder": str(folder)})
    for county in sorted(by_county):
        ranked = sorted(by_county[county], key=lambda e: (e[1].get("as_of", ""), str(e[0])), reverse=True)
        chosen.exports.append(ranked[0])
        chosen.set_aside += [{**_brief(m), "folder": str(f)} for f, m in ranked[1:]]
    for key in ("as_of", "year", "schema_version"):
        groups: dict = {}
        for _f, m in chosen.exports + [(None, m) for m in chosen.unreadable]:
            groups.setdefault(str(m.get(key)), []).append(m["county"])
        if len(groups) > 1:
            chosen.warnings.append({"mismatch": key, "counties": groups})
    have = {m["county"] for _f, m in chosen.exports}
    listed = set(expect)
    if chosen.exports:
        listed |= {code[:6] for code, _n, level in _regions(chosen) if level == "county"}
    chosen.missing = sorted(listed - have)
    return chosen


def _connect():
    import duckdb

    return duckdb.connect(":memory:")


def _regions(chosen: Selection) -> list[tuple]:
    db = _connect()
    return db.execute("SELECT DISTINCT code, name, level FROM read_parquet(?) ORDER BY code",
                      [chosen.files("regions")]).fetchall()


def _place(width: int, column: str = "village") -> str:
    """SQL: the first ``width`` digits of a row's ``column`` (its region's code, padded by
    ``_by_place`` after grouping: once a group, not once a row)."""
    return f"substr({column}, 1, {width})"


def _by_place(db, sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``, its first column a region's code padded to 12 digits."""
    return [(code.ljust(12, "0"), *rest) for code, *rest in db.execute(sql, params).fetchall()]


def _rows(chosen: Selection, level: str, make) -> dict:
    """A row for every region of ``level`` the exports list (shown even when empty), within the
    counties exported: a county missing is listed as such, not shown as zeros."""
    width = LEVELS[level]
    counties = {m["county"] for _f, m in chosen.exports}
    return {code: make(code, name or "") for code, name, listed in _regions(chosen)
            if listed == level and any(c.startswith(code[:min(width, 6)]) for c in counties)}


def coverage(chosen: Selection, level: str) -> Coverage:
    """``report coverage`` across the chosen exports."""
    width, db = LEVELS[level], _connect()
    rows = _rows(chosen, level, Figures)

    def row(code):
        return rows.setdefault(code, Figures(code, ""))

    children, volunteers = chosen.files("children"), chosen.files("volunteers")
    if children:
        for code, n, paired, priority, both, gap in _by_place(db, f"""
                SELECT {_place(width)}, count(*), count(*) FILTER (paired), count(*) FILTER (priority),
                       count(*) FILTER (priority AND paired), count(*) FILTER (no_local_volunteer)
                FROM read_parquet(?) WHERE status = 'active' GROUP BY ALL""", [children]):
            f = row(code)
            f.children, f.paired, f.priority, f.priority_paired, f.no_local_volunteer = n, paired, priority, both, gap
        for code, category, n in _by_place(db, f"""
                SELECT code, category, count(*) FROM (SELECT {_place(width)} AS code, unnest(categories) AS category
                FROM read_parquet(?) WHERE status = 'active') GROUP BY ALL""", [children]):
            row(code).by_category[category] += n
        for code, kind, n, active, vetted, pledged, pairing, pairings in _by_place(db, f"""
                SELECT {_place(width)}, kind, count(*), count(*) FILTER (status = 'active'),
                       count(*) FILTER (status = 'active' AND vetting_status = 'approved'),
                       count(*) FILTER (status = 'active' AND pledged),
                       count(*) FILTER (status = 'active' AND pairings > 0),
                       coalesce(sum(pairings) FILTER (status = 'active'), 0)
                FROM read_parquet(?) GROUP BY ALL""", [volunteers]):
            f = row(code)
            f.volunteers += n
            f.active += active
            if active:
                f.by_kind[kind] += active
            f.vetted, f.pledged, f.pairing = f.vetted + vetted, f.pledged + pledged, f.pairing + pairing
            f.pairings += int(pairings)
    regions = sorted(rows.values(), key=_worst_first)
    total = Figures("", "")
    for figures in regions:
        total.add(figures)
    total.by_category, total.by_kind = Counter(total.by_category), Counter(total.by_kind)
    return Coverage(chosen.as_of, level, "", regions, total)


@dataclass
class _Counted(Row):
    """A row whose pairings DuckDB counted (a nation's pairing ids are not kept in a set)."""

    n_pairings: int = 0
    n_overdue: int = 0

    def figures(self) -> dict:
        return {**super().figures(), "pairings": self.n_pairings, "pairings_overdue": self.n_overdue}


def _statuses() -> str:
    return ", ".join(f"count(*) FILTER (status = '{s}') AS {s}" for s in report_duties.COUNTED)


def duties(chosen: Selection, level: str, top: int = 10) -> DutyReport:
    """``report duties`` across the chosen exports."""
    width, db = LEVELS[level], _connect()
    files = chosen.files("duties")
    by_region = _rows(chosen, level, lambda code, name: _Counted((code,), name))
    by_duty: dict[tuple, _Counted] = {}
    total = _Counted(("",))
    volunteers = []
    if files:
        # a pairing lies in one region, and owes each duty once (so a duty's rows are its pairings);
        # the pairings table says how many of its duties were judged and overdue
        for code, status, n in _by_place(db, f"SELECT {_place(width)}, status, count(*) FROM read_parquet(?) GROUP BY ALL",
                                          [files]):
            by_region.setdefault(code, _Counted((code,), "")).counts[status] += n
            total.counts[status] += n
        pairings = chosen.files("pairings")
        for code, n, overdue in _by_place(db, f"""SELECT {_place(width)}, count(*), count(*) FILTER (duties_overdue > 0)
                FROM read_parquet(?) WHERE duties > 0 GROUP BY ALL""", [pairings]):
            row = by_region.setdefault(code, _Counted((code,), ""))
            row.n_pairings, row.n_overdue = n, overdue
            total.n_pairings, total.n_overdue = total.n_pairings + n, total.n_overdue + overdue
        for programme, duty, label, *counts in db.execute(f"""SELECT programme, duty, min(label), {_statuses()}
                FROM read_parquet(?) GROUP BY programme, duty""", [files]).fetchall():
            row = by_duty[programme, duty] = _Counted((programme, duty), label)
            row.counts.update(dict(zip(report_duties.COUNTED, counts)))
            row.n_pairings, row.n_overdue = sum(counts), row.counts["overdue"]
        volunteers = [{"volunteer": v, "name": None, "team": team, "team_name": team, "overdue": n,
                       "pairings_overdue": p}
                      for v, n, p, team in db.execute("""
                WITH top AS (SELECT volunteer, sum(duties_overdue) AS n, count(*) AS p FROM read_parquet(?)
                             WHERE duties_overdue > 0 GROUP BY volunteer ORDER BY n DESC, volunteer LIMIT ?)
                SELECT top.volunteer, n, p, any_value(v.team) FROM top LEFT JOIN read_parquet(?) v ON v.id = top.volunteer
                GROUP BY ALL ORDER BY n DESC, top.volunteer""", [pairings, top, chosen.files("volunteers")]).fetchall()]
    year = max((m.get("year") or chosen.as_of.year for _f, m in chosen.exports), default=chosen.as_of.year)
    return DutyReport(year, chosen.as_of, level, "", sorted(by_duty.values(), key=_lowest_first),
                      sorted(by_region.values(), key=_lowest_first), total, volunteers, [])


def volunteers(chosen: Selection, level: str) -> report_volunteers.VolunteerReport:
    """``report volunteers`` across the chosen exports."""
    width, db = LEVELS[level], _connect()
    rows = _rows(chosen, level, report_volunteers.Figures)
    files = chosen.files("volunteers")
    vetting = ", ".join(f"count(*) FILTER (vetting_status = '{s}')" for s in report_volunteers.VETTING)
    for code, n, active, withdrawn, expiring, expired, pledged, hours, serving, *vetted in (_by_place(db, f"""
            SELECT {_place(width)}, count(*), count(*) FILTER (status = 'active'),
                   count(*) FILTER (status = 'withdrawn'), count(*) FILTER (vetting_lapse = 'expiring'),
                   count(*) FILTER (vetting_lapse = 'expired'), count(*) FILTER (status = 'active' AND pledged),
                   coalesce(sum(hours), 0), count(*) FILTER (hours > 0), {vetting}
            FROM read_parquet(?) GROUP BY ALL""", [files]) if files else ()):
        f = rows.setdefault(code, report_volunteers.Figures(code, ""))
        f.volunteers, f.active, f.withdrawn, f.expiring, f.expired, f.pledged = (
            n, active, withdrawn, expiring, expired, pledged)
        f.hours, f.serving, f.vetting = Decimal(hours), serving, dict(zip(report_volunteers.VETTING, vetted))
    regions = sorted(rows.values(), key=lambda f: f.code)
    total = report_volunteers.Figures("", "")
    for figures in regions:
        total.add(figures)
    year = max((m.get("year") or chosen.as_of.year for _f, m in chosen.exports), default=chosen.as_of.year)
    return report_volunteers.VolunteerReport(chosen.as_of, level, "", regions, total, year)


def cases(chosen: Selection) -> report_cases.CaseReport:
    """``report cases`` across the chosen exports: a row a professional team."""
    db = _connect()
    year = max((m.get("year") or chosen.as_of.year for _f, m in chosen.exports), default=chosen.as_of.year)
    first, last = f"{year}-01-01", min(f"{year}-12-31", chosen.as_of.isoformat())
    rows = {team: report_cases.TeamFigures(team, "", kind or "") for team, kind in db.execute(
        "SELECT id, kind FROM read_parquet(?) WHERE level = 'professional'", [chosen.files("teams")]).fetchall()}
    files = chosen.files("cases")
    for team, *counts, hours in (db.execute("""
            SELECT coalesce(team, '-'), count(*) FILTER (opened_on BETWEEN ? AND ?),
                   count(*) FILTER (closed_on BETWEEN ? AND ?), count(*) FILTER (open),
                   count(*) FILTER (open AND risk_level = 'high'), count(*) FILTER (open AND overdue),
                   coalesce(sum(steps), 0), coalesce(sum(hours), 0)
            FROM read_parquet(?) GROUP BY ALL""", [first, last, first, last, files]).fetchall() if files else ()):
        figures = rows.setdefault(team, report_cases.TeamFigures(team))
        figures.counts.update(zip(report_cases.COUNTS, map(int, counts)))
        figures.hours = Decimal(hours)
    teams = sorted(rows.values(), key=lambda f: f.team)
    total = report_cases.TeamFigures("", "")
    for figures in teams:
        total.add(figures)
    return report_cases.CaseReport(year, chosen.as_of, teams, total)

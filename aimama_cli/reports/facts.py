"""``aimama export facts``: a repository's supervision facts as Parquet, for reporting up (issue 22).

One folder a county, Hive-partitioned (``province=43/city=4306/county=430621/``), holding one
file a table and a ``manifest.json``.  The tables are pseudonymised as ``export --redact`` is, and
further: no name at all, no ID number, phone, address, school or note; record ids are kept so
that counts stay exact and the county can find a record again (docs/federation.md lists every
column).  What is judged on the day is judged by the code the county's own reports use:
coverage's active pairings and priority rule, ``duty check``'s engine (model/duties), the
volunteers report's lapse of vetting and service hours, and the case duties.

Deterministic: rows in id order, no timestamp in a file or the manifest, so the same commit and
day give byte-identical files (the manifest's ``content_hash`` says so in one line).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from pathlib import Path

from aimama_cli import __version__
from aimama_cli.core import errors
from aimama_cli.core.hours import decimal_hours
from aimama_cli.domain.people import is_priority
from aimama_cli.model import case_duties, duties, kept_duties
from aimama_cli.reports.coverage import _active_pairings, _regions
from aimama_cli.reports.volunteers import _hours, _Lapse
from aimama_cli.store import gitio
from aimama_cli.store.index import Index

SCHEMA_VERSION = 1
FORMAT = "aimama-facts"
MANIFEST = "manifest.json"
TABLES = ("regions", "children", "volunteers", "pairings", "duties", "cases", "teams")
HOURS = (18, 6)  # hours as decimals, summed exactly; a value is kept to 6 places (a file may say 0.3333333)


def columns() -> dict[str, list[tuple[str, object]]]:
    """Each table's columns and Arrow types (the types imported here: pyarrow loads only when
    facts are exported or read)."""
    import pyarrow as pa

    text, flag, count, hours = pa.string(), pa.bool_(), pa.int32(), pa.decimal128(*HOURS)
    return {
        "regions": [("code", text), ("name", text), ("level", text)],
        "children": [("id", text), ("village", text), ("township", text), ("status", text),
                     ("categories", pa.list_(text)), ("risk_level", text), ("guardianship", text),
                     ("priority", flag), ("consent", flag), ("paired", flag), ("local_volunteers", count),
                     ("remote_volunteers", count), ("no_local_volunteer", flag)],
        "volunteers": [("id", text), ("village", text), ("township", text), ("status", text), ("kind", text),
                       ("team", text), ("vetting_status", text), ("vetting_lapse", text), ("pledged", flag),
                       ("pairings", count), ("hours", hours)],
        "pairings": [("id", text), ("child", text), ("volunteer", text), ("role", text), ("village", text),
                     ("township", text), ("started_on", text), ("ended_on", text), ("active", flag),
                     ("duties", count), ("duties_overdue", count)],
        "duties": [("pairing", text), ("child", text), ("volunteer", text), ("village", text), ("township", text),
                   ("programme", text), ("duty", text), ("label", text), ("status", text), ("deadline", text)],
        "cases": [("id", text), ("kind", text), ("team", text), ("child", text), ("village", text),
                  ("township", text), ("status", text), ("risk_level", text), ("opened_on", text),
                  ("closed_on", text), ("open", flag), ("overdue", flag), ("steps", count), ("hours", hours)],
        "teams": [("id", text), ("level", text), ("kind", text), ("region", text), ("volunteers", count),
                  ("activities", count), ("activity_hours", hours)],
    }


def needs_engine(*modules: str) -> None:
    """A usage error naming the extra to install when pyarrow (or ``modules``) is missing: they
    are an optional dependency (``pip install 'aimama[federation]'``)."""
    import importlib.util

    for module in ("pyarrow", *modules):
        if importlib.util.find_spec(module) is None:
            raise errors.UsageError("facts.engine_missing", module=module)


@dataclass
class Export:
    """What ``export facts`` wrote: one manifest a county."""

    folder: Path
    manifests: list[dict]


def export_facts(index: Index, output: Path, as_of: dt.date, year: int | None = None) -> Export:
    """Every table of the repository's records on ``as_of`` (duties and hours of ``year``,
    default the day's), one folder a county under ``output``."""
    year = year or as_of.year
    listed = _regions(index)
    rows = gather(index, as_of, year)
    placed = _by_county(rows)
    counties = sorted({c[:6] for c, (_n, level) in listed.items() if level == "county"}
                      | {county for t in TABLES[1:-1] for county in placed[t] if county})
    if not counties:
        return Export(output, [])
    settings = index.singleton("config") or {}
    commit = gitio.worktree(index.root).head_commit() if (index.root / ".git").exists() else None
    manifests = []
    for county in counties:
        mine = {t: placed[t].get(county, []) for t in TABLES[1:]}
        if county == counties[0]:  # a team above the counties (the city's) goes with the first
            mine["teams"] = mine["teams"] + [r for r in rows["teams"] if _county(r[3]) not in counties]
        mine["regions"] = [r for r in rows["regions"] if _within(r[0], r[2], county)]
        folder = output / partition(county)
        manifests.append(_write_county(folder, mine, {
            "format": FORMAT, "schema_version": SCHEMA_VERSION, "tool": "aimama", "tool_version": __version__,
            "county": county, "county_name": str(listed.get(county.ljust(12, "0"), ("",))[0] or ""),
            "repository": {"region": str(settings.get("region") or ""), "name": str(settings.get("name") or "")},
            "commit": commit, "as_of": as_of.isoformat(), "year": year}))
    return Export(output, manifests)


def partition(county: str) -> str:
    """The Hive partition of a county: ``province=43/city=4306/county=430621``."""
    return f"province={county[:2]}/city={county[:4]}/county={county[:6]}"


# the column that places a table's rows in a county
_VILLAGE = {"children": 1, "volunteers": 1, "pairings": 4, "duties": 3, "cases": 4, "teams": 3}


def _by_county(rows: dict[str, list[tuple]]) -> dict[str, dict[str, list[tuple]]]:
    """Each table's rows (but the regions) by county ("" : none), in one pass, order kept."""
    placed: dict[str, dict[str, list[tuple]]] = {}
    counties: dict = {}  # village -> county: a province has a few thousand villages
    for table in TABLES[1:]:
        column, mine = _VILLAGE[table], placed.setdefault(table, {})
        for row in rows[table]:
            village = row[column]
            county = counties.get(village)
            if county is None:
                county = counties[village] = _county(village)
            mine.setdefault(county, []).append(row)
    return placed


def _county(village) -> str:
    text = str(village or "")
    return text[:6] if len(text) >= 6 and text[:6].isdigit() else ""


def _within(code: str, level: str, county: str) -> bool:
    """A region of the county, or the city or province above it."""
    return (code.startswith(county) or (level == "city" and code[:4] == county[:4])
            or (level == "province" and code[:2] == county[:2]))


def gather(index: Index, as_of: dt.date, year: int) -> dict[str, list[tuple]]:
    """Every table's rows, in id order."""
    pairings = _active_pairings(index, as_of)
    volunteers = {rid: line.split("\t") for rid, line in index.briefs("volunteer")}
    children = {rid: line.split("\t") for rid, line in index.briefs("child")}
    found = {
        "regions": sorted((code, str(name or ""), level) for code, (name, level) in _regions(index).items()),
        "children": _children(index, children, volunteers, pairings),
        "volunteers": _volunteers(index, as_of, year, volunteers, pairings),
        "duties": _duties(index, year, as_of),
        "cases": _cases(index, as_of, year, children),
        "teams": _teams(index, year, volunteers),
    }
    found["pairings"] = _pairings(index, as_of, children, found["duties"])
    return {name: _ordered(rows) for name, rows in found.items()}


def _ordered(rows: list[tuple]) -> list[tuple]:
    """Rows sorted by the text of every value in turn.  The first value (an id, a region's code)
    mostly decides alone: rows are sorted by it, and only the rows that share one (a pairing's
    duties) by every value, which gives the same order at a fraction of the cost (a province has
    a million rows)."""
    ordered = []
    for _first, run in groupby(sorted(rows, key=_first_text), key=_first_text):
        run = list(run)
        ordered += sorted(run, key=_texts) if len(run) > 1 else run
    return ordered


def _first_text(row: tuple) -> str:
    return "" if row[0] is None else str(row[0])


def _texts(row: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in row)


def _children(index: Index, children: dict, volunteers: dict, pairings: list) -> list[tuple]:
    """As coverage counts them: paired when a pairing is active on the day, the N+1 gap when none
    of the child's volunteers lives in her county."""
    counties: dict[str, list] = {}
    for child, volunteer in pairings:
        counties.setdefault(child, []).append((volunteers.get(volunteer) or [""])[0][:6])
    consent = {rid: f.get("guardian.consent.given") for _p, rid, f in index.fields("child", ("guardian.consent.given",))}
    rows = []
    for rid, (village, status, cats, guardianship, risk) in children.items():
        kinds = tuple(cats.split("+")) if cats else ()
        theirs = counties.get(rid, [])
        local = sum(c == village[:6] for c in theirs)
        rows.append((rid, village, village[:9], status, list(kinds), risk or None, guardianship or None,
                     is_priority({"categories": kinds, "guardianship": guardianship, "risk_level": risk}),
                     consent.get(rid) is True, bool(theirs), local, len(theirs) - local,
                     bool(theirs) and village[:6] not in set(theirs)))
    return rows


def _volunteers(index: Index, as_of: dt.date, year: int, volunteers: dict, pairings: list) -> list[tuple]:
    pledged = {line.partition("\t")[0] for _rid, line in index.briefs("pledge") if line.endswith(f"\t{year}")}
    paired = Counter(volunteer for _child, volunteer in pairings)
    hours = _hours(index, year)
    lapse = _Lapse(index, as_of)
    rows = []
    for _path, rid, f in index.fields("volunteer", ("team", "vetting.checks")):
        village, status, kind, vetting = volunteers.get(rid) or ("", "", "", "")
        checks = f.get("vetting.checks")
        state = (lapse.state(checks, f.get("team")) if status == "active" and vetting == "approved"
                 and isinstance(checks, list) and checks else None)
        rows.append((rid, village, village[:9], status, kind or None, f.get("team"), vetting or None, state,
                     rid in pledged, paired[rid], hours.get(rid, Decimal(0))))
    return rows


def _pairings(index: Index, as_of: dt.date, children: dict, judged: list[tuple]) -> list[tuple]:
    """Each pairing, active on the day or not, with its duties of the year judged and overdue
    (what a region's and a volunteer's pairings with duties overdue are counted from)."""
    day = as_of.isoformat()
    owed = Counter(row[0] for row in judged)
    overdue = Counter(row[0] for row in judged if row[8] == duties.OVERDUE)
    rows = []
    for _path, rid, f in index.fields("pairing", ("child", "volunteer", "role", "started_on", "ended_on")):
        village = (children.get(f.get("child")) or [""])[0]
        started, ended = str(f.get("started_on") or ""), str(f.get("ended_on") or "")
        rows.append((rid, f.get("child"), f.get("volunteer"), f.get("role"), village, village[:9], started or None,
                     ended or None, bool(started) and started <= day and (not ended or ended > day),
                     owed[rid], overdue[rid]))
    return rows


def _duty_rows(book: duties.Book, results: list[duties.PairingResult]) -> list[tuple]:
    """A worker's part of ``duty check``: one row a pairing's duty, as ``report duties`` counts."""
    rows = []
    for r in results:
        p = r.pairing
        village = str(book.children.get(p.child, {}).get("village") or "")
        for d in r.duties:
            rows.append((p.id, p.child, p.volunteer, village, village[:9], r.programme, d.id, d.label, d.status,
                         d.deadline))
    return rows


def _duties(index: Index, year: int, as_of: dt.date) -> list[tuple]:
    """The day's judgements the index keeps for ``report duties`` (those whose records changed
    judged again: a second export, or one after the day's report, judges none), else judged here."""
    store = kept_duties.judged(index, year, as_of, "") if index.use_cache else None
    if store is None:
        _unreadable, parts = duties.in_parts(index, year, as_of, _duty_rows)
        return [row for part in parts for row in part]
    return [(pairing, child, volunteer, village, village[:9], programme, duty, label, status, deadline)
            for pairing, child, volunteer, village, programme, statuses, deadlines in store.kept("")
            for (duty, label, status), deadline in zip(statuses, deadlines)]


def _cases(index: Index, as_of: dt.date, year: int, children: dict) -> list[tuple]:
    """As ``report cases`` counts them: open and overdue on the day, steps and hours of the year."""
    first, last = f"{year}-01-01", min(f"{year}-12-31", as_of.isoformat())
    judged = {r.case.id: r for r in case_duties.judge(index, as_of)}
    rows = []
    for _path, rid, f in index.fields("case"):
        village = (children.get(f.get("child")) or [""])[0]
        steps = [s for s in f.get("steps") or () if isinstance(s, dict) and first <= str(s.get("date") or "") <= last]
        found = judged.get(rid)
        rows.append((rid, f.get("kind"), f.get("team"), f.get("child"), village, village[:9], f.get("status"),
                     f.get("risk_level"), f.get("opened_on"), f.get("closed.on"), found is not None,
                     found is not None and any(d.status == case_duties.OVERDUE for d in found.duties),
                     len(steps), sum((decimal_hours(s.get("hours")) or Decimal(0) for s in steps), Decimal(0))))
    return rows


def _teams(index: Index, year: int, volunteers: dict) -> list[tuple]:
    """Each team's level, region and volunteers, and its team activities of the year (sums)."""
    members = Counter()
    for _path, rid, f in index.fields("volunteer", ("team",)):
        members[f.get("team")] += 1
    held, hours = Counter(), {}
    for _path, _rid, f in index.fields("team_activity", ("team", "date", "hours")):
        if str(f.get("date") or "")[:4] == str(year):
            held[f.get("team")] += 1
            hours[f.get("team")] = hours.get(f.get("team"), Decimal(0)) + (decimal_hours(f.get("hours")) or 0)
    return [(rid, f.get("level"), f.get("kind"), str(f.get("region") or "").ljust(12, "0"), members[rid], held[rid],
             hours.get(rid, Decimal(0))) for _path, rid, f in index.fields("team", ("level", "kind", "region"))]


# --- writing ----------------------------------------------------------------------------------

def _write_county(folder: Path, rows: dict, manifest: dict) -> dict:
    """The county's tables and manifest; each file written whole then renamed into place."""
    import pyarrow as pa

    folder.mkdir(parents=True, exist_ok=True)
    tables, hours = {}, pa.decimal128(*HOURS)
    for name, cols in columns().items():
        schema = pa.schema(cols)
        data = rows[name]
        table = pa.table({c: pa.array([_exact(r[i]) if kind == hours else r[i] for r in data], type=kind)
                          for i, (c, kind) in enumerate(cols)}, schema=schema)
        path = folder / f"{name}.parquet"
        digest = _write_table(table, path)
        tables[name] = {"file": path.name, "rows": len(data), "sha256": digest}
    manifest = {**manifest, "tables": tables,
                "content_hash": hashlib.sha256("".join(tables[n]["sha256"] for n in sorted(tables)).encode()).hexdigest()}
    _atomic(folder / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    return manifest


def _exact(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-HOURS[1]), rounding=ROUND_HALF_UP)


def _write_table(table, path: Path) -> str:
    """Parquet as every engine reads it: zstd, dictionaries and statistics, no timestamp
    (pyarrow writes none: ``created_by`` names only the library's version)."""
    import pyarrow.parquet as pq

    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary, compression="zstd", use_dictionary=True, write_statistics=True)
    data = temporary.read_bytes()
    os.replace(temporary, path)
    return hashlib.sha256(data).hexdigest()


def _atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)

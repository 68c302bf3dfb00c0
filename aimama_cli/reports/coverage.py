"""``aimama report coverage``: the supervision figures (督导考评) of every region at one level.

Everything is read from the record index's brief lines (index_rows.BRIEF: a record's few counted
fields as one line of text, no JSON decoding per record: 100,000 children must take seconds).
The rules the figures follow:

* children: active children (status ``active``), placed by their ``village``; a child counts once
  under each of her categories, so the categories add up to more than the children;
* paired: an active child with a pairing active on the day (``started_on <= day`` and no
  ``ended_on`` or ``ended_on > day``, as rules/vetting.py ``active`` decides);
* priority (应结尽结): ``people.is_priority``;
* no local volunteer (N+1 gap): a paired child none of whose volunteers lives in her county
  (the first 6 digits of the volunteer's ``village``); the pairing's ``role`` is not trusted;
* volunteers: placed by their ``village``; ``volunteers`` counts every record, the others only
  the active ones (status ``active``): by kind, vetted (vetting approved), with a pledge for the
  year of the day, and with at least one active pairing; children per volunteer is the active
  pairings of the region's volunteers over those with at least one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t
from aimama_cli.domain.people import is_priority
from aimama_cli.reports.kept import decode, encode, remembered
from aimama_cli.reports.sheets import Sheet
from aimama_cli.store.index import Index
from aimama_cli.store.schemas import info, label

LEVELS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
REPORT_LEVELS = ("county", "township", "village")


def categories() -> tuple[str, ...]:
    return tuple(info("child").labels[("categories", "*")])


def kinds() -> tuple[str, ...]:
    return tuple(info("volunteer").labels[("kind",)])


@dataclass
class Figures:
    """The figures of one region (or of all: the totals)."""

    code: str
    name: str = ""
    children: int = 0
    by_category: Counter = field(default_factory=Counter)
    paired: int = 0
    priority: int = 0
    priority_paired: int = 0
    no_local_volunteer: int = 0
    volunteers: int = 0
    active: int = 0
    by_kind: Counter = field(default_factory=Counter)
    vetted: int = 0
    pledged: int = 0
    pairing: int = 0  # active volunteers with at least one active pairing
    pairings: int = 0  # the active pairings of those volunteers

    def add(self, other: Figures) -> None:
        for name, value in vars(other).items():
            if isinstance(value, (int, Counter)) and not isinstance(value, bool):
                setattr(self, name, getattr(self, name) + value)

    @property
    def coverage(self) -> float | None:
        return round(100 * self.paired / self.children, 1) if self.children else None

    @property
    def per_volunteer(self) -> float | None:
        return round(self.pairings / self.pairing, 2) if self.pairing else None

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "children": self.children,
                "children_by_category": {c: self.by_category[c] for c in categories()},
                "paired": self.paired, "coverage": self.coverage,
                "priority": self.priority, "priority_paired": self.priority_paired,
                "no_local_volunteer": self.no_local_volunteer,
                "volunteers": self.volunteers, "volunteers_active": self.active,
                "volunteers_by_kind": {k: self.by_kind[k] for k in kinds()},
                "volunteers_vetted": self.vetted, "volunteers_pledged": self.pledged,
                "volunteers_pairing": self.pairing, "pairings": self.pairings,
                "children_per_volunteer": self.per_volunteer}


@dataclass
class RegionReport:
    """Figures for every region at one level, and their totals."""

    as_of: dt.date
    level: str
    region: str
    regions: list
    total: object

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "level": self.level, "region": self.region or None,
                "regions": [r.as_dict() for r in self.regions], "total": self.total.as_dict()}


class Places:
    """The rows of a report by region: each region of ``level`` listed in regions.yaml within
    ``region`` (shown even when empty), and each other place the records name."""

    def __init__(self, index: Index, level: str, region: str, make):
        self.listed = _regions(index)
        self.prefix = region_prefix(region, self.listed) if region else ""
        self.width = LEVELS[level]
        self.make = make  # (code, name) -> a new row
        self.rows: dict = {}
        for code, (_name, listed_level) in self.listed.items():
            if code.startswith(self.prefix) and listed_level == level:
                self.row(code)

    def row(self, village: str):
        code = village[:self.width].ljust(12, "0")
        if code not in self.rows:
            self.rows[code] = self.make(code, self.listed.get(code, ("",))[0])
        return self.rows[code]


class Coverage(RegionReport):

    def sheets(self) -> list[Sheet]:
        keys = columns()
        total = flat(self.total)
        total[1] = t("report.total")
        return [Sheet(self.level, t("report.title", day=self.as_of.isoformat(), level=level_label(self.level)),
                      keys, headers(keys), [flat(f) for f in self.regions] + [total], total=True)]


def coverage(index: Index, as_of: dt.date, level: str = "county", region: str = "", cache: bool = True) -> Coverage:
    """The figures of every region at ``level`` (within ``region``), worst coverage first; kept
    in the index until a file changes (``cache=False``: counted again)."""
    count = _from_last_day if cache and index.use_cache else _coverage
    return remembered(index, f"coverage:{as_of}:{level}:{region}", lambda: count(index, as_of, level, region),
                      Coverage, Figures, cache)


def _coverage(index: Index, as_of: dt.date, level: str, region: str) -> Coverage:
    places = Places(index, level, region, Figures)
    prefix, row = places.prefix, places.row
    pairings = _active_pairings(index, as_of)
    volunteers = _count_volunteers(index, as_of, prefix, row, pairings)
    _count_children(index, prefix, row, volunteers, pairings)
    return _report(as_of, level, region, places)


def _report(as_of: dt.date, level: str, region: str, places: Places) -> Coverage:
    regions = sorted(places.rows.values(), key=_worst_first)
    total = Figures("", "")
    for figures in regions:
        total.add(figures)
    return Coverage(as_of, level, region, regions, total)


def _from_last_day(index: Index, as_of: dt.date, level: str, region: str) -> Coverage:
    """The figures of ``as_of`` from those of the last day counted, if no file has changed
    since and it is of the same year (the pledges counted are the year's): a day differs from
    another only in the pairings active on one and not the other, so only their children and
    volunteers are counted again — a few a day, where counting a province reads 300,000 records."""
    name, generation = f"report:coverage-last:{level}:{region}", index.memo_generation()
    last = index.recall(name, generation)
    if last is None or last["as_of"][:4] != str(as_of.year):
        report = _coverage(index, as_of, level, region)
    else:
        report = _moved(index, decode(last, Coverage, Figures), as_of)
    index.keep(name, encode(report), generation)
    return report


def _moved(index: Index, report: Coverage, as_of: dt.date) -> Coverage:
    """``report``, of another day, as of ``as_of``."""
    before, day = report.as_of.isoformat(), as_of.isoformat()
    pairings = [tuple(line.split("\t")) for _rid, line in index.briefs("pairing")]
    moved = [(c, v) for c, v, started, ended in pairings
             if _active(started, ended, before) != _active(started, ended, day)]
    places = Places(index, report.level, report.region, Figures)
    places.rows = {figures.code: figures for figures in report.regions}
    if moved:
        children, volunteers = {c for c, _v in moved}, {v for _c, v in moved}
        theirs = [p for p in pairings if p[0] in children or p[1] in volunteers]
        _recount_volunteers(index, places, volunteers, theirs, (before, day))
        _recount_children(index, places, children, theirs, (before, day))
    return _report(as_of, report.level, report.region, places)


def _active(started: str, ended: str, day: str) -> bool:
    """Whether a pairing is active on ``day`` (rules/vetting.py ``active`` decides alike: started
    on or before the day, not ended by it); dates as ISO text."""
    return bool(started) and started <= day and (not ended or ended > day)


def _recount_volunteers(index: Index, places: Places, volunteers: set, pairings: list, days: tuple) -> None:
    """Moves the pairing figures of ``volunteers`` from the first of ``days`` to the second."""
    pairs = [Counter(v for _c, v, started, ended in pairings if v in volunteers and _active(started, ended, d))
             for d in days]
    for rid, line in index.briefs("volunteer", volunteers):
        village, status, _kind, _vetting = line.split("\t")
        if line.startswith(places.prefix) and status == "active":
            figures, was, now = places.row(village), pairs[0][rid], pairs[1][rid]
            figures.pairing += (now > 0) - (was > 0)
            figures.pairings += now - was


def _recount_children(index: Index, places: Places, children: set, pairings: list, days: tuple) -> None:
    """Moves the paired figures of ``children`` from the first of ``days`` to the second."""
    theirs: dict[str, list] = {}
    for child, volunteer, started, ended in pairings:
        if child in children:
            theirs.setdefault(child, []).append((volunteer, started, ended))
    villages = {rid: line.partition("\t")[0] for rid, line in
                index.briefs("volunteer", {v for listed in theirs.values() for v, _s, _e in listed})}

    def state(rid: str, line: str, day: str) -> tuple[bool, bool]:  # (paired, no local volunteer)
        counties = {villages.get(v, "")[:6] for v, started, ended in theirs.get(rid, ()) if _active(started, ended, day)}
        return bool(counties), bool(counties) and line[:6] not in counties

    for rid, line in index.briefs("child", children):
        village, status, cats, guardianship, risk = line.split("\t")
        if not line.startswith(places.prefix) or status != "active":
            continue
        (was, gap_was), (now, gap_now) = (state(rid, line, d) for d in days)
        priority = is_priority({"categories": tuple(cats.split("+")) if cats else (), "guardianship": guardianship,
                                "risk_level": risk})
        figures = places.row(village)
        figures.paired += now - was
        figures.priority_paired += priority * (now - was)
        figures.no_local_volunteer += gap_now - gap_was


def _worst_first(f: Figures):
    return (f.coverage is None, f.coverage or 0.0, f.code)  # regions without children last


def _regions(index: Index) -> dict[str, tuple[str, str]]:
    """{code: (name, level)} from records/regions.yaml."""
    listed = (index.singleton("regions") or {}).get("regions", [])
    return {str(r.get("code")): (r.get("name", ""), r.get("level", "")) for r in listed if isinstance(r, dict)}


def region_prefix_in(index: Index, region: str) -> str:
    """:func:`region_prefix` of a region in this repository's regions.yaml."""
    return region_prefix(region, _regions(index))


def region_prefix(region: str, listed: dict) -> str:
    """The digits a region's places begin with (``430621`` or ``430621000000`` for a county); a
    usage error for a region not in regions.yaml."""
    code = region.ljust(12, "0") if region.isdigit() and len(region) <= 12 else None
    if code not in listed or listed[code][1] not in LEVELS:
        raise errors.UsageError("report.region.unknown", region=region)
    return code[:LEVELS[listed[code][1]]]


def _active_pairings(index: Index, as_of: dt.date) -> list[tuple[str, str]]:
    """(child, volunteer) of every pairing active on ``as_of`` (rules/vetting.py ``active``
    decides alike: started on or before the day, not ended by it)."""
    day = as_of.isoformat()
    found = []
    for _rid, line in index.briefs("pairing"):
        child, volunteer, started, ended = line.split("\t")
        if started and started <= day and (not ended or ended > day):
            found.append((child, volunteer))
    return found


# A brief line begins with the record's village (index_rows.BRIEF), so a line starts with a region's
# digits when the record lies there.  Records alike are tallied by their line, as it is, and each
# distinct line is split once: per record, only a dictionary lookup.

def _count_volunteers(index: Index, as_of: dt.date, prefix: str, row, pairings: list) -> dict[str, str]:
    """Counts the volunteers of the regions within ``prefix``; returns {id: village} of the
    volunteers paired (a child's volunteer may live anywhere)."""
    year = str(as_of.year)
    pledged = {line.partition("\t")[0] for _rid, line in index.briefs("pledge") if line.endswith("\t" + year)}
    paired = Counter(volunteer for _child, volunteer in pairings)
    villages, alike = {}, Counter()
    for rid, line in index.briefs("volunteer"):
        if rid in paired:
            villages[rid] = line.partition("\t")[0]
        if line.startswith(prefix):
            alike[line, rid in pledged, paired[rid]] += 1
    for (line, pledge, pairs), n in alike.items():
        village, status, kind, vetting = line.split("\t")
        figures = row(village)
        figures.volunteers += n
        if status == "active":
            figures.active += n
            figures.by_kind[kind] += n
            figures.vetted += (vetting == "approved") * n
            figures.pledged += pledge * n
            figures.pairing += (pairs > 0) * n
            figures.pairings += pairs * n
    return villages


def _count_children(index: Index, prefix: str, row, volunteers: dict, pairings: list) -> None:
    """Counts the active children within ``prefix``."""
    counties: dict[str, set] = {}  # child -> the counties of her volunteers on the day
    for child, volunteer in pairings:
        counties.setdefault(child, set()).add(volunteers.get(volunteer, "")[:6])
    alike = Counter()
    for rid, line in index.briefs("child"):
        if line.startswith(prefix):
            theirs = counties.get(rid)
            alike[line, theirs is not None, theirs is not None and line[:6] not in theirs] += 1
    for (line, paired, gap), n in alike.items():
        village, status, cats, guardianship, risk = line.split("\t")
        if status != "active":
            continue
        figures = row(village)
        kinds_ = tuple(cats.split("+")) if cats else ()
        priority = is_priority({"categories": kinds_, "guardianship": guardianship, "risk_level": risk})
        figures.children += n
        figures.by_category.update({c: n for c in kinds_})
        figures.priority += priority * n
        figures.paired += paired * n
        figures.priority_paired += (priority and paired) * n
        figures.no_local_volunteer += gap * n


# --- flat rows: one column a figure, for tables, CSV and spreadsheets ------------------------

def columns() -> list[str]:
    """The keys of the flat columns; ``category.X`` and ``kind.X`` are one per code."""
    return (["code", "name", "children"] + [f"category.{c}" for c in categories()]
            + ["paired", "coverage", "priority", "priority_paired", "no_local_volunteer",
               "volunteers", "volunteers_active"] + [f"kind.{k}" for k in kinds()]
            + ["volunteers_vetted", "volunteers_pledged", "volunteers_pairing", "children_per_volunteer"])


def flat(figures: Figures) -> list:
    """``figures`` in the order of ``columns()``."""
    data = figures.as_dict()
    return ([data["code"], data["name"], data["children"]]
            + [data["children_by_category"][c] for c in categories()]
            + [data[k] for k in ("paired", "coverage", "priority", "priority_paired", "no_local_volunteer",
                                 "volunteers", "volunteers_active")]
            + [data["volunteers_by_kind"][k] for k in kinds()]
            + [data[k] for k in ("volunteers_vetted", "volunteers_pledged", "volunteers_pairing",
                                 "children_per_volunteer")])


def headers(keys: list[str]) -> list[str]:
    """Column headers in the current language: codes' labels for categories and kinds."""
    lang = language()
    found = []
    for key in keys:
        if key.startswith("category."):
            found.append(label("child", ("categories", "*"), key[9:], lang))
        elif key.startswith("kind."):
            found.append(label("volunteer", ("kind",), key[5:], lang))
        else:
            found.append(t(f"report.col.{key}"))
    return found


def level_label(level: str) -> str:
    return label("regions", ("regions", "*", "level"), level, language())

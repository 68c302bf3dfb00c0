"""``aimama report duties``: how the year's duties are being done, per programme and duty, per
region, and the volunteers with the most overdue.

The duties are judged exactly as ``duty check`` judges them (duties.in_parts: forked workers at a
province's scale), and kept in the index (store/duty_cache.py): a later report of the year
judges again only the pairings whose records changed or whose verdict turns by its day (a
deadline passed, a month begun), and counts by SQL.
``cache=False`` (``--no-cache``) judges every pairing again, each worker sending back only its
counts.  A pairing's region is its child's village.  Completion rate: met over met and overdue,
the duties whose time has come; a duty still due (its period under way) is counted apart and
does not lower the rate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from aimama_cli.core.i18n import t
from aimama_cli.model import duties, kept_duties
from aimama_cli.reports.coverage import LEVELS, _regions, headers, region_prefix
from aimama_cli.reports.sheets import Sheet, rate
from aimama_cli.store import duty_cache
from aimama_cli.store.index import Index

COUNTED = (duties.MET, duties.DUE, duties.OVERDUE, duties.NOT_APPLICABLE)


@dataclass
class Row:
    """The duty statuses counted for one programme and duty, or one region."""

    key: tuple
    name: str = ""
    counts: Counter = field(default_factory=Counter)
    pairings: set = field(default_factory=set)
    pairings_overdue: set = field(default_factory=set)

    @property
    def rate(self) -> float | None:
        return rate(self.counts[duties.MET], self.counts[duties.MET] + self.counts[duties.OVERDUE])

    def figures(self) -> dict:
        return {**{s: self.counts[s] for s in COUNTED}, "completion": self.rate,
                "pairings": len(self.pairings), "pairings_overdue": len(self.pairings_overdue)}


@dataclass
class DutyReport:
    year: int
    as_of: dt.date
    level: str
    region: str
    by_duty: list[Row]
    by_region: list[Row]
    total: Row
    volunteers: list[dict]  # the most overdue first
    unreadable: list[str]

    def as_dict(self) -> dict:
        return {
            "year": self.year, "as_of": self.as_of.isoformat(), "level": self.level,
            "region": self.region or None,
            "duties": [{"programme": r.key[0], "duty": r.key[1], "label": r.name, **r.figures()}
                       for r in self.by_duty],
            "regions": [{"code": r.key[0], "name": r.name, **r.figures()} for r in self.by_region],
            "total": self.total.figures(),
            "volunteers_most_overdue": self.volunteers,
            "unreadable_logs": self.unreadable,
        }

    def sheets(self) -> list[Sheet]:
        day, total = self.as_of.isoformat(), t("report.total")
        figures = ["met", "due", "overdue", "not_applicable", "completion", "pairings_overdue"]
        duty_keys = ["programme", "duty", "label", *figures]
        region_keys = ["code", "name", *figures[:5], "pairings", "pairings_overdue"]
        people_keys = ["volunteer", "volunteer_name", "team_name", "overdue", "pairings_overdue"]
        data = self.as_dict()
        whole = {**data["total"], "programme": total, "code": total, "duty": "", "label": "", "name": ""}
        return [
            Sheet("duties", t("report.duties.title", year=self.year, day=day), duty_keys, headers(duty_keys),
                  [[d.get(k) for k in duty_keys] for d in data["duties"] + [whole]], total=True, frozen="D3"),
            Sheet("regions", t("report.duties.regions", year=self.year, day=day), region_keys,
                  headers(region_keys), [[r.get(k) for k in region_keys] for r in data["regions"] + [whole]],
                  total=True),
            Sheet("volunteers", t("report.duties.volunteers", n=len(self.volunteers)), people_keys,
                  headers(people_keys),
                  [[{**v, "volunteer_name": v["name"]}[k] for k in people_keys] for v in self.volunteers]),
        ]


def _tally(width: int, book: duties.Book, results: list[duties.PairingResult]) -> tuple:
    """A worker's part: (programme, duty, label, region, pairing, volunteer, status) counted."""
    found = Counter()
    for r in results:
        p = r.pairing
        place = str(book.children.get(p.child, {}).get("village") or "")[:width].ljust(12, "0")
        for d in r.duties:
            found[r.programme, d.id, d.label, place, p.id, p.volunteer, d.status] += 1
    people = {v: {k: book.volunteers.get(v, {}).get(k) for k in ("name", "team", "village")}
              for v in {v for *_rest, v, _s in found}}  # each volunteer once, not once a duty
    return found, people, book.teams


@dataclass
class Counted(Row):
    """A row whose pairings SQL counted (no set of their ids)."""

    n_pairings: int = 0
    n_overdue: int = 0

    def figures(self) -> dict:
        return {**super().figures(), "pairings": self.n_pairings, "pairings_overdue": self.n_overdue}


def duty_report(index: Index, year: int, as_of: dt.date, level: str = "county", region: str = "",
                top: int = 10, cache: bool = True) -> DutyReport:
    listed = _regions(index)
    prefix = region_prefix(region, listed) if region else ""
    store = kept_duties.judged(index, year, as_of, prefix) if cache and index.use_cache else None
    if store is not None:
        return _counted(index, store, year, as_of, level, region, prefix, top, listed)
    unreadable, parts = duties.in_parts(index, year, as_of, partial(_tally, LEVELS[level]), region=prefix or None)
    by_duty: dict[tuple, Row] = {}
    by_region: dict[tuple, Row] = {}
    total = Row(("",))
    overdue: Counter = Counter()
    overdue_pairings: dict[str, set] = {}
    people, teams = {}, {}
    for found, part_people, part_teams in parts:
        people.update(part_people)
        teams.update(part_teams)
        for (programme, duty, label, place, pairing, volunteer, status), n in found.items():
            rows = (by_duty.setdefault((programme, duty), Row((programme, duty), label)),
                    by_region.setdefault((place,), Row((place,), listed.get(place, ("",))[0])), total)
            for row in rows:
                row.counts[status] += n
                row.pairings.add(pairing)
                if status == duties.OVERDUE:
                    row.pairings_overdue.add(pairing)
            if status == duties.OVERDUE:
                overdue[volunteer] += n
                overdue_pairings.setdefault(volunteer, set()).add(pairing)
    worst = sorted(overdue, key=lambda v: (-overdue[v], v))[:top]
    volunteers = [{"volunteer": v, "name": people[v].get("name"), "team": people[v].get("team"),
                   "team_name": teams.get(people[v].get("team")), "overdue": overdue[v],
                   "pairings_overdue": len(overdue_pairings[v])} for v in worst]
    return DutyReport(year, as_of, level, region, sorted(by_duty.values(), key=_lowest_first),
                      sorted(by_region.values(), key=_lowest_first), total, volunteers, unreadable)


def _lowest_first(row: Row):
    return (row.rate is None, row.rate or 0.0, row.key)


# --- from the judgements kept in the index ----------------------------------------------------------

def _counted(index: Index, store: duty_cache.DutyCache, year: int, as_of: dt.date, level: str, region: str,
             prefix: str, top: int, listed: dict) -> DutyReport:
    """The report counted from the judgements kept in the index."""
    by_duty: dict[tuple, Counted] = {}
    by_region: dict[str, Counted] = {}
    total = Counted(("",))
    for programme, statuses, place, n in store.combinations(prefix, LEVELS[level]):
        region_row = by_region.get(place) or by_region.setdefault(
            place, Counted((place,), listed.get(place, ("",))[0]))
        duty_rows = {}
        for duty, label, status in statuses:
            row = duty_rows.get(duty) or by_duty.get((programme, duty)) or by_duty.setdefault(
                (programme, duty), Counted((programme, duty), label))
            duty_rows[duty] = row
            for counted in (row, region_row, total):
                counted.counts[status] += n
        overdue = {duty for duty, _label, status in statuses if status == duties.OVERDUE}
        for duty, row in duty_rows.items():  # a pairing counts once for each duty, place and in all
            row.n_pairings += n
            row.n_overdue += n if duty in overdue else 0
        for counted in (region_row, total) if statuses else ():
            counted.n_pairings += n
            counted.n_overdue += n if overdue else 0
    worst = store.most_overdue(prefix, top)
    people = duties._people(index, "volunteer", ("name", "team"), {v for v, _n, _p in worst})
    teams = {rid: name or rid for rid, name in duties._records(index, "team", ("name",))}
    most = [{"volunteer": v, "name": people.get(v, {}).get("name"), "team": people.get(v, {}).get("team"),
             "team_name": teams.get(people.get(v, {}).get("team")), "overdue": n, "pairings_overdue": p}
            for v, n, p in worst]
    # the logs of the region's volunteers, or of everyone, as the judging itself tells them
    unreadable = store.unreadable if store.unreadable is not None else \
        duties.unreadable_logs(index, store.volunteers(prefix) if prefix else None, (year - 1, year))
    by_region = {code: row for code, row in by_region.items() if row.n_pairings or sum(row.counts.values())}
    return DutyReport(year, as_of, level, region, sorted(by_duty.values(), key=_lowest_first),
                      sorted(by_region.values(), key=_lowest_first), total, most, unreadable)

"""``aimama report volunteers``: the volunteers of every region — the vetting pipeline, pledges
signed and service hours.

* placed by their ``village``; ``volunteers`` counts every record, ``active`` and ``withdrawn``
  their status;
* vetting: each status counted over every record; ``expiring`` are the active, approved
  volunteers a required check of whom lapses within the repository's ``expiring_days`` of the
  day, ``expired`` those one has lapsed for already (rules AM706 and AM707 decide alike);
* pledged: active volunteers with a pledge for the year;
* hours: the service hours of the year's logs (entries with contact made and hours given, as
  ``export hours`` counts them), added as decimals.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from aimama_cli.core.dates import parse_date
from aimama_cli.core.i18n import t
from aimama_cli.model.vetting import Policy, latest_checks
from aimama_cli.reports.coverage import Places, RegionReport, headers, level_label
from aimama_cli.reports.kept import _figures, _state, remembered
from aimama_cli.reports.sheets import Sheet, rate
from aimama_cli.store.index import Index

VETTING = ("pending", "approved", "rejected", "suspended")


@dataclass
class Figures:
    code: str
    name: str = ""
    volunteers: int = 0
    active: int = 0
    withdrawn: int = 0
    vetting: dict = field(default_factory=lambda: dict.fromkeys(VETTING, 0))
    expiring: int = 0
    expired: int = 0
    pledged: int = 0
    hours: Decimal = Decimal(0)
    serving: int = 0  # volunteers with hours in the year

    def add(self, other: "Figures") -> None:
        for name in ("volunteers", "active", "withdrawn", "expiring", "expired", "pledged", "hours", "serving"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status in VETTING:
            self.vetting[status] += other.vetting[status]

    @property
    def pledge_rate(self) -> float | None:
        return rate(self.pledged, self.active)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "volunteers": self.volunteers,
                "active": self.active, "withdrawn": self.withdrawn,
                "vetting": dict(self.vetting), "expiring": self.expiring, "expired": self.expired,
                "pledged": self.pledged, "pledge_rate": self.pledge_rate,
                "hours": float(self.hours), "serving": self.serving}


@dataclass
class VolunteerReport(RegionReport):
    year: int = 0

    def as_dict(self) -> dict:
        return {"year": self.year, **super().as_dict()}

    def sheets(self) -> list[Sheet]:
        keys = ["code", "name", "volunteers", "active", "withdrawn", *(f"vetting.{s}" for s in VETTING),
                "expiring", "expired", "pledged", "pledge_rate", "hours", "serving"]
        rows = []
        for figures in [*self.regions, self.total]:
            data = figures.as_dict()
            rows.append([data["vetting"][k[8:]] if k.startswith("vetting.") else data[k] for k in keys])
        rows[-1][1] = t("report.total")
        return [Sheet(self.level, t("report.volunteers.title", year=self.year, day=self.as_of.isoformat(),
                                    level=level_label(self.level)), keys, headers(keys), rows, total=True)]


def volunteer_report(index: Index, as_of: dt.date, year: int | None = None, level: str = "county",
                     region: str = "", cache: bool = True) -> VolunteerReport:
    """Kept in the index until a file changes (``cache=False``: counted again)."""
    year = year or as_of.year
    return remembered(index, f"volunteers:{as_of}:{year}:{level}:{region}",
                      lambda: _volunteer_report(index, as_of, year, level, region, cache),
                      VolunteerReport, Figures, cache)


def _volunteer_report(index: Index, as_of: dt.date, year: int, level: str, region: str,
                      cache: bool = True) -> VolunteerReport:
    """The figures of any day (kept in the index until a file of the kinds in PEOPLE changes),
    the hours of the year's logs, and the checks that lapse soon or have lapsed by ``as_of``: a
    new day, or a log changed, counts only those."""
    def count() -> dict:
        return _any_day(index, year, level, region)
    counted = index.remembered(f"volunteers-any-day:{year}:{level}:{region}", count, kinds=PEOPLE) \
        if cache and index.use_cache else count()
    regions = [_figures(Figures, state) for state in counted["regions"]]
    by_code = {figures.code: figures for figures in regions}
    hours = _hours(index, year)  # from the logs, which change far more often than the people
    for rid, code in counted["placed"]:
        if rid in hours:
            by_code[code].hours += hours[rid]
            by_code[code].serving += 1
    day = as_of.isoformat()
    for code, warned_from, lapses_on, n in counted["lapses"]:
        if warned_from <= day:
            if lapses_on <= day:
                by_code[code].expired += n
            else:
                by_code[code].expiring += n
    total = Figures("", "")
    for figures in regions:
        total.add(figures)
    return VolunteerReport(as_of, level, region, regions, total, year)


# what the figures of any day read, but for the hours (the logs): they are kept until one changes
PEOPLE = ("volunteer", "team", "pledge", "config", "regions")


def _any_day(index: Index, year: int, level: str, region: str) -> dict:
    """The regions' figures but for lapsed checks and hours; each volunteer's region (her
    hours are added to it); and how many active, approved volunteers of each region enter the
    warning of a lapse on which day and lapse on which: as JSON.  Reads the kinds in PEOPLE only."""
    places = Places(index, level, region, Figures)
    pledged = {line.partition("\t")[0] for _rid, line in index.briefs("pledge") if line.endswith(f"\t{year}")}
    lapse = _Lapse(index)
    lapses: Counter = Counter()
    placed = []
    for rid, row, checks in index.db.execute(
            """SELECT rid, json_extract(fields, '$.village', '$.status', '$."vetting.status"', '$.team'),
                      json_extract(fields, '$."vetting.checks"')
               FROM files WHERE kind = 'volunteer'"""):
        village, status, vetting, team = json.loads(row)
        village = str(village or "")
        if not village.startswith(places.prefix):
            continue
        figures = places.row(village)
        figures.volunteers += 1
        figures.active += status == "active"
        figures.withdrawn += status == "withdrawn"
        if vetting in figures.vetting:
            figures.vetting[vetting] += 1
        if status == "active":
            figures.pledged += rid in pledged
            if vetting == "approved" and checks:
                window = lapse.window(json.loads(checks), team)
                if window:
                    lapses[(figures.code, *window)] += 1
        placed.append((rid, figures.code))
    regions = sorted(places.rows.values(), key=lambda f: f.code)
    return {"regions": [_state(f) for f in regions], "placed": placed,
            "lapses": [[*key, n] for key, n in sorted(lapses.items())]}


class _Lapse:
    """When an approved volunteer's required checks begin to lapse soon, and lapse."""

    def __init__(self, index: Index, as_of: dt.date | None = None):
        self.policy = Policy(SimpleNamespace(index=index))
        self.levels = dict(index.db.execute(
            "SELECT rid, json_extract(fields, '$.level') FROM files WHERE kind = 'team'"))
        self.as_of = as_of
        self.rules: dict = {}  # a team's level -> (days a check is valid, days of warning, kinds required)

    def window(self, checks: list, team) -> tuple[str, str] | None:
        """(the first day a lapse is warned of, the day it lapses) of the first required check
        to lapse; None when none will (none was cleared)."""
        level = self.levels.get(team)
        if level not in self.rules:
            self.rules[level] = (dt.timedelta(days=self.policy.get("check_valid_days", level)),
                                 dt.timedelta(days=self.policy.get("expiring_days", level)),
                                 self.policy.get("required_checks", level))
        valid, warning, required = self.rules[level]
        latest = latest_checks(checks)
        ends = []
        for kind in required:
            _i, check = latest.get(kind, (None, {}))
            checked = parse_date(check.get("checked_on"))
            if checked and check.get("result") == "clear":
                ends.append(checked + valid)
        first = min(ends, default=None)
        if first is None:
            return None
        warned = first - warning if first - dt.date.min > warning else dt.date.min
        return warned.isoformat(), first.isoformat()

    def state(self, checks: list, team) -> str | None:
        """"expiring", "expired" or None on the day given."""
        window = self.window(checks, team)
        day = self.as_of.isoformat()
        if window is None or window[0] > day:
            return None
        return "expired" if window[1] <= day else "expiring"


def _hours(index: Index, year: int) -> dict[str, Decimal]:
    """Volunteer -> service hours in the year's logs (the entries ``served`` counts), as the
    index added them up for each log."""
    found: dict[str, Decimal] = {}
    for _rid, line in index.briefs("activity"):
        volunteer, logged_year, hours = line.split("\t")
        if logged_year == str(year):
            found[volunteer] = found.get(volunteer, Decimal(0)) + Decimal(hours)
    return found

"""``aimama report activities|training|support``: team activities, training and the support
ledger, read from the record index.

* activities: the team activities dated in the year, per team and kind — how many, and how
  many distinct children came; a child counts once per team and kind however often she came.
  The children "not reached" are the active children (of the region) whom no team activity of
  the year named, whichever team held it;
* training: per team, its active volunteers, those who attended a session in the year, the
  share of them trained, the sessions and the person-hours (a 3-hour session attended by two
  of the team's volunteers is 6);
* support: per team supported and year, the entries, what was pledged, received and is still
  outstanding (per entry: pledged less received, never below nothing), and for whom.  Amounts
  are added as ``Decimal``: the totals are the sums of the entries to the cent.

Each report has ``as_dict()`` (JSON) and ``sheets()`` (tables, CSV, a workbook).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from aimama_cli.core.i18n import language, t
from aimama_cli.domain.people import region_names
from aimama_cli.model.teamwork import amount, hours_of, receipts
from aimama_cli.model.teamwork import received as received_of
from aimama_cli.reports.coverage import _regions, region_prefix
from aimama_cli.reports.sheets import Sheet, rate
from aimama_cli.store import schemas
from aimama_cli.store.index import Index

ZERO = Decimal(0)


def _label(kind: str, path: tuple, code) -> str:
    return schemas.label(kind, path, code, language())


def _number(value: Decimal):
    """Hours for JSON and tables: 3 rather than 3.0, 1.5 as it is."""
    return int(value) if value == value.to_integral_value() else float(value)


def _prefix(index: Index, region: str) -> str:
    return region_prefix(region, _regions(index)) if region else ""


def _names(index: Index, kind: str) -> dict[str, str]:
    return {rid: f.get("name", "") for _p, rid, f in index.fields(kind, ("name",)) if rid}


def _headers(keys: list[str]) -> list[str]:
    return [t(f"report.teamwork.col.{k}") for k in keys]


# --- activities -------------------------------------------------------------------------------

@dataclass
class TeamFigures:
    team: str
    name: str
    kinds: dict = field(default_factory=lambda: defaultdict(lambda: [0, set()]))  # kind -> [n, children]
    activities: int = 0
    children: set = field(default_factory=set)
    hours: Decimal = ZERO

    def as_dict(self) -> dict:
        return {"team": self.team, "name": self.name, "activities": self.activities,
                "children": len(self.children), "hours": _number(self.hours),
                "kinds": {k: {"activities": n, "children": len(c)} for k, (n, c) in sorted(self.kinds.items())}}


@dataclass
class ActivityReport:
    year: int
    region: str
    teams: list[TeamFigures]
    registered: int  # active children of the region
    reached: int  # of them, those a team activity of the year named
    not_reached: list[dict]  # {id, name, village}

    @property
    def coverage(self) -> float | None:
        return rate(self.reached, self.registered)

    def as_dict(self) -> dict:
        return {"year": self.year, "region": self.region or None,
                "teams": [f.as_dict() for f in self.teams],
                "total": {"activities": sum(f.activities for f in self.teams),
                          "hours": _number(sum((f.hours for f in self.teams), ZERO)),
                          "children_registered": self.registered, "children_reached": self.reached,
                          "coverage": self.coverage},
                "children_not_reached": self.not_reached}

    def sheets(self) -> list[Sheet]:
        keys = ["team", "name", "kind", "activities", "children", "hours"]
        rows = []
        for f in self.teams:
            rows += [[f.team, f.name, _label("team_activity", ("kind",), kind), n, len(children), ""]
                     for kind, (n, children) in sorted(f.kinds.items())]
            rows.append([f.team, f.name, t("report.teamwork.all_kinds"), f.activities, len(f.children),
                         _number(f.hours)])
        total = self.as_dict()["total"]
        rows.append(["", t("report.total"), "", total["activities"], self.reached, total["hours"]])
        missing_keys = ["id", "child", "village"]
        missing = [[c["id"], c["name"], c["village"]] for c in self.not_reached]
        return [Sheet("activities", t("report.activities.title", year=self.year, reached=self.reached,
                                      registered=self.registered,
                                      coverage="—" if self.coverage is None else self.coverage),
                      keys, _headers(keys), rows, total=True),
                Sheet("not_reached", t("report.activities.not_reached", year=self.year, count=len(missing)),
                      missing_keys, _headers(missing_keys), missing, frozen="B3")]


def activity_report(index: Index, year: int, region: str = "") -> ActivityReport:
    prefix = _prefix(index, region)
    teams = {rid: (f.get("name", ""), str(f.get("region") or ""))
             for _p, rid, f in index.fields("team", ("name", "region")) if rid}
    found: dict[str, TeamFigures] = {}
    reached: set[str] = set()
    for _p, _rid, f in index.fields("team_activity", ("team", "date", "kind", "children", "hours")):
        if not str(f.get("date", "")).startswith(f"{year}-"):
            continue
        children = {c for c in f.get("children") or () if isinstance(c, str)}
        reached |= children  # reached by any team, whatever the region asked for
        team = f.get("team")
        name, place = teams.get(team, ("", ""))
        if not place.startswith(prefix) or not isinstance(team, str):
            continue
        figures = found.setdefault(team, TeamFigures(team, name))
        figures.activities += 1
        figures.children |= children
        figures.hours += hours_of(f.get("hours"))
        counted = figures.kinds[f.get("kind") or "-"]
        counted[0] += 1
        counted[1] |= children
    places = region_names(index)
    registered, not_reached = 0, []
    for _p, rid, f in index.fields("child", ("name", "village", "status")):
        village = str(f.get("village") or "")
        if f.get("status") != "active" or not village.startswith(prefix):
            continue
        registered += 1
        if rid not in reached:
            not_reached.append({"id": rid, "name": f.get("name", ""), "village": places.get(village, village)})
    return ActivityReport(year, region, sorted(found.values(), key=lambda f: f.team), registered,
                          registered - len(not_reached), not_reached)


# --- training -----------------------------------------------------------------------------------

@dataclass
class TrainingReport:
    year: int
    region: str
    rows: list[dict]  # team, name, volunteers, trained, share, sessions, hours
    sessions: int = 0  # sessions of the year with an attendee counted

    def as_dict(self) -> dict:
        return {"year": self.year, "region": self.region or None, "teams": self.rows,
                "total": self._total()}

    def _total(self) -> dict:
        volunteers = sum(r["volunteers"] for r in self.rows)
        trained = sum(r["trained"] for r in self.rows)
        return {"volunteers": volunteers, "trained": trained,
                "share": rate(trained, volunteers),
                "sessions": self.sessions, "hours": _number(sum((Decimal(str(r["hours"])) for r in self.rows), ZERO))}

    def sheets(self) -> list[Sheet]:
        keys = ["team", "name", "volunteers", "trained", "share", "sessions", "hours"]
        total = {**self._total(), "team": "", "name": t("report.total")}
        rows = [[r[k] for k in keys] for r in [*self.rows, total]]
        return [Sheet("training", t("report.training.title", year=self.year), keys, _headers(keys), rows,
                      total=True)]


def training_report(index: Index, year: int, region: str = "") -> TrainingReport:
    prefix = _prefix(index, region)
    volunteers = {rid: (f.get("team"), f.get("status"), str(f.get("village") or ""))
                  for _p, rid, f in index.fields("volunteer", ("team", "status", "village")) if rid}
    teams = {rid: f.get("name", "") for _p, rid, f in index.fields("team", ("name",)) if rid}
    per_team: dict[str, dict] = {}

    def row(team) -> dict:
        return per_team.setdefault(team, {"team": team, "name": teams.get(team, ""), "volunteers": 0,
                                          "trained": set(), "sessions": set(), "hours": ZERO})

    for rid, (team, status, village) in volunteers.items():
        if status == "active" and village.startswith(prefix) and isinstance(team, str):
            row(team)["volunteers"] += 1
    sessions = set()
    for _p, sid, f in index.fields("training", ("date", "hours", "attendance")):
        if not str(f.get("date", "")).startswith(f"{year}-"):
            continue
        hours = hours_of(f.get("hours"))
        for volunteer in f.get("attendance") or ():
            team, status, village = volunteers.get(volunteer, (None, None, ""))
            if status != "active" or not village.startswith(prefix) or not isinstance(team, str):
                continue
            figures = row(team)
            figures["trained"].add(volunteer)
            figures["sessions"].add(sid)
            figures["hours"] += hours
            sessions.add(sid)
    rows = []
    for team in sorted(per_team):
        r = per_team[team]
        trained = len(r["trained"])
        rows.append({**r, "trained": trained, "sessions": len(r["sessions"]), "hours": _number(r["hours"]),
                     "share": rate(trained, r["volunteers"])})
    return TrainingReport(year, region, rows, len(sessions))


# --- the support ledger ---------------------------------------------------------------------------

@dataclass
class Ledger:
    """Pledged, received and outstanding, added up exactly."""

    entries: int = 0
    pledged: Decimal = ZERO
    received: Decimal = ZERO
    outstanding: Decimal = ZERO

    def add(self, pledged: Decimal, received: Decimal) -> None:
        self.entries += 1
        self.pledged += pledged
        self.received += received
        self.outstanding += max(pledged - received, ZERO)

    def as_dict(self) -> dict:
        return {"entries": self.entries, "pledged": f"{self.pledged:.2f}", "received": f"{self.received:.2f}",
                "outstanding": f"{self.outstanding:.2f}"}


@dataclass
class SupportReport:
    year: int | None
    team: str | None
    groups: list[dict]  # team, name, year, Ledger, children, for_team
    entries: list[dict]
    total: Ledger

    def as_dict(self) -> dict:
        return {"year": self.year, "team": self.team,
                "teams": [{"team": g["team"], "name": g["name"], "year": g["year"], **g["ledger"].as_dict(),
                           "children": g["children"], "for_team": g["for_team"]} for g in self.groups],
                "total": self.total.as_dict(), "entries": self.entries}

    def sheets(self) -> list[Sheet]:
        keys = ["team", "name", "year", "entries", "pledged", "received", "outstanding", "for_whom"]
        rows = []
        for g, data in zip(self.groups, self.as_dict()["teams"]):
            rows.append([g["team"], g["name"], g["year"], data["entries"], data["pledged"], data["received"],
                         data["outstanding"], _for_whom(g["children"], g["for_team"])])
        total = self.total.as_dict()
        rows.append(["", t("report.total"), "", total["entries"], total["pledged"], total["received"],
                     total["outstanding"], ""])
        entry_keys = ["id", "team", "year", "giver", "kind", "description", "pledged", "received",
                      "outstanding", "for_whom"]
        entry_rows = [[e["id"], e["team_name"], e["year"], e["giver"], _label("support", ("kind",), e["kind"]),
                       e["description"], e["pledged"], e["received"], e["outstanding"],
                       _for_whom(e["children"], not e["children"])] for e in self.entries]
        title = t("report.support.title", year=self.year or t("report.teamwork.all_years"))
        return [Sheet("support", title, keys, _headers(keys), rows, total=True),
                Sheet("entries", t("report.support.entries"), entry_keys, _headers(entry_keys), entry_rows,
                      frozen="B3")]


def _for_whom(children: list[dict], for_team) -> str:
    named = "、".join(c["name"] or c["id"] for c in children)
    if for_team:
        return "、".join(filter(None, [t("report.teamwork.the_team"), named]))
    return named


def _receipt(r: dict) -> dict:
    """A receipt as the report shows it: its day, its amount to the cent, its evidence."""
    money = amount(r.get("amount"))
    return {"date": r.get("date"), "amount": f"{money:.2f}" if money is not None else None,
            **({"evidence": r["evidence"]} if r.get("evidence") else {})}


def support_report(index: Index, year: int | None = None, team: str | None = None) -> SupportReport:
    teams = _names(index, "team")
    children = _names(index, "child")
    volunteers = _names(index, "volunteer")
    groups: dict[tuple, dict] = {}
    entries, total = [], Ledger()
    for _p, rid, f in index.fields("support"):
        on = str(f.get("pledged_on") or "")
        entry_year = int(on[:4]) if on[:4].isdigit() else None
        if (year and entry_year != year) or (team and f.get("team") != team):
            continue
        pledged = amount(f.get("pledged_amount")) or ZERO
        received = received_of(f) or ZERO
        key = (f.get("team") or "", entry_year or 0)
        group = groups.setdefault(key, {"team": key[0], "name": teams.get(key[0], ""), "year": entry_year,
                                        "ledger": Ledger(), "children": {}, "for_team": 0})
        group["ledger"].add(pledged, received)
        total.add(pledged, received)
        named = [{"id": c, "name": children.get(c, "")} for c in f.get("children") or () if isinstance(c, str)]
        for child in named:
            group["children"][child["id"]] = child
        group["for_team"] += not named
        giver = (f.get("by_team") or f.get("by_volunteer") or f.get("by_unit") or "")
        listed = [r for _path, r in receipts(f)]
        entries.append({"id": rid, "team": key[0], "team_name": teams.get(key[0], ""), "year": entry_year,
                        "pledged_on": on, "received_on": max((str(r["date"]) for r in listed if r.get("date")),
                                                             default=None),
                        "giver": teams.get(giver) or volunteers.get(giver) or giver, "giver_id": giver,
                        "kind": f.get("kind"), "description": f.get("description", ""),
                        "pledged": f"{pledged:.2f}", "received": f"{received:.2f}",
                        "outstanding": f"{max(pledged - received, ZERO):.2f}", "children": named,
                        "receipts": [_receipt(r) for r in listed]})
    ordered = [groups[k] for k in sorted(groups)]
    for g in ordered:
        g["children"] = sorted(g["children"].values(), key=lambda c: c["id"])
    entries.sort(key=lambda e: (e["team"], e["pledged_on"], e["id"]))  # a ledger reads in date order
    return SupportReport(year, team, ordered, entries, total)

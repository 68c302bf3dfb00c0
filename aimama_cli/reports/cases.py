"""``aimama report cases``: the professional teams' case work (个案) in a year, per team.

* ``opened``: cases opened in the year; ``closed``: closed in the year;
* ``open``: cases open on the day, ``high_risk`` of them with a high risk level, ``overdue``
  of them with something overdue (as ``duty check`` judges it);
* ``steps`` and ``hours``: the steps dated in the year up to the day, and their hours, added as
  decimals.

Every professional team has a row, with or without cases; a case naming a team that is not one
still counts, in a row of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from aimama_cli.core.hours import decimal_hours
from aimama_cli.core.i18n import language, t
from aimama_cli.model import case_duties
from aimama_cli.reports.sheets import Sheet
from aimama_cli.store import schemas
from aimama_cli.store.index import Index

COUNTS = ("opened", "closed", "open", "high_risk", "overdue", "steps")


@dataclass
class TeamFigures:
    team: str
    name: str = ""
    kind: str = ""
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    hours: Decimal = Decimal(0)

    def add(self, other: "TeamFigures") -> None:
        for key in COUNTS:
            self.counts[key] += other.counts[key]
        self.hours += other.hours

    def as_dict(self) -> dict:
        return {"team": self.team, "name": self.name, "kind": self.kind, **self.counts, "hours": float(self.hours)}


@dataclass
class CaseReport:
    year: int
    as_of: dt.date
    teams: list[TeamFigures]
    total: TeamFigures

    def as_dict(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(), "teams": [f.as_dict() for f in self.teams],
                "total": self.total.as_dict()}

    def sheets(self) -> list[Sheet]:
        keys = ["team", "name", "kind", *COUNTS, "hours"]
        rows = [[f.as_dict()[k] for k in keys] for f in [*self.teams, self.total]]
        rows[-1][1] = t("report.total")
        for row in rows[:-1]:  # the team's kind as a coordinator reads it: 家庭教育
            row[2] = schemas.label("team", ("kind",), row[2], language())
        return [Sheet("cases", t("report.cases.title", year=self.year, day=self.as_of.isoformat()), keys,
                      [t(f"report.cases.col.{k}") for k in keys], rows, total=True)]


def case_report(index: Index, as_of: dt.date, year: int | None = None) -> CaseReport:
    year = year or as_of.year
    first, last = f"{year}-01-01", min(f"{year}-12-31", as_of.isoformat())
    rows = {rid: TeamFigures(rid, f.get("name", ""), f.get("kind", ""))
            for _p, rid, f in index.fields("team", ("name", "level", "kind")) if f.get("level") == "professional"}
    judged = {r.case.id: r for r in case_duties.judge(index, as_of)}
    for _path, rid, f in index.fields("case"):
        team = f.get("team") or "-"
        figures = rows.setdefault(team, TeamFigures(team))
        counts = figures.counts
        counts["opened"] += first <= str(f.get("opened_on") or "") <= last
        counts["closed"] += first <= str(f.get("closed.on") or "") <= last
        if rid in judged:
            counts["open"] += 1
            counts["high_risk"] += f.get("risk_level") == "high"
            counts["overdue"] += any(d.status == case_duties.OVERDUE for d in judged[rid].duties)
        for step in f.get("steps") or ():
            if isinstance(step, dict) and first <= str(step.get("date") or "") <= last:
                counts["steps"] += 1
                figures.hours += decimal_hours(step.get("hours")) or 0
    teams = sorted(rows.values(), key=lambda f: f.team)
    total = TeamFigures("", "")
    for figures in teams:
        total.add(figures)
    return CaseReport(year, as_of, teams, total)

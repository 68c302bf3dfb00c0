"""The case part of ``duty check`` and ``duty remind``: open cases' duties as a table, as JSON,
and as reminders per professional team."""

from __future__ import annotations

import datetime as dt

from aimama_cli.core.i18n import t
from aimama_cli.model import case_duties
from aimama_cli.reports.views import simple_table


def check_json(index, results: list) -> dict:
    """The ``cases`` part of ``duty check --format json``."""
    names = case_duties.names_of(index, [x for r in results for x in (r.case.child, r.case.team)])
    return {"summary": case_duties.summary(results), "results": [r.as_dict(names) for r in results]}


def check_text(index, day, results: list, wanted: tuple) -> str:
    """The case table of ``duty check`` (items of the ``wanted`` statuses) and its summary."""
    names = case_duties.names_of(index, [x for r in results for x in (r.case.child, r.case.team)])
    rows = [[r.case.id, names.get(r.case.child) or r.case.child or "", names.get(r.case.team) or r.case.team or "",
             d.label, t(f"duty.status.{d.status}"), d.deadline,
             t("case.detail.done", count=len(d.evidence), last=d.evidence[-1]) if d.evidence else t("case.detail.none")]
            for r in results for d in r.duties if d.status in wanted]
    headers = [t(f"case.col.{h}") for h in ("id", "child", "team", "duty", "status", "deadline", "detail")]
    lines = [simple_table(rows, headers)] if rows else []
    lines.append(t("case.summary", as_of=day.isoformat(), **case_duties.summary(results)))
    return "\n".join(lines)


def reminders(index, day, results: list, within: int) -> list[dict]:
    """Per team, the items of its open cases overdue or falling due within ``within`` days."""
    horizon = (day + dt.timedelta(days=within)).isoformat()
    names = case_duties.names_of(index, [x for r in results for x in (r.case.child, r.case.team)])
    teams: dict[str, dict] = {}
    for r in results:
        items = [d for d in r.duties if d.status == case_duties.OVERDUE
                 or (d.status == case_duties.DUE and d.deadline <= horizon)]
        if items:
            team = teams.setdefault(r.case.team, {"team": r.case.team, "team_name": names.get(r.case.team), "items": []})
            team["items"].extend({"case": r.case.id, "child": r.case.child, "child_name": names.get(r.case.child),
                                  "what": d.status, "duty": d.as_dict()} for d in items)
    return [teams[k] for k in sorted(teams)]


def reminder_text(teams: list[dict]) -> str:
    lines = []
    for team in teams:
        lines.append(t("case.remind.team", name=team["team_name"] or team["team"], id=team["team"]))
        lines.extend("  · " + t(f"case.remind.{i['what']}", child=i["child_name"] or i["child"], case=i["case"],
                                duty=i["duty"]["label"], deadline=i["duty"]["deadline"]) for i in team["items"])
        lines.append("")
    return "\n".join(lines).rstrip()

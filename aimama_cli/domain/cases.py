"""Referrals and case work of the professional teams (个案): ``records/cases/<id>.yaml``.

``aimama refer`` opens a case: a concern noted on a visit, an application by the child or the
guardian, a family's registration for a consultation archive (家庭教育咨询档案), or another
department's referral, sent to the professional team of its kind.  ``case add`` records a step
in date order, ``case close`` the outcome.  Whether a change may stand is for the rules to say
(AM851-AM857), like any change; the command layer is ``cli/refer.py`` and ``cli/case.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aimama_cli.core.dates import parse_date
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.domain.activities import hours as read_hours
from aimama_cli.model import case_duties
from aimama_cli.model.case_duties import concern_entry
from aimama_cli.store import editing, values
from aimama_cli.store.change import Change
from aimama_cli.store.index import Index

# the first step a case of this kind gets when it is opened
FIRST_STEP = {"legal_aid": "application_registered"}


@dataclass
class Referral:
    """A referral as typed on the command line (texts, not yet read)."""

    child: str
    to: str  # case kind: code or label
    on: dt.date
    risk: str | None = None
    team: str | None = None
    from_log: str | None = None  # VOLUNTEER:DATE of the log entry that noted the concern
    applicant: str | None = None  # child | guardian: an application
    source: str | None = None  # the source kind, when none of the above says it
    summary: str | None = None
    by: str | None = None  # the volunteer who registers it (legal aid's first step)


def read(path: tuple, text):
    """A value typed for field ``path`` of a case (a code or its Chinese label)."""
    try:
        return values.coerce("case", path, text)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None


def refer(change: Change, r: Referral) -> str:
    """Open a case for ``r``; its id.  Unknown ids are usage errors (exit 2)."""
    child = change.indexed(r.child, "child")
    kind = read(("kind",), r.to)
    team = r.team or choose_team(change.index, kind, str(child.get("village") or ""))
    team_name = change.indexed(team, "team").get("name")
    source, risk = _source(change, r, kind)
    data = {"kind": kind, "child": r.child, "team": team, "opened_on": r.on.isoformat(),
            "source": source, "status": "open"}
    if r.risk or risk:
        data["risk_level"] = read(("risk_level",), r.risk or risk)
    if r.summary:
        data["summary"] = r.summary
    if kind in FIRST_STEP:
        data["steps"] = [_step(change, FIRST_STEP[kind], r.on, r.by, None, None)[0]]
    return change.create("case", data, county=str(child.get("village") or "")[:6],
                         names={"child": child.get("name"), "team": team_name})


def _source(change: Change, r: Referral, kind: str) -> tuple[dict, str | None]:
    """The case's source, and the risk level the log entry gave the concern (if any)."""
    if r.from_log:
        volunteer, sep, day = r.from_log.partition(":")
        if not sep:
            raise UsageError("refer.bad_from_log", value=r.from_log)
        change.indexed(volunteer, "volunteer")
        day = read(("source", "date"), day)
        entry = concern_entry(change.index.db, volunteer, day, r.child) or {}
        return {"kind": "visit_concern", "volunteer": volunteer, "date": day}, entry.get("concern_risk")
    if r.applicant:
        return {"kind": "application", "applicant": read(("source", "applicant"), r.applicant)}, None
    if r.source:
        return {"kind": read(("source", "kind"), r.source)}, None
    return {"kind": "registration" if kind == "family_education" else "referral"}, None


def choose_team(index: Index, kind: str, village: str) -> str:
    """The active professional team of ``kind`` nearest the child (the longest region code
    prefix in common); a usage error when there is none, or two are as near."""
    teams = [(rid, str(f.get("region") or "")) for _p, rid, f in index.fields("team", ("level", "kind", "region", "status"))
             if f.get("level") == "professional" and f.get("kind") == kind and f.get("status", "active") == "active"]
    if not teams:
        raise UsageError("refer.no_team", kind=kind)

    def shared(region: str) -> int:
        return next((i for i, (a, b) in enumerate(zip(region, village)) if a != b), min(len(region), len(village)))

    best = max(shared(region) for _rid, region in teams)
    nearest = sorted(rid for rid, region in teams if shared(region) == best)
    if len(nearest) > 1:
        raise UsageError("refer.which_team", kind=kind, teams=", ".join(nearest))
    return nearest[0]


def _step(change: Change, kind: str, day: dt.date, by: str | None, hours: str | None,
          notes: str | None) -> tuple[dict, dict]:
    """A step (in any key order: the schema orders it) and the names of its ids."""
    step: dict = {"date": day.isoformat(), "kind": read(("steps", 0, "kind"), kind)}
    names = {}
    if by:
        names["by"] = change.indexed(by, "volunteer").get("name")
        step["by"] = by
    if hours is not None:
        step["hours"] = read_hours(hours)
    if notes:
        step["notes"] = notes
    return step, names


def add_step(change: Change, case: str, kind: str, day: dt.date, *, by: str | None = None,
             hours: str | None = None, notes: str | None = None) -> None:
    """Record a step of ``case``, in date order among its steps."""
    doc = change.load(case, "case")
    if doc.get("status") == "closed":
        raise UsageError("case.closed", id=case, on=(doc.get("closed") or {}).get("on", "-"))
    step, names = _step(change, kind, day, by, hours, notes)
    editing.insert_dated(doc, "case", "steps", step, names)


def close(change: Change, case: str, day: dt.date, outcome: str, reason: str | None = None) -> None:
    """Close ``case`` with its outcome."""
    doc = change.load(case, "case")
    if doc.get("status") == "closed":
        raise UsageError("case.closed", id=case, on=(doc.get("closed") or {}).get("on", "-"))
    closed = {"on": day.isoformat(), "reason": read(("closed", "reason"), reason or "resolved"), "outcome": outcome}
    editing.set_path(doc, "case", ("status",), "closed")
    editing.set_path(doc, "case", ("closed",), closed)


def close_with_child(change: Change, child: str, day: dt.date) -> list[str]:
    """Close the open cases of ``child``, whose record closes on ``day`` (reason child_closed)."""
    open_ones = [rid for _p, rid, f in change.index.fields("case", ("child", "status"))
                 if f.get("child") == child and f.get("status") == "open"]
    for rid in open_ones:
        close(change, rid, day, t("case.child_closed_outcome"), "child_closed")
    return open_ones


def rows(index: Index, *, kind: str | None = None, team: str | None = None, child: str | None = None,
         status: str | None = None, region: str | None = None) -> list[dict]:
    """The cases (their indexed fields, no notes) that pass the filters (``region``: of the
    children living there), in file order."""
    villages = {rid: str(f.get("village") or "") for _p, rid, f in index.fields("child", ("village",))} \
        if region else {}
    found = []
    for _path, rid, f in index.fields("case"):
        if (kind and f.get("kind") != kind) or (team and f.get("team") != team) \
                or (child and f.get("child") != child) or (status and f.get("status") != status) \
                or (region and not villages.get(f.get("child"), "").startswith(region)):
            continue
        steps = [s for s in f.get("steps") or () if isinstance(s, dict)]
        last = max((s.get("date") for s in steps if parse_date(s.get("date"))), default=None)
        found.append({"id": rid, **{k: f.get(k) for k in ("kind", "child", "team", "opened_on", "risk_level", "status")},
                      "closed_on": f.get("closed.on"), "steps": len(steps), "last_step": last})
    return found


def without_case(index: Index, kind: str, region: str | None = None) -> list[dict]:
    """Active children in ``region`` with no case of ``kind``, open or closed: for family
    education, the guardians still without a consultation archive (家庭教育咨询档案)."""
    having = {f.get("child") for _p, _rid, f in index.fields("case", ("child", "kind")) if f.get("kind") == kind}
    return [{"id": rid, "name": f.get("name"), "village": f.get("village")}
            for _p, rid, f in index.fields("child", ("name", "village", "status"))
            if f.get("status") == "active" and rid not in having and str(f.get("village") or "").startswith(region or "")]


def judged(index, day, volunteer: str | None, region: str | None) -> list:
    """The open cases judged on ``day``: those of ``volunteer``'s team, or of children in
    ``region``, if given."""
    team = None
    if volunteer:
        team = (index.fields_of(volunteer, "volunteer") or {}).get("team") or "-"
    return case_duties.judge(index, day, team=team, region=region)

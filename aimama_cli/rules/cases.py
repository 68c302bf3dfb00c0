"""Cases (个案): referrals to the professional teams and the work done on them.

A case is opened by a referral (a concern a volunteer noted on a visit, an application by the
child or the guardian, a registration, another department's referral) to a professional team of
its kind; its steps are dated from its opening on, and it closes with an outcome.  What falls
due on a case (a high-risk referral acted on within days, follow-ups while it is open) is
``case_duties``'s: overdue items are warnings here (AM857), as the calendar alone causes them.
"""

from __future__ import annotations

import json

from aimama_cli.core.dates import parse_date
from aimama_cli.core.registry import FILE, REPOSITORY, rule
from aimama_cli.model.case_duties import concern_entry
from aimama_cli.store.index_rows import facts, field

# the steps each kind of case records
STEP_KINDS = {
    "mental_health": ("assessment", "intervention", "follow_up", "consultation"),
    "legal_aid": ("application_registered", "consultation", "simplified_handling", "outcome",
                  "follow_up_visit"),
    "family_education": ("consultation", "session", "follow_up", "follow_up_visit"),
}
RISK_KINDS = ("mental_health",)  # cases that carry a risk level


def _steps(data: dict):
    steps = data.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            yield i, step


@rule("AM853", scope=FILE, kinds=("case",))
def dated_in_order(ctx):
    """No step is dated before the case was opened; a closed case closes on or after its last
    step (and its opening)."""
    opened = parse_date(ctx.data.get("opened_on"))
    last = ("opened_on", opened)
    for i, step in _steps(ctx.data):
        day = parse_date(step.get("date"))
        if day and opened and day < opened:
            yield ctx.problem("AM853", ("steps", i, "date"), date=day.isoformat(), other="opened_on",
                              other_date=opened.isoformat())
        if day and (last[1] is None or day > last[1]):
            last = (f"steps[{i}].date", day)
    closed = ctx.data.get("closed") if isinstance(ctx.data.get("closed"), dict) else {}
    on = parse_date(closed.get("on"))
    if on and last[1] and on < last[1]:
        yield ctx.problem("AM853", ("closed", "on"), date=on.isoformat(), other=last[0],
                          other_date=last[1].isoformat())


@rule("AM854", scope=FILE, kinds=("case",))
def closed_with_outcome(ctx):
    """A closed case says when it closed and its outcome; an open one carries no closing."""
    status, closed = ctx.data.get("status"), ctx.data.get("closed")
    if status == "closed":
        if not isinstance(closed, dict):
            yield ctx.problem("AM854", ("status",), missing="closed.on, closed.outcome")
        elif not str(closed.get("outcome") or "").strip():
            yield ctx.problem("AM854", ("closed",), key=True, missing="closed.outcome")
    elif closed is not None and status == "open":
        yield ctx.problem("AM854", ("closed",), key=True, missing="status: closed")


@rule("AM855", scope=FILE, kinds=("case",))
def fits_its_kind(ctx):
    """A case's steps are steps of its kind (a legal-aid case has no psychological assessment),
    and a mental-health case has a risk level."""
    kind = ctx.data.get("kind")
    if kind not in STEP_KINDS:
        return  # the schema reports it
    if kind in RISK_KINDS and ctx.data.get("risk_level") is None:
        yield ctx.problem("AM855", ("kind",), what="risk_level", kind=kind,
                          allowed="low, medium, high")
    for i, step in _steps(ctx.data):
        if step.get("kind") not in STEP_KINDS[kind] and isinstance(step.get("kind"), str):
            yield ctx.problem("AM855", ("steps", i, "kind"), what=step["kind"], kind=kind,
                              allowed=", ".join(STEP_KINDS[kind]))


@rule("AM851", scope=REPOSITORY)
def team_of_its_kind(repo):
    """A case goes to a professional team (level professional) of its kind: a mental-health
    case to a mental-health team, and so on."""
    rows = repo.db.execute(
        f"""SELECT c.path, c.rid, {field('c', 'kind')}, t.rid, {field('t', 'level')}, {field('t', 'kind')}
            FROM files c JOIN ids i ON i.id = {field('c', 'team')} AND i.kind = 'team'
            JOIN files t ON t.path = i.path
            WHERE c.kind = 'case' {repo.within('c.path')} ORDER BY c.path""")
    for path, rid, kind, team, level, team_kind in rows:
        if level != "professional" or team_kind != kind:
            yield repo.found("AM851", path, "team", rid, team=team, level=level or "-",
                             team_kind=team_kind or "-", kind=kind or "-")


@rule("AM852", scope=REPOSITORY)
def concern_on_record(repo):
    """A case referred from a visit names the log entry that noted the concern (the volunteer
    and the date), and that entry is about the child and records a concern."""
    rows = repo.db.execute(
        f"""SELECT c.path, c.rid, {facts('c', 'child', 'source.volunteer', 'source.date')} FROM files c
            WHERE c.kind = 'case' AND {field('c', 'source.kind')} = 'visit_concern'
            {repo.within('c.path')} ORDER BY c.path""").fetchall()
    for path, rid, row in rows:
        child, volunteer, day = json.loads(row)
        if not (volunteer and parse_date(day)):
            yield repo.found("AM852", path, "source", rid, volunteer=volunteer or "-", date=day or "-")
        elif concern_entry(repo.db, volunteer, day, child) is None:
            yield repo.found("AM852", path, "source.date", rid, volunteer=volunteer, date=day)


@rule("AM856", scope=REPOSITORY)
def open_once(repo):
    """A child has at most one open case of each kind (one consultation archive per family):
    a new referral is a step of the open case; the later ones (one being opened last) are reported."""
    rows = repo.db.execute(
        f"""WITH open AS (SELECT c.path, {repo.seniority('c.path')} AS o, c.rid, {field('c', 'child')} AS child,
                                 {field('c', 'kind')} AS k
                          FROM files c WHERE c.kind = 'case' AND {field('c', 'status')} = 'open')
            SELECT x.path, x.rid, x.child, x.k, (SELECT min(y.rid) FROM open y
                                                 WHERE y.child = x.child AND y.k = x.k AND y.o < x.o)
            FROM open x WHERE EXISTS (SELECT 1 FROM open y WHERE y.child = x.child AND y.k = x.k
                                      AND y.o < x.o) {repo.within('x.path')}
            ORDER BY x.path""")
    for path, rid, child, kind, other in rows:
        yield repo.found("AM856", path, "child", rid, child=child, kind=kind, other=other)


@rule("AM857", scope=REPOSITORY, timed=True)
def cases_on_time(repo):
    """What an open case owes is not overdue: a high-risk referral acted on in time, follow-ups,
    legal aid handled and visited, family-education sessions (see ``aimama duty check``)."""
    from aimama_cli.model import case_duties  # reads aimama.yaml's settings through the index

    scope = None
    if repo.scoped:
        scope = {rid for (rid,) in repo.db.execute(
            f"SELECT rid FROM files WHERE kind = 'case' {repo.within('path')}")}
        if not scope:
            return
    for result in case_duties.judge(repo.index, repo.as_of, case_ids=scope):
        late = [d for d in result.duties if d.status == case_duties.OVERDUE]
        if late:
            yield repo.found("AM857", result.case.path, "status", result.case.id,
                             duties="、".join(d.label for d in late), since=min(d.deadline for d in late))

"""Pairings (结对): one active pairing per child and volunteer, none begun with a child off the
roster or a volunteer who may not serve, and no child left without the local volunteer she had.

(Consent and roster confirmation are in roster.py; vetting and capacity in vetting.py.)
"""

from __future__ import annotations

from ..problems import WARNING
from . import REPOSITORY, rule
from .vetting import active, field


@rule("AM711", scope=REPOSITORY)
def paired_once(repo):
    """A child and a volunteer have at most one active pairing; the later ones are reported."""
    child, volunteer = field("p", "child"), field("p", "volunteer")
    rows = repo.db.execute(
        f"""WITH live AS (SELECT p.path, p.rid, {child} AS c, {volunteer} AS v FROM files p
                          WHERE p.kind = 'pairing' AND {active('p')})
            SELECT a.path, a.rid, a.c, a.v, (SELECT min(b.rid) FROM live b
                                             WHERE b.c = a.c AND b.v = a.v AND b.path < a.path)
            FROM live a WHERE EXISTS (SELECT 1 FROM live b WHERE b.c = a.c AND b.v = a.v
                                      AND b.path < a.path) {repo.within('a.path')}
            ORDER BY a.path""", {"day": repo.as_of.isoformat()})
    for path, rid, child_id, volunteer_id, first in rows:
        yield repo.found("AM711", path, "volunteer", rid, child=child_id, volunteer=volunteer_id,
                         other=first)


@rule("AM712", scope=REPOSITORY)
def begun_when_allowed(repo):
    """A pairing does not begin on or after the day its child was closed, its volunteer
    withdrew, or her suspension was decided."""
    started = field("p", "started_on")
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {started}, c.rid, {field('c', 'closed.on')},
                   v.rid, {field('v', 'closed.on')}, {field('v', 'vetting.status')},
                   {field('v', 'vetting.decided_on')}
            FROM files p
            LEFT JOIN ids ic ON ic.id = {field('p', 'child')} AND ic.kind = 'child'
            LEFT JOIN files c ON c.path = ic.path
            LEFT JOIN ids iv ON iv.id = {field('p', 'volunteer')} AND iv.kind = 'volunteer'
            LEFT JOIN files v ON v.path = iv.path
            WHERE p.kind = 'pairing' AND {active('p')} {repo.within('p.path')}
              AND ({started} >= {field('c', 'closed.on')} OR {started} >= {field('v', 'closed.on')}
                   OR ({field('v', 'vetting.status')} = 'suspended'
                       AND {started} >= {field('v', 'vetting.decided_on')}))
            ORDER BY p.path""", {"day": repo.as_of.isoformat()})
    for path, rid, start, child, child_closed, volunteer, left, vetting, decided in rows:
        if child_closed and start >= child_closed:
            yield repo.found("AM712", path, "started_on", rid, started=start, who=child,
                             state="closed", since=child_closed)
        else:
            since, state = (left, "withdrawn") if left and start >= left else (decided, vetting)
            yield repo.found("AM712", path, "started_on", rid, started=start, who=volunteer,
                             state=state, since=since)


@rule("AM713", scope=REPOSITORY, severity=WARNING)
def local_volunteer_replaced(repo):
    """An active child whose local pairing ended has a local volunteer again (N+1: the local
    volunteer is the one who visits)."""
    day = {"day": repo.as_of.isoformat()}
    rows = repo.db.execute(
        f"""SELECT c.path, c.rid, max({field('p', 'ended_on')}) FROM files c
            JOIN refs r ON r.target = c.rid AND r.target_kind = 'child' AND r.field = 'child'
            JOIN files p ON p.path = r.path AND p.kind = 'pairing'
            WHERE c.kind = 'child' AND {field('c', 'status')} = 'active' {repo.within('c.path')}
              AND {field('p', 'role')} = 'local' AND {field('p', 'ended_on')} <= :day
              AND NOT EXISTS (SELECT 1 FROM refs r2 JOIN files q ON q.path = r2.path AND q.kind = 'pairing'
                              WHERE r2.target = c.rid AND r2.field = 'child'
                                AND {field('q', 'role')} = 'local' AND {active('q')})
            GROUP BY c.path ORDER BY c.path""", day)
    for path, rid, ended in rows:
        yield repo.found("AM713", path, None, rid, ended=ended)

"""Pairings (结对): one active pairing per child and volunteer, none begun with a child off the
roster or a volunteer who may not serve, and no child left without the local volunteer she had.

(Consent and roster confirmation, and capacity, are in roster.py; vetting in vetting.py.)
"""

from __future__ import annotations

from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import REPOSITORY, rule
from aimama_cli.store.index_rows import active, field


def _active_twice(repo, kind: str, first: str, second: str):
    """(path, id, first, second, earlier id) of every active record of ``kind`` whose pair of
    values (SQL expressions over ``g``) an earlier active record (in path order, those of a
    change judged last) has too."""
    # after a change, only the records naming the same first value (a child, a team), found
    # through the references: not every pairing of the province
    near = "" if not repo.scoped else f"""AND g.path IN (SELECT r.path FROM refs r WHERE r.target IN
        (SELECT {first} FROM files g WHERE g.kind = :kind {repo.within('g.path')}))"""
    # the earlier record is the one already there: a record being changed comes last
    key = repo.seniority("g.path")
    first_path = "substr(t.first_key, 2)" if repo.judging else "t.first_key"
    return repo.db.execute(
        f"""WITH live AS (SELECT g.path, {key} AS k, g.rid, {first} AS a, {second} AS b FROM files g
                          WHERE g.kind = :kind AND {active('g')} {near}),
                 twice AS (SELECT a, b, min(k) AS first_key FROM live
                           GROUP BY a, b HAVING count(*) > 1)
            SELECT x.path, x.rid, x.a, x.b, (SELECT rid FROM files WHERE path = {first_path})
            FROM live x JOIN twice t ON t.a = x.a AND t.b = x.b
            WHERE x.k > t.first_key {repo.within('x.path')}
            ORDER BY x.path""", {"day": repo.as_of.isoformat(), "kind": kind})


@rule("AM711", scope=REPOSITORY)
def paired_once(repo):
    """A child and a volunteer have at most one active pairing; the later ones are reported."""
    for path, rid, child, volunteer, first in _active_twice(repo, "pairing", field("g", "child"),
                                                            field("g", "volunteer")):
        yield repo.found("AM711", path, "volunteer", rid, child=child, volunteer=volunteer,
                         other=first)


@rule("AM712", scope=REPOSITORY)
def begun_when_allowed(repo):
    """A pairing does not begin on or after the day its child was closed, its volunteer
    withdrew, or her suspension was decided."""
    started = field("p", "started_on")
    # over every pairing, only those naming one of the few children closed or volunteers gone are joined
    closed, vetting = field("f", "closed.on"), field("f", "vetting.status")
    few = "" if repo.scoped else f"""AND ({field('p', 'child')} IN ({_ids_where('child', f'{closed} IS NOT NULL')})
        OR {field('p', 'volunteer')} IN ({_ids_where('volunteer', f"{closed} IS NOT NULL OR {vetting} = 'suspended'")}))"""
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {started}, c.rid, {field('c', 'closed.on')},
                   v.rid, {field('v', 'closed.on')}, {field('v', 'vetting.status')},
                   {field('v', 'vetting.decided_on')}
            FROM files p
            LEFT JOIN ids ic ON ic.id = {field('p', 'child')} AND ic.kind = 'child'
            LEFT JOIN files c ON c.path = ic.path
            LEFT JOIN ids iv ON iv.id = {field('p', 'volunteer')} AND iv.kind = 'volunteer'
            LEFT JOIN files v ON v.path = iv.path
            WHERE p.kind = 'pairing' AND {active('p')} {repo.within('p.path')} {few}
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


def _ids_where(kind: str, condition: str) -> str:
    """SQL: the ids of ``kind`` defined by a file ``f`` for which ``condition`` holds."""
    return f"SELECT i.id FROM ids i JOIN files f ON f.path = i.path WHERE i.kind = '{kind}' AND ({condition})"


@rule("AM713", scope=REPOSITORY, severity=WARNING)
def local_volunteer_replaced(repo):
    """An active child whose local pairing ended has a local volunteer again (N+1: the local
    volunteer is the one who visits) — unless her guardian withdrew consent."""
    day = {"day": repo.as_of.isoformat()}
    # over every child, only the few whose local pairing ended are looked at (what the joins
    # below ask too, worked out once: 4.2 -> 0.8 s on a province)
    few = "" if repo.scoped else f"""AND c.rid IN (SELECT r.target FROM refs r JOIN files p ON p.path = r.path
        WHERE r.target_kind = 'child' AND r.field = 'child' AND p.kind = 'pairing'
          AND {field('p', 'role')} = 'local' AND {field('p', 'ended_on')} <= :day)"""
    rows = repo.db.execute(
        f"""SELECT c.path, c.rid, max({field('p', 'ended_on')}) FROM files c
            JOIN refs r ON r.target = c.rid AND r.target_kind = 'child' AND r.field = 'child'
            JOIN files p ON p.path = r.path AND p.kind = 'pairing'
            WHERE c.kind = 'child' AND {field('c', 'status')} = 'active' {repo.within('c.path')} {few}
              AND NOT ({field('c', 'guardian.consent.withdrawn.on')} IS NOT NULL
                       AND coalesce({field('c', 'guardian.consent.given')}, 0) != 1)
              AND {field('p', 'role')} = 'local' AND {field('p', 'ended_on')} <= :day
              AND NOT EXISTS (SELECT 1 FROM refs r2 JOIN files q ON q.path = r2.path AND q.kind = 'pairing'
                              WHERE r2.target = c.rid AND r2.field = 'child'
                                AND {field('q', 'role')} = 'local' AND {active('q')})
            GROUP BY c.path ORDER BY c.path""", day)
    for path, rid, ended in rows:
        yield repo.found("AM713", path, None, rid, ended=ended)


SUPPORTED_LEVELS = ("village", "township")  # teams that are supported (the village team, 村级队伍)
SUPPORTING_LEVELS = ("city", "county", "agency", "professional")  # remote teams that support


@rule("AM714", scope=REPOSITORY)
def team_pairing_sides(repo):
    """A team pairing supports a village or township team, by a remote team (city, county,
    agency or professional) or by a person — never a team by itself."""
    rows = repo.db.execute(
        f"""SELECT g.path, g.rid, t.rid, {field('t', 'level')}, b.rid, {field('b', 'level')}
            FROM files g
            JOIN ids it ON it.id = {field('g', 'team')} AND it.kind = 'team' JOIN files t ON t.path = it.path
            LEFT JOIN ids ib ON ib.id = {field('g', 'by_team')} AND ib.kind = 'team'
            LEFT JOIN files b ON b.path = ib.path
            WHERE g.kind = 'team_pairing' {repo.within('g.path')} ORDER BY g.path""")
    for path, rid, team, level, by, by_level in rows:
        if level not in SUPPORTED_LEVELS:
            yield repo.found("AM714", path, "team", rid, team=team, level=level,
                             expected=", ".join(SUPPORTED_LEVELS))
        elif by and (by == team or by_level not in SUPPORTING_LEVELS):
            yield repo.found("AM714", path, "by_team", rid, team=by, level=by_level,
                             expected=", ".join(SUPPORTING_LEVELS))


@rule("AM715", scope=REPOSITORY)
def team_paired_once(repo):
    """A supporter and a team have at most one active team pairing."""
    supporter = (f"coalesce({field('g', 'by_team')}, {field('g', 'by_volunteer')}, "
                 f"{field('g', 'by_person.name')})")
    for path, rid, team, by, first in _active_twice(repo, "team_pairing", field("g", "team"), supporter):
        yield repo.found("AM715", path, "team", rid, team=team, by=by, other=first)

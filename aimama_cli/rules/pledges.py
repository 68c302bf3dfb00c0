"""Commitment forms (承诺书): one a year per volunteer, signed in its year, with her team, for a
programme meant for her kind, within a three-year term.

Each rule is one SQL query over the index, scoped to the files in question after a change: a
province has 200,000 pledges a year.
"""

from __future__ import annotations

import json

from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import REPOSITORY, rule
from aimama_cli.model.pledges import term_years
from aimama_cli.store.index_rows import field, signed


def _same_volunteer(repo, table: str) -> str:
    """After a change, only the pledges naming the volunteers of the pledges in scope (found
    through the references); every pledge otherwise."""
    if not repo.scoped:
        return ""
    return f"""AND {table}.path IN (SELECT r.path FROM refs r WHERE r.field = 'volunteer' AND r.target IN
        (SELECT r2.target FROM refs r2 WHERE r2.field = 'volunteer' {repo.within('r2.path')}))"""


@rule("AM801", scope=REPOSITORY)
def one_a_year(repo):
    """A volunteer signs one pledge a year; the later ones (in path order) are reported."""
    first_path = "substr(t.first_key, 2)" if repo.judging else "t.first_key"  # a pledge being signed comes last
    rows = repo.db.execute(
        f"""WITH p AS (SELECT g.path, {repo.seniority('g.path')} AS k, g.rid, {field('g', 'volunteer')} AS v,
                              {field('g', 'year')} AS y
                       FROM files g WHERE g.kind = 'pledge' AND {signed('g')} {_same_volunteer(repo, 'g')}),
                 twice AS (SELECT v, y, min(k) AS first_key FROM p GROUP BY v, y HAVING count(*) > 1)
            SELECT x.path, x.rid, x.v, x.y, (SELECT rid FROM files WHERE path = {first_path})
            FROM p x JOIN twice t ON t.v = x.v AND t.y = x.y
            WHERE x.k > t.first_key {repo.within('x.path')} ORDER BY x.path""")
    for path, rid, volunteer, year, first in rows:
        yield repo.found("AM801", path, "year", rid, volunteer=volunteer, year=year, other=first)


@rule("AM802", scope=REPOSITORY, severity=WARNING)
def signed_with_her_team(repo):
    """A volunteer's latest pledge names the team she is in (she signs with her team; earlier
    pledges are history, and a move to another team is signed for the next year)."""
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {field('p', 'team')}, v.rid, {field('v', 'team')}
            FROM files p
            JOIN ids iv ON iv.id = {field('p', 'volunteer')} AND iv.kind = 'volunteer'
            JOIN files v ON v.path = iv.path
            WHERE p.kind = 'pledge' {repo.within('p.path')} AND {signed('p')}
              AND {field('p', 'team')} IS NOT {field('v', 'team')}
              AND NOT EXISTS (SELECT 1 FROM refs r JOIN files q ON q.path = r.path AND q.kind = 'pledge'
                              WHERE r.target = v.rid AND r.field = 'volunteer' AND {signed('q')}
                                AND {field('q', 'year')} > {field('p', 'year')})
            ORDER BY p.path""")
    for path, rid, team, volunteer, current in rows:
        yield repo.found("AM802", path, "team", rid, team=team, volunteer=volunteer, current=current or "-")


@rule("AM803", scope=REPOSITORY)
def programme_fits(repo):
    """The programme a pledge names applies to its volunteer's kind (its ``applies_to``)."""
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, g.rid, {field('v', 'kind')}, json_extract(g.fields, '$.applies_to')
            FROM files p
            JOIN ids iv ON iv.id = {field('p', 'volunteer')} AND iv.kind = 'volunteer'
            JOIN files v ON v.path = iv.path
            JOIN ids ig ON ig.id = {field('p', 'programme')} AND ig.kind = 'programme'
            JOIN files g ON g.path = ig.path
            WHERE p.kind = 'pledge' {repo.within('p.path')}
              AND json_type(g.fields, '$.applies_to') = 'array'
              AND json_array_length(g.fields, '$.applies_to') > 0
              AND NOT EXISTS (SELECT 1 FROM json_each(g.fields, '$.applies_to') a
                              WHERE a.value = {field('v', 'kind')})
            ORDER BY p.path""")
    for path, rid, programme, kind, applies in rows:
        yield repo.found("AM803", path, "programme", rid, programme=programme, kind=kind or "-",
                         applies=", ".join(json.loads(applies)))


@rule("AM804", scope=REPOSITORY)
def signed_in_its_year(repo):
    """A pledge is signed in its year, or in the December before it."""
    year, signed = field("p", "year"), field("p", "signed_on")
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {year}, {signed} FROM files p
            WHERE p.kind = 'pledge' {repo.within('p.path')} AND typeof({year}) = 'integer'
              AND typeof({signed}) = 'text'
              AND ({signed} < printf('%04d-12-01', {year} - 1) OR {signed} > printf('%04d-12-31', {year}))
            ORDER BY p.path""")
    for path, rid, y, day in rows:
        yield repo.found("AM804", path, "signed_on", rid, signed=day, year=y, earliest=f"{y - 1}-12-01")


@rule("AM805", scope=REPOSITORY)
def within_its_term(repo):
    """A pledge's year lies within its term: from ``term_start`` for ``pledge.term_years``."""
    years = term_years(repo.index)
    year, start = field("p", "year"), field("p", "term_start")
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {year}, {start} FROM files p
            WHERE p.kind = 'pledge' {repo.within('p.path')} AND typeof({year}) = 'integer'
              AND typeof({start}) = 'integer' AND ({start} > {year} OR {year} - {start} >= :term)
            ORDER BY p.path""", {"term": years})
    for path, rid, y, first in rows:
        yield repo.found("AM805", path, "term_start", rid, year=y, start=first, end=first + years - 1,
                         term=years)


@rule("AM806", scope=REPOSITORY, severity=WARNING)
def term_carried_over(repo):
    """A pledge signed while the previous year's term still runs belongs to that term (the
    same ``term_start``); a term that ran out is followed by a new one."""
    years = term_years(repo.index)
    start = "coalesce({t}, {y})"
    this = start.format(t=field("p", "term_start"), y=field("p", "year"))
    before = start.format(t=field("q", "term_start"), y=field("q", "year"))
    rows = repo.db.execute(
        f"""SELECT p.path, p.rid, {this}, q.rid, {before} FROM files p
            JOIN refs r ON r.target = {field('p', 'volunteer')} AND r.field = 'volunteer'
            JOIN files q ON q.path = r.path AND q.kind = 'pledge' AND {signed('q')}
                        AND {field('q', 'year')} = {field('p', 'year')} - 1
            WHERE p.kind = 'pledge' {repo.within('p.path')} AND {signed('p')}
              AND typeof({field('p', 'year')}) = 'integer'
              AND {this} IS NOT (CASE WHEN {field('p', 'year')} - {before} < :term THEN {before}
                                      ELSE {field('p', 'year')} END)
            ORDER BY p.path""", {"term": years})
    for path, rid, first, previous, previous_start in rows:
        yield repo.found("AM806", path, "term_start", rid, start=first, previous=previous,
                         previous_start=previous_start, end=previous_start + years - 1)


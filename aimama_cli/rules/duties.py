"""Duties and yearly commitments, as ``check`` sees them: what only the calendar moving on
causes (a duty falling overdue, a new year without a signed pledge) — warnings, errors under
``--strict``, so that a repository's CI never turns red on a date alone."""

from __future__ import annotations

import datetime as dt
import json

from aimama_cli.core.registry import REPOSITORY, rule
from aimama_cli.store.index_rows import active, field, signed

DEFAULT_SIGN_BY = "03-31"  # a new year's pledges are signed in its first quarter
# The rules that judge a province on every core themselves (the duty engine, in parts): check
# judges them in its own process while the other rules are judged in a second one
ON_EVERY_CORE = {"AM821"}


@rule("AM821", scope=REPOSITORY, timed=True)
def duties_on_time(repo):
    """A pairing's duties for the year are not overdue (see ``aimama duty check``)."""
    from aimama_cli.model import duties  # the duty engine reads programmes; imported when the rule runs

    year = repo.as_of.year
    if repo.scoped:
        scope = {rid for (rid,) in repo.db.execute(
            f"SELECT rid FROM files WHERE kind = 'pairing' AND rid IS NOT NULL {repo.within('path')}")}
        if not scope:
            return
        book = duties.Book.load(repo.index, year, repo.as_of, pairing_ids=scope)
        overdue = _overdue(book, duties.check(book))
    else:  # every pairing: the judgements the index keeps, those that changed or turned by the
        overdue = _kept_overdue(repo.index, year, repo.as_of)  # day judged again (as ``report duties`` does)
        if overdue is None:  # none kept (--no-cache, a read-only index): a province's judged on every core
            overdue = [found for part in duties.in_parts(repo.index, year, repo.as_of, _overdue)[1] for found in part]
    paths = dict(repo.db.execute(
        "SELECT rid, path FROM files WHERE +kind = 'pairing' AND rid IN (SELECT value FROM json_each(?))",
        (json.dumps([pid for pid, _volunteer, _late in overdue]),)))
    for pid, volunteer, late in overdue:
        yield repo.found("AM821", paths[pid], "volunteer", pid, year=year, duties=late, volunteer=volunteer)


def _kept_overdue(index, year: int, as_of: dt.date) -> list[tuple] | None:
    """What :func:`_overdue` finds, from the judgements kept in the index; None if it keeps none."""
    from aimama_cli.model import duties, kept_duties

    store = kept_duties.judged(index, year, as_of, "") if index.use_cache else None
    if store is None:
        return None
    return [(pid, volunteer, "、".join(label for _d, label, status in statuses if status == duties.OVERDUE))
            for pid, volunteer, statuses in store.overdue("")]


def _overdue(book, results) -> list[tuple]:
    """(pairing id, volunteer, the labels of its overdue duties) of each pairing with any."""
    from aimama_cli.model import duties

    found = []
    for result in results:
        late = [d.label for d in result.duties if d.status == duties.OVERDUE]
        if late:
            found.append((result.pairing.id, result.pairing.volunteer, "、".join(late)))
    return found


@rule("AM822", scope=REPOSITORY, timed=True)
def pledged_this_year(repo):
    """A volunteer with an active pairing has signed this year's pledge (from ``pledge.sign_by``,
    1 April by default)."""
    sign_by = ((repo.index.singleton("config") or {}).get("pledge") or {}).get("sign_by") or DEFAULT_SIGN_BY
    year = repo.as_of.year
    try:
        if repo.as_of <= dt.date.fromisoformat(f"{year}-{sign_by}"):
            return
    except ValueError:
        return  # the schema reports a malformed sign_by
    is_paired = f"g.kind = 'pairing' AND {active('g')}"
    has_signed = f"s.kind = 'pledge' AND {field('s', 'year')} = :year AND {signed('s')}"
    if repo.scoped:  # a few volunteers: each one's pairings and pledges found through her references
        paired = f"""EXISTS (SELECT 1 FROM refs r JOIN files g ON g.path = r.path
                             WHERE r.target = v.rid AND r.field = 'volunteer' AND {is_paired})"""
        unsigned = f"""NOT EXISTS (SELECT 1 FROM refs r JOIN files s ON s.path = r.path
                                   WHERE r.target = v.rid AND r.field = 'volunteer' AND {has_signed})"""
    else:  # every volunteer: who has an active pairing, and who signed, each worked out once
        paired = f"v.rid IN (SELECT {field('g', 'volunteer')} FROM files g WHERE {is_paired})"
        unsigned = f"""v.rid NOT IN (SELECT {field('s', 'volunteer')} FROM files s
                                    WHERE {has_signed} AND {field('s', 'volunteer')} IS NOT NULL)"""
    rows = repo.db.execute(
        f"""SELECT v.path, v.rid FROM files v
            WHERE v.kind = 'volunteer' AND {field('v', 'status')} = 'active' {repo.within('v.path')}
              AND {paired} AND {unsigned}
            ORDER BY v.path""", {"day": repo.as_of.isoformat(), "year": year})
    for path, rid in rows:
        yield repo.found("AM822", path, "status", rid, year=year, sign_by=f"{year}-{sign_by}")


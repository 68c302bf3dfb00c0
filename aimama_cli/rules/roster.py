"""The roster (摸清底子): every person entered once, every child confirmed by the township and
consented to by the guardian before pairing, priority children all paired (应结尽结).

A pairing is active on the day judged when it has started and has not ended by then.
"""

from __future__ import annotations

import json
from collections import Counter

from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import REPOSITORY, register, rule
from aimama_cli.core.text import ZERO_WIDTH
from aimama_cli.rules.consent import withdrawn_after_consent
from aimama_cli.rules.vetting import NO_VALUE, lacking
from aimama_cli.store.index_rows import ID_NUMBER, VOID_REASONS, facts, field

PRIORITY_CATEGORIES = ("scattered_orphan", "unsupported")  # always to be paired
PRIORITY_RISKS = ("red", "orange")  # a left-behind child at these risk levels is to be paired
GIVEN, NOT_GIVEN = "✓", "✗"

# an encrypted ID number is compared through its blind index (a keyed hash, crypto.Sealer.blind):
# equal numbers have equal indexes, and the ciphertexts of equal numbers differ
BIRTH_DATE = "json_extract(fields, '$.birth_date')"
# name (spaces and invisible characters dropped: a zero-width space must not tell two records of
# one child apart), birth date and county: the same child entered twice
_NAME = "trim(json_extract(fields, '$.name'))"
for _dropped in (" ", "\u3000", *ZERO_WIDTH):
    _NAME = f"replace({_NAME}, '{_dropped}', '')"
CHILD_KEY = f"{_NAME} || '|' || {BIRTH_DATE} || '|' || substr(json_extract(fields, '$.village'), 1, 6)"
# (key, which records, an index of the record index (index_rows.TABLES) that finds the records
# sharing a key, and the expression it holds: the key itself, or part of it)
# a record entered in error or merged into another (index_rows.VOID_REASONS) is no second person
COUNTED = f"""coalesce(json_extract(fields, '$."closed.reason"'), '') NOT IN ({", ".join(f"'{r}'" for r in VOID_REASONS)})"""
ID_NUMBERS = (ID_NUMBER, f"kind IN ('child', 'volunteer') AND {COUNTED}", "files_id_number", ID_NUMBER)
CHILDREN = (CHILD_KEY, f"kind = 'child' AND {COUNTED}", "files_birth_date", BIRTH_DATE)


def _later_duplicates(repo, keyed: tuple, extra: str = "NULL"):
    """(path, id, first path, (extra of the first, extra of this one)) for every record after
    the first, in path order (those of a change judged last), that shares its key with another;
    only those in scope are
    reported (the others of their key are looked at, in scope or not)."""
    key, where, index, part = keyed
    exists = repo.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                             (index,)).fetchone()
    indexed = f"files INDEXED BY {index}" if exists else "files"
    if repo.scoped:  # the records sharing the indexed part of the key of a record in scope
        source = indexed
        wanted = f"""{part} IN (SELECT {part} FROM files WHERE {where} {repo.within('path')})
                     AND {key} IN (SELECT {key} FROM files WHERE {where} {repo.within('path')})"""
    else:  # the keys held by more than one record (down the index when it holds the keys)
        source = indexed if part == key else "files"
        wanted = f"{key} IN (SELECT {key} FROM {source} WHERE {where} GROUP BY 1 HAVING count(*) > 1)"
    rows = repo.db.execute(
        f"""SELECT {key}, path, rid, {extra}, 1 {repo.within('path')} FROM {source}
            WHERE {where} AND {key} IS NOT NULL AND {wanted} ORDER BY 1, {repo.seniority('path')}""")
    first: dict = {}
    for k, path, rid, extra_value, in_scope in rows:
        if k not in first:
            first[k] = (path, extra_value)
        elif in_scope:
            yield path, rid, first[k][0], (first[k][1], extra_value)


@rule("AM306", scope=REPOSITORY)
def id_numbers_unique(repo):
    """A resident ID number is on one record only (children and volunteers together)."""
    for path, rid, other, _ in _later_duplicates(repo, ID_NUMBERS):
        yield repo.found("AM306", path, "id_number", rid, other=other)


@rule("AM307", scope=REPOSITORY, severity=WARNING)
def children_entered_once(repo):
    """No two child records share name, birth date and county, unless both have ID numbers
    (the same number is AM306; different ones tell the children apart)."""
    for path, rid, other, numbers in _later_duplicates(repo, CHILDREN, ID_NUMBER):
        if None in numbers:
            yield repo.found("AM307", path, "name", rid, other=other)


def priority_reason(categories, guardianship, risk_level) -> tuple[str, str] | None:
    """(field, reason) when the child must be paired (应结尽结), else None."""
    categories = categories if isinstance(categories, list) else []
    named = [c for c in PRIORITY_CATEGORIES if c in categories]
    if named:
        return "categories", ", ".join(named)
    if "left_behind" in categories and guardianship == "inadequate":
        return "guardianship", "left_behind, guardianship: inadequate"
    if "left_behind" in categories and risk_level in PRIORITY_RISKS:
        return "risk_level", f"left_behind, risk_level: {risk_level}"
    return None


# --- pairings: who may be paired, and who must be -------------------------------------------------
# One pass over the pairings, the children and the volunteers serves six rules: each record's
# fields are parsed once (the cost that counts at 100,000 records), the rest is done in Python.

CHILD_FACTS = ("status", "guardian.consent.given", "guardian.consent.date", "roster.confirmed_by",
               "roster.confirmed_on", "categories", "guardianship", "risk_level",
               "guardian.consent.withdrawn.on")
VOLUNTEER_FACTS = ("vetting.status", "status", "capacity")


@rule("AM602", "AM708", "AM710", scope=REPOSITORY)
def pairings(repo):
    """A child is paired only after the guardian consented and the township confirmed the
    roster entry, with approved volunteers, within their capacity; a closed child's and a
    suspended or withdrawn volunteer's pairings are ended; every priority child is paired."""
    day = repo.as_of.isoformat()
    active = []  # (path, id, child, volunteer, started_on, in scope) of every pairing on the day
    for path, rid, row, in_scope in repo.db.execute(
            f"""SELECT p.path, p.rid, {facts('p', 'child', 'volunteer', 'started_on', 'ended_on')},
                       1 {repo.within('p.path')} FROM files p
                WHERE p.kind = 'pairing' {_linked_to_scope(repo)} ORDER BY p.path"""):
        child, volunteer, started, ended = json.loads(row)
        if isinstance(started, str) and started <= day and not (isinstance(ended, str) and ended <= day):
            active.append((path, rid, child, volunteer, started, in_scope))
    children = _facts(repo, "child", CHILD_FACTS, {a[2] for a in active if a[5]})
    volunteers = _facts(repo, "volunteer", VOLUNTEER_FACTS, {a[3] for a in active if a[5]})
    for path, rid, child, volunteer, started, in_scope in active:
        if in_scope and child in children:
            yield from _child_ready(repo, path, rid, child, started, children[child][2])
        if in_scope and volunteer in volunteers:
            yield from _volunteer_approved(repo, path, rid, volunteer, volunteers[volunteer][2])
    paired = Counter(a[3] for a in active)
    for volunteer, (path, in_scope, (_, _, capacity)) in volunteers.items():
        if in_scope and isinstance(capacity, int) and paired[volunteer] > capacity:
            yield repo.found("AM710", path, "capacity", volunteer, capacity=capacity,
                             pairings=paired[volunteer])
    with_pairing = {a[2] for a in active}
    for child, (path, in_scope, state) in children.items():
        reason = priority_reason(*state[5:8]) if in_scope and state[0] == "active" else None
        refused = state[8] and state[1] is not True  # the guardian withdrew consent: not to be paired
        if reason and child not in with_pairing and not refused:
            yield repo.found("AM604", path, reason[0], child, reason=reason[1])


register("AM603", REPOSITORY, severity=WARNING)  # reported by pairings
register("AM604", REPOSITORY, severity=WARNING)  # reported by pairings
register("AM709", REPOSITORY, severity=WARNING)  # reported by pairings


def _linked_to_scope(repo) -> str:
    """SQL: in a scoped check, the pairings in scope and those of the children and volunteers in
    scope (whose counts of pairings are judged)."""
    if not repo.scoped:
        return ""
    return f"""AND p.path IN (SELECT f.path FROM files f WHERE 1 {repo.within('f.path')}
                          UNION SELECT r.path FROM refs r WHERE r.field IN ('child', 'volunteer')
                            AND r.target IN (SELECT f.rid FROM files f WHERE 1 {repo.within('f.path')}))"""


def _facts(repo, kind: str, names: tuple, named: set) -> dict[str, tuple]:
    """{id: (path, in scope, facts)} of the records of ``kind`` in scope and of those ``named``
    (all of them in a full check); of two records with one id (AM301), the first — also in a
    scoped check, where the first may lie outside the scope."""
    restrict = "" if not repo.scoped else f"""AND x.path IN (SELECT path FROM ids WHERE kind = '{kind}' AND id IN
        (SELECT value FROM json_each(:named) UNION SELECT f.rid FROM files f WHERE 1 {repo.within('f.path')})
        UNION SELECT f.path FROM files f WHERE 1 {repo.within('f.path')})"""
    found: dict[str, tuple] = {}
    for path, rid, row, in_scope in repo.db.execute(
            f"""SELECT x.path, x.rid, {facts('x', *names)}, 1 {repo.within('x.path')} FROM files x
                WHERE x.kind = '{kind}' {restrict} ORDER BY x.path""",
            {"named": json.dumps(sorted(n for n in named if isinstance(n, str)))}):
        if rid and rid not in found:
            found[rid] = (path, in_scope, json.loads(row))
    return found


def _child_ready(repo, path, rid, child, started, state):
    status, consent, consent_on, confirmed_by, confirmed_on = state[:5]
    if status == "closed":
        yield repo.found("AM603", path, "child", rid, child=child)
    withdrawn = withdrawn_after_consent(consent, consent_on, state[8])  # a withdrawn consent is none
    consented, confirmed = consent is True and not withdrawn, bool(confirmed_by and confirmed_on)
    early = consented and isinstance(consent_on, str) and started < consent_on
    if not (consented and confirmed) or early:
        yield repo.found("AM602", path, "started_on" if consented and confirmed else "child", rid,
                         child=child, started=started,
                         consent=f"{GIVEN} {consent_on or ''}".strip() if consented
                         else f"{NOT_GIVEN} ({state[8]})" if state[8] else NOT_GIVEN,
                         confirmed=f"{GIVEN} {confirmed_on}" if confirmed else NOT_GIVEN)


def _volunteer_approved(repo, path, rid, volunteer, state):
    vetting_status, status, _ = state
    if vetting_status in ("pending", "rejected"):
        yield repo.found("AM708", path, "volunteer", rid, volunteer=volunteer, status=vetting_status)
    elif vetting_status == "suspended" or status == "withdrawn":
        yield repo.found("AM709", path, "volunteer", rid, volunteer=volunteer,
                         status="suspended" if vetting_status == "suspended" else status)


@rule("AM605", scope=REPOSITORY)
def confirmed_by_a_roster_coordinator(repo):
    """The roster entry is confirmed by a coordinator with the roster role."""
    others = lacking(repo, "roster")
    if not others:
        return
    rows = repo.db.execute(
        f"""SELECT c.path, c.rid, {field('c', 'roster.confirmed_by')} AS who FROM files c
            WHERE c.kind = 'child' AND who IN (SELECT value FROM json_each(?)) {repo.within('c.path')}
            ORDER BY c.path""", (json.dumps(list(others)),))
    for path, rid, who in rows:
        yield repo.found("AM605", path, "roster.confirmed_by", rid, by=who, roles=others.get(who, NO_VALUE))

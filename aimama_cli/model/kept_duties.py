"""Judged duties kept in the record index (store/duty_cache.py) and brought up to date for a
day: the pairings whose records changed, whose verdict may have turned by that day (a deadline
passed, a month begun) or that began since are judged again, the others' verdicts kept.
``report duties``, ``export facts`` and ``check`` (AM821, duties overdue) read them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import NamedTuple

from aimama_cli.core.dates import parse_date
from aimama_cli.core.paused_gc import paused_gc
from aimama_cli.model import duties
from aimama_cli.model.programmes import Assignment
from aimama_cli.store import duty_cache, layout
from aimama_cli.store.index import Index
from aimama_cli.store.index_file import meta


@paused_gc()  # a province's verdicts: hundreds of thousands of small objects, no cycles
def judged(index: Index, year: int, as_of: dt.date, prefix: str) -> duty_cache.DutyCache | None:
    """The index's judgements of the year's pairings in region ``prefix`` as of ``as_of``, those
    whose records changed, or whose verdict may have turned by ``as_of``, judged again; None
    when the index cannot keep them."""
    scope = "|".join((meta(index.db, "key") or "", str(year), duty_cache.definitions(index.db, "programme")))
    store = duty_cache.DutyCache.open(index.db, scope)
    generation, day = meta(index.db, "generation") or "0", as_of.isoformat()
    if store is None or store.fresh(prefix, generation, day):
        return store
    based_on = store.based_on(prefix)
    touched = _touched(index, based_on[0]) if based_on else None
    since = based_on[1] if touched is not None else None
    turned = _turned(index, store, year, as_of, prefix, since, touched) if since and since <= day else None
    keys: dict[str, str] = {}
    most = not turned and _most_turn(*store.turning_by(prefix, day))
    stored = store.keys(prefix) if not (turned or most) else {}
    if turned:  # only what turned or began since the day last reported, or whose files changed
        (pairings, keys), gone = turned
        stale = pairings
    elif most:
        # a new year, month or index: most verdicts turn by the day whatever their keys. Every
        # pairing is judged again on every core; their verdicts name them, and this process
        # reads meanwhile what is stored and what their keys read (a new index: every key is made)
        read: dict = {}

        def meanwhile():
            stored.update(store.keys(prefix))
            if touched is None:
                read.update(_key_sources(index, year, None))
        store.unreadable, parts = duties.in_parts(index, year, as_of, _statuses, region=prefix or None,
                                                  meanwhile=meanwhile)
        stale, verdicts = None, [row for part in parts for row in part]
        pairings = [_Named(v[0], v[6], v[1]) for v in verdicts]  # (pairing, child, volunteer): see _statuses
        selected = {p.id for p in pairings}
        gone = [p for p in stored if p not in selected]
        keys = _keys(index, year, pairings, True, read) if touched is None else \
            _keys_kept(index, year, pairings, stored, touched)
    else:
        pairings, gone = _selected(index, year, as_of, prefix, stored)
        keys = _keys_kept(index, year, pairings, stored, touched)
        stale = [p for p in pairings if not _holds(stored.get(p.id), keys[p.id], day)]
    ids = {p.id for p in pairings}
    if len(ids) < len(pairings) or not all(isinstance(i, str) and i for i in ids):
        return None  # ids twice (a problem check reports): judged the long way, counted as found
    if stale:
        book = duties.Book.of(index, year, as_of, stale, everyone=False)
        verdicts = _statuses(book, duties.check(book))
    elif stale is not None:
        verdicts = []
    rows = [(v[0], keys[v[0]]) + v[1:] for v in verdicts if v[0] in keys]
    return store if store.replace(prefix, generation, day, gone, rows) else None


def _most_turn(stored: int, turning: int) -> bool:
    """Whether a province's worth of the ``stored`` verdicts (``turning`` of them turn by the
    day whatever their keys) — or all, none being stored — turn: then judging every pairing on
    every core costs less than picking out those that turned."""
    return not stored or (turning >= duties.PARALLEL_FROM and 2 * turning >= stored)


def _selected(index: Index, year: int, as_of: dt.date, prefix: str, stored: dict) -> tuple[list, list[str]]:
    """The pairings of region ``prefix`` to judge as of ``as_of``, and the ``stored`` ones no
    longer among them."""
    pairings, _everyone = duties.select(index, year, as_of, region=prefix or None)
    selected = {p.id for p in pairings}
    return pairings, [p for p in stored if p not in selected]


def _keys_kept(index: Index, year: int, pairings: list[duties.Pairing], stored: dict, touched: set | None) -> dict:
    """The keys of ``pairings``: the ``stored`` ones of pairings whose files did not change
    (the records ``touched`` since; None: unknown, every key is made again), the others made."""
    if touched is None:
        return _keys(index, year, pairings, everyone=True)
    keys = {p.id: stored[p.id][0] for p in pairings if p.id in stored and (
        not touched or touched.isdisjoint((p.id, p.child, p.volunteer)))}  # (most days nothing was touched)
    new = [p for p in pairings if p.id not in keys]
    if new:
        keys.update(_keys(index, year, new, everyone=False))
    return keys


# the kinds of record a pairing's key reads: a change of any other (a team's level, aimama.yaml's
# programmes) may change any pairing's programme, and every key is made again
KEYED = {"pairing", "child", "volunteer", "activity", "pledge"}


def _touched(index: Index, generation: str) -> set[str] | None:
    """The ids of the records changed since the index was at ``generation`` — the pairings,
    children and volunteers whose judgements they may change; None when that cannot be told (the
    journal does not go back so far, or something else changed that every judgement reads)."""
    changed = index.changed_since(generation)
    if changed is None or any(layout.classify(path)[0] not in KEYED | {None} for path in changed[0]):
        return None
    return changed[1]


def _turned(index: Index, store: duty_cache.DutyCache, year: int, as_of: dt.date, prefix: str,
            since: str, touched: set[str]) -> tuple[tuple[list[duties.Pairing], dict[str, str]], list[str]] | None:
    """The pairings of region ``prefix`` to judge again since day ``since``, when only the records
    ``touched`` have changed: those stored as turning by ``as_of``, those begun after ``since``
    and those whose files changed; with their keys (the stored ones where nothing they read
    changed); and the stored pairings no longer selected.  None when a province's worth turns (a
    new month): all are judged again, on every core."""
    keys = store.turning(prefix, as_of.isoformat())
    if len(keys) >= duties.PARALLEL_FROM:
        return None
    after = dt.date.fromisoformat(since)
    begun = {rid for rid, started in index.db.execute(  # an ISO date compares as text; any other form in Python
        "SELECT rid, started FROM (SELECT rid, json_extract(fields, '$.started_on') AS started FROM files "
        "WHERE kind = 'pairing') WHERE NOT (started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') "
        "OR started > ? AND started <= ?", (since, as_of.isoformat()))
        if after < (parse_date(started) or after) <= as_of}
    changed = (touched | duties.pairings_naming(index, touched)) if touched else set()
    pairings = duties.select(index, year, as_of, region=prefix or None, pairing_ids=set(keys) | begun | changed)[0]
    keys = {p: key for p, key in keys.items() if p not in changed}
    new = [p for p in pairings if p.id not in keys]
    selected = {p.id for p in pairings}
    gone = sorted(store.stored(prefix, changed) - selected) if changed else []
    return (pairings, {**keys, **(_keys(index, year, new, everyone=False) if new else {})}), gone


def _holds(stored: tuple | None, key: str | None, day: str) -> bool:
    """Whether a stored verdict — (key, judged on, changes on) — is the one ``day`` would give:
    nothing it read has changed (its key is ``key``; None: by the day alone), and it was judged
    on or before ``day`` and turns after it."""
    return stored is not None and key in (None, stored[0]) and stored[1] <= day \
        and (stored[2] is None or day < stored[2])


class _Named(NamedTuple):
    """A pairing as its verdict names it: what its key is made of."""

    id: str
    child: str
    volunteer: str


def _keys(index: Index, year: int, pairings: list, everyone: bool, read: dict | None = None) -> dict[str, str]:
    """{pairing: a digest of what judging it reads}: its file, its child's, its volunteer's, her
    logs of the year and the one before, and the programme assigned to her (``everyone``: the
    pairings are all the year's, so every record is read rather than these ones picked out;
    ``read``: what :func:`_key_sources` read already)."""
    read = read or _key_sources(index, year, None if everyone else pairings)
    files, logs, people, assignment = read["files"], read["logs"], read["people"], read["assignment"]
    keys = {}
    for p in pairings:
        volunteer = people.get(p.volunteer, {})
        programme = assignment.programme_for(p.volunteer, volunteer.get("kind"), volunteer.get("team"), year)
        text = "|".join((files["pairing"].get(p.id, ""), files["child"].get(p.child, ""),
                         files["volunteer"].get(p.volunteer, ""), logs.get(p.volunteer, ""), str(programme)))
        keys[p.id] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return keys


def _key_sources(index: Index, year: int, pairings: list | None) -> dict:
    """What the keys of ``pairings`` (None: every pairing) are made of: the digests of the
    files, the volunteers' logs, kinds and teams, and the programmes assigned."""
    wanted = {kind: None if pairings is None else {getattr(p, field) for p in pairings}
              for kind, field in (("pairing", "id"), ("child", "child"), ("volunteer", "volunteer"))}
    return {"files": {kind: duty_cache.digests(index.db, kind, ids) for kind, ids in wanted.items()},
            "logs": duty_cache.log_digests(index.db, f"{layout.RECORDS}/activities", (year - 1, year),
                                           wanted["volunteer"]),
            "people": duties._people(index, "volunteer", ("kind", "team"), wanted["volunteer"]),
            "assignment": Assignment.load(index, year=year, volunteers=wanted["volunteer"])}


def _statuses(book: duties.Book, results: list[duties.PairingResult]) -> list[tuple]:
    """A part's judgements as the index keeps them (its rows' text made where the part is
    judged, on every core): (pairing, volunteer, village, programme, [[duty, label, status]] as
    JSON, how many are overdue, child, [deadline] as JSON, the day the verdict may turn: a
    duty's, or an entry logged ahead of it coming due) (child and deadlines for ``export facts``)."""
    encode, ahead, children = json.JSONEncoder(ensure_ascii=False).encode, book.ahead, book.children
    # a province's pairings are judged alike a few thousand ways: each text is made once
    texts: dict[tuple, str] = {}  # (programme, statuses) -> [[duty, label, status]] as JSON
    dated: dict[tuple, str] = {}  # deadlines -> [deadline] as JSON
    rows = []
    for r in results:
        p, judged = r.pairing, r.duties
        statuses = tuple([d.status for d in judged])  # (a programme's duties: its ids and labels, in order)
        text = texts.get((r.programme, statuses))
        if text is None:
            text = texts[r.programme, statuses] = encode([[d.id, d.label, d.status] for d in judged])
        deadlines = tuple([d.deadline for d in judged])
        dates = dated.get(deadlines)
        if dates is None:
            dates = dated[deadlines] = encode(deadlines)
        rows.append((p.id, p.volunteer, str(children.get(p.child, {}).get("village") or ""), r.programme, text,
                     statuses.count(duties.OVERDUE), p.child, dates, _earlier(r.changes_on, ahead.get(p.volunteer))))
    return rows


def _earlier(day: str | None, other: str | None) -> str | None:
    return other if day is None or (other is not None and other < day) else day

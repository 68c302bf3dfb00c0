"""Corrections: a person entered twice is merged into the record kept (``child|volunteer merge
DUPLICATE --into ORIGINAL``), and a pledge signed by mistake is voided (domain/pledges.py).

A merge is one change, judged like any other and written all or nothing:

* every record that names the duplicate (pairings, cases and referrals, support, team
  activities, trainings, pledges, the children of log entries) names the original instead; a list
  that already names the original drops the duplicate;
* a volunteer's logs move: each entry of the duplicate's log of a year goes into the original's
  log of that year (made when missing) and the duplicate's log is left empty — never deleted
  (AM310);
* where the two records overlap, the merge decides rather than refuses:
  - two pairings of the same child and volunteer running at once: the one begun first runs on
    (the original's on a tie), the other ends on the merge day with ``end_reason: merged``;
  - a year both volunteers signed a pledge for: the duplicate's is voided (kept, not counted);
  - a log entry that, once repointed, is the same as one already there (written for both
    records) is dropped;
* it refuses (exit 1, nothing written) what cannot be one person: two different ID numbers, a
  closed original, a duplicate closed for another reason or merged already; and whatever the
  rules of ``check`` refuse of the result (the original's capacity, two open cases of one kind,
  a pairing without the original's consent or vetting) is refused with their problems;
* the duplicate is closed (``status`` closed / withdrawn) with ``closed.reason: duplicate`` and
  ``closed.merged_into: ORIGINAL``: reports no longer count it, AM307 and AM306 no longer pair
  it with the original, and a record naming it later is flagged (AM403).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedSeq

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.domain.activities import insert_entry
from aimama_cli.domain.people import CLOSED, end_pairing
from aimama_cli.domain.pledges import void
from aimama_cli.store import editing, schemas
from aimama_cli.store.change import Change, record_path

MERGE_KINDS = ("child", "volunteer")
ENDED_AS_DOUBLE = "merged"  # end_reason of a pairing the merge made a double of another


@dataclass
class Merged:
    duplicate: str
    original: str
    repointed: list[str] = field(default_factory=list)  # records that named the duplicate
    ended: list[str] = field(default_factory=list)  # pairings ended as doubles
    voided: list[str] = field(default_factory=list)  # the duplicate's pledges of a year signed twice
    entries: int = 0  # log entries moved
    dropped: int = 0  # log entries dropped as the same as one already there


def merge(change: Change, kind: str, duplicate: str, original: str, on: dt.date) -> Merged:
    """Merge record ``duplicate`` into ``original`` (both of ``kind``), as the module says."""
    dup, orig = change.load(duplicate, kind), change.load(original, kind)
    result = Merged(str(dup.get("id", duplicate)), str(orig.get("id", original)))
    _mergeable(kind, dup, orig, result)
    for path, file_kind in change.index.referring(result.duplicate):
        doc = change.load_file(path)
        if kind == "volunteer" and file_kind == "activity" and doc.get("volunteer") == result.duplicate:
            _move_log(change, doc, result, orig.get("name"))
        elif _repoint(doc, file_kind, kind, result.duplicate, result.original):
            result.repointed.append(str(doc.get("id") or path))
            if file_kind == "activity":
                result.dropped += _drop_repeated(doc)
    _end_doubles(change, kind, result, on)
    if kind == "volunteer":
        _void_doubled_pledges(change, result, on)
    status, _ended_by = CLOSED[kind]
    closed = {"on": on.isoformat(), "reason": "duplicate", "merged_into": result.original}
    if isinstance(dup.get("closed"), dict):  # closed as a duplicate by hand before: its day stays
        closed["on"] = str(dup["closed"].get("on") or closed["on"])
    editing.set_path(dup, kind, ("status",), status)
    editing.set_path(dup, kind, ("closed",), closed)
    return result


def _mergeable(kind: str, dup, orig, result: Merged) -> None:
    """Refuse (nothing written) two records that cannot be one person."""
    if kind not in MERGE_KINDS:
        raise UsageError("merge.kind", kind=kind)
    if result.duplicate == result.original:
        raise UsageError("merge.same", id=result.duplicate)
    merged_into = (dup.get("closed") or {}).get("merged_into") if isinstance(dup.get("closed"), dict) else None
    if merged_into:
        raise Refused("merge.already", id=result.duplicate, other=merged_into)
    if orig.get("status") != "active":
        raise Refused("merge.original_closed", id=result.original, status=str(orig.get("status")))
    reason = (dup.get("closed") or {}).get("reason") if isinstance(dup.get("closed"), dict) else None
    if dup.get("status") != "active" and reason != "duplicate":
        raise Refused("merge.duplicate_closed", id=result.duplicate, reason=str(reason or dup.get("status")))
    a, b = _identity(dup), _identity(orig)
    if a and b and a != b:
        raise Refused("merge.two_people", id=result.duplicate, other=result.original)


def _identity(doc) -> str | None:
    """What tells a person's ID number: its blind index where it is encrypted, else the number."""
    index, number = doc.get("id_number_index"), doc.get("id_number")
    if index:
        return f"index:{index}"
    return f"number:{number}" if isinstance(number, str) and not number.startswith("ENC[") else None


def _repoint(doc, file_kind: str, kind: str, old: str, new: str) -> bool:
    """Every reference to ``old`` (a ``kind`` id) in ``doc`` names ``new``; a list that names
    ``new`` already loses ``old``.  Whether anything changed."""
    drops, changed = [], False
    for pattern, target in schemas.info(file_kind).refs:
        if target != kind:
            continue
        for path, value in list(schemas.iter_pattern(doc, pattern)):
            if value != old:
                continue
            parent = schemas.get_path(doc, path[:-1]) if len(path) > 1 else doc
            if isinstance(parent, list) and new in parent:
                drops.append((parent, path[-1]))
            else:
                parent[path[-1]] = new
            changed = True
    for parent, i in sorted(drops, key=lambda d: -d[1]):
        del parent[i]
    return changed


def _drop_repeated(log) -> int:
    """Drop the entries of ``log`` that are the same, field for field, as an earlier one (one
    visit logged for both records of one child); how many."""
    entries = log.get("entries")
    if not isinstance(entries, list):
        return 0
    seen, drops = set(), []
    for i, entry in enumerate(entries):
        key = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)
        if key in seen:
            drops.append(i)
        seen.add(key)
    for i in reversed(drops):
        del entries[i]
    return len(drops)


def _move_log(change: Change, log, result: Merged, name) -> None:
    """The entries of the duplicate's log of a year go into the original's log of that year;
    the duplicate's log stays, empty (git keeps what it held)."""
    entries = log.get("entries") if isinstance(log.get("entries"), list) else []
    if not entries:
        return
    year = log.get("year")
    path = record_path("activity", {"volunteer": result.original, "year": year})
    if path not in change.docs and not (change.root / path).exists():
        change.create("activity", {"volunteer": result.original, "year": year, "entries": []},
                      names={"volunteer": name})
    target = change.load_file(path)
    before = len(target.get("entries") or ())
    for entry in entries:
        insert_entry(target, json.loads(json.dumps(entry, default=str)), {})
    result.dropped += _drop_repeated(target)
    result.entries += len(target.get("entries") or ()) - before
    log["entries"] = CommentedSeq()


def _end_doubles(change: Change, kind: str, result: Merged, on: dt.date) -> None:
    """Of two pairings of the same child and volunteer running on ``on`` once merged, the one
    begun first runs on (the original's on a tie); the other ends with ``end_reason: merged``."""
    other = "volunteer" if kind == "child" else "child"
    day = on.isoformat()
    running: dict[str, list] = {}
    for pid, fields in change.index.naming(result.original, "pairing", kind) + \
            change.index.naming(result.duplicate, "pairing", kind):
        current = change.read(pid, "pairing")  # as the change left it
        ended = current.get("ended_on")
        if isinstance(ended, str) and ended <= day:
            continue
        running.setdefault(str(current.get(other)), []).append(
            (str(current.get("started_on") or ""), fields.get(kind) != result.original, pid))
    for pairings in running.values():
        for _start, _moved, pid in sorted(pairings)[1:]:
            result.ended.append(end_pairing(change, pid, ENDED_AS_DOUBLE, on))


def _void_doubled_pledges(change: Change, result: Merged, on: dt.date) -> None:
    """The duplicate's pledge of a year the original signed for too is voided."""
    signed = {f.get("year") for _rid, f in change.index.naming(result.original, "pledge", "volunteer")
              if "voided.on" not in f}
    for pid, f in change.index.naming(result.duplicate, "pledge", "volunteer"):
        if f.get("year") in signed and "voided.on" not in f:
            result.voided.append(void(change, pid, f"merged into {result.original}", on))

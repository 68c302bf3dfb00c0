"""Activity logs (关爱活动记录): what a volunteer did, one file per volunteer and year,
``records/activities/<year>/<volunteer id>.yaml``.

``log add`` reads what was typed (codes or Chinese labels, checklist ids or names) into one
entry and puts it into the log of its date's year — made when missing — after the last entry
dated on or before it, so hand-written entries and comments stay where they are and the diff is
the new lines only.  Whether the entry may stand is for the rules to say, like any change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from aimama_cli.core.errors import UsageError
from aimama_cli.model.activities import DETAILS, paired_on, pairing_spans, programmes_of
from aimama_cli.store import editing, values
from aimama_cli.store.change import Change, record_path
from aimama_cli.store.index import Index

ENTRY = ("entries", 0)  # the schema path of an entry, for reading values into it
ALL = "all"  # --check all: every item of the checklist


@dataclass
class Activity:
    """One entry as given on the command line (texts, not yet read)."""

    volunteer: str
    day: dt.date
    kinds: list[str]
    children: list[str] = field(default_factory=list)
    pairing: str | None = None
    contact: str | None = None
    hours: str | None = None
    checks: list[str] = field(default_factory=list)
    wish: str | None = None
    fulfilled_on: str | None = None
    book: str | None = None
    insurance: dict = field(default_factory=dict)  # insurer, policy_no, from, to
    details: str | None = None
    concern: str | None = None  # a concern for a professional team (then ``aimama refer``)
    concern_risk: str | None = None
    again: bool = False  # the same entry as one logged already happened again (else AM817 refuses it)


def add(change: Change, activity: Activity) -> str:
    """Put ``activity`` into its volunteer's log of its year; the log's path."""
    volunteer = change.indexed(activity.volunteer, "volunteer")  # unknown: exit 2
    entry, names = _entry(change, activity)
    return put(change, activity.volunteer, volunteer.get("name"), entry, names)[0]


def log_path(volunteer: str, year: int) -> str:
    """The file of ``volunteer``'s log of ``year``."""
    return record_path("activity", {"volunteer": volunteer, "year": year})


def log_of(change: Change, volunteer: str, year: int, name: str | None = None):
    """``volunteer``'s log of ``year`` for editing, made when missing (``name``: hers, written
    beside her id)."""
    path = log_path(volunteer, year)
    if not (change.root / path).exists() and path not in change.docs:
        change.create("activity", {"volunteer": volunteer, "year": year, "entries": []},
                      names={"volunteer": name})
    return path, change.load_file(path)


def put(change: Change, volunteer: str, name: str | None, entry: dict, names: dict) -> tuple[str, int]:
    """Put ``entry`` (read already) into its volunteer's log of its year: (the log, its position).
    A log on file gets the entry's lines spliced into its text; a new one, or one the splice
    does not fit, is edited as a round-trip document."""
    year = int(entry["date"][:4])
    path = log_path(volunteer, year)
    text = change.text_of(path)
    spliced = editing.insert_dated_text(text, "activity", "entries", entry, names) if text else None
    if spliced is not None:
        change.set_text(path, spliced[0], volunteer)
        return path, spliced[1]
    path, doc = log_of(change, volunteer, year, name)
    return path, insert_entry(doc, entry, names)


def unpaired(index: Index, a: Activity) -> list[str]:
    """The children of the entry its volunteer was not paired with that day: a warning (AM812),
    not a refusal — she may have visited a paired child's brother or sister."""
    pairing = index.fields_of(a.pairing, "pairing") if not a.children else None
    children = a.children or ([pairing.get("child")] if pairing is not None else [])
    spans = pairing_spans(index.db, {(a.volunteer, c) for c in children})
    return [c for c in children if c and not paired_on(spans.get((a.volunteer, c), ()), a.day.isoformat())]


def insert_entry(doc, entry: dict, names: dict) -> int:
    """Insert ``entry`` after the last one dated on or before it; its position."""
    return editing.insert_dated(doc, "activity", "entries", entry, names)


def _entry(change: Change, a: Activity) -> tuple[dict, dict]:
    """The entry (in any key order: the schema orders it) and the names of its ids."""
    if bool(a.children) == bool(a.pairing):
        raise UsageError("log.child_or_pairing")
    entry: dict = {"date": a.day.isoformat()}
    names: dict = {}
    if a.pairing:
        pairing = change.indexed(a.pairing, "pairing")
        entry["pairing"] = a.pairing
        names["pairing"] = _name(change, pairing.get("child"))
    elif len(a.children) == 1:
        entry["child"] = a.children[0]
        names["child"] = change.indexed(a.children[0], "child").get("name")
    else:  # a group activity
        entry["children"] = list(dict.fromkeys(a.children))
        names["children"] = "、".join(change.indexed(c, "child").get("name", c) for c in entry["children"])
    entry["kinds"] = _kinds(a)
    if a.contact:
        entry["contact"] = _read(("contact",), a.contact)
    if a.hours is not None:
        entry["hours"] = hours(a.hours)
    if a.checks:
        entry["checklist"] = checklist(change, a.volunteer, a.day.year, a.checks)
    if a.again:
        entry["again"] = True
    _details(entry, a)
    return entry, names


def _name(change: Change, child) -> str | None:
    return change.indexed(child, "child").get("name") if isinstance(child, str) else None


def _read(path: tuple, text):
    """A value typed for field ``path`` of an entry (codes or labels, dates as forms write them)."""
    try:
        return values.coerce("activity", ENTRY + path, text)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None


def _kinds(a: Activity) -> list[str]:
    """The kinds typed (repeated, or in one comma list), and those the details imply: a wish
    given is a micro-wish, a book a book read together, a policy insurance."""
    kinds = [code for text in a.kinds for code in _read(("kinds",), text)]
    implied = {"micro_wish": a.wish, "book": a.book, "insurance": a.insurance}
    kinds += [kind for kind, given in implied.items() if given]
    if not kinds:
        raise UsageError("log.no_kind")
    return list(dict.fromkeys(kinds))


def _details(entry: dict, a: Activity) -> None:
    given = {"micro_wish": {"wish": a.wish, "fulfilled_on": a.fulfilled_on and _read(("date",), a.fulfilled_on)},
             "book": {"title": a.book},
             "insurance": {k: _read(("date",), v) if k in ("from", "to") else v
                           for k, v in a.insurance.items()}}
    for kind, (key, _needed) in DETAILS.items():
        filled = {k: v for k, v in given[kind].items() if v}
        if filled:
            entry[key] = filled
    if a.details:
        entry["details"] = a.details
    if a.concern_risk and not a.concern:
        raise UsageError("log.risk_without_concern")
    if a.concern:
        entry["concern"] = a.concern
    if a.concern_risk:
        entry["concern_risk"] = _read(("concern_risk",), a.concern_risk)


def hours(text: str):
    """'1.5' -> 1.5, '2' -> 2: the exact decimal typed, a usage error if it is none."""
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        raise UsageError("log.bad_hours", value=text) from None
    if not number.is_finite() or not 0 <= number <= 24:
        raise UsageError("log.bad_hours", value=text)
    return int(number) if number == number.to_integral_value() else float(number)


def checklist(change: Change, volunteer: str, year: int, typed: list[str]) -> list[str]:
    """The checklist ids of ``typed`` (ids or Chinese names; ``all`` for every item) on the
    checklist of the volunteer's programme for ``year``."""
    programme = programmes_of(change.index, {(volunteer, year)}).get((volunteer, year))
    items = [(cid, name) for duty in (programme.duties if programme else ()) for cid, name, _g in duty.checklist]
    if not items:
        raise UsageError("log.no_checklist", volunteer=volunteer,
                         programme=programme.id if programme else "-")
    by_text = {text: cid for cid, name in items for text in (cid, name)}
    chosen = []
    for text in (t for raw in typed for t in values.LIST_SEPARATORS.split(raw.strip()) if t):
        if text == ALL:
            chosen += [cid for cid, _name in items]
        elif text in by_text:
            chosen.append(by_text[text])
        else:
            raise UsageError("log.unknown_item", item=text, programme=programme.id,
                             choices=", ".join(f"{cid} ({name})" for cid, name in items))
    order = [cid for cid, _name in items]  # the programme's order, each item once
    return sorted(set(chosen), key=order.index)

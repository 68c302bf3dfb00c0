"""``log list``, ``log edit`` and ``log remove``: the entries of volunteers' logs as data.

An entry has no id: it is found by its volunteer and its date, and among several of one day by
its place in the log (``--n``, counted from 1 in file order, as ``log list`` numbers them).

A removed entry leaves no tombstone in the log.  Git keeps it: the commit of ``log remove``
says why in its subject (``aimama log remove: V… 2026-04-18 #2: <reason>``), and ``aimama
history records/activities/2026/V….yaml`` shows that subject with every field of the entry
that went.  A tombstone would have to be skipped by every count of visits and hours, and would
keep a wrong entry's sensitive notes in the work tree, for nothing git does not already hold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import language, t
from aimama_cli.core.text import normalised
from aimama_cli.domain.activities import ENTRY, checklist, hours, log_of, log_path
from aimama_cli.store import editing, layout, schemas, values
from aimama_cli.store.analysis import field_path
from aimama_cli.store.change import Change, Records
from aimama_cli.store.naming import MERGED_INTO

ABOUT = ("child", "children", "pairing")  # whom an entry is about: one of these
UNKNOWN = {"volunteer": "logs.unknown.volunteer", "child": "logs.unknown.child"}  # no such name


# --- volunteers and children by id or name ----------------------------------------------------

class People:
    """Records of one kind (volunteer, child) found by id or by exact name (trimmed, NFC).  An
    id goes through :meth:`Records.path_of`; so does a name the index does not know, which
    lets that method's own way with names (and regions) have the last word."""

    def __init__(self, records: Records, kind: str):
        self.records, self.kind = records, kind
        self._by_name: dict[str, list[tuple[str, str]]] | None = None

    def by_name(self) -> dict[str, list[tuple[str, str]]]:
        """{name: [(id, village)]}, read from the index once."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for _path, rid, fields in self.records.index.fields(self.kind, ("name", "village", MERGED_INTO)):
                if rid and isinstance(fields.get("name"), str) and not fields.get(MERGED_INTO):  # entered twice: the record kept
                    self._by_name[key(fields["name"])].append((rid, str(fields.get("village") or "")))
        return self._by_name

    def find(self, text: str, among: list[tuple[str, str]] | None = None) -> str:
        """The id of the record ``text`` names; ``among``: (id, name) to prefer (the children
        paired with the volunteer that day, when two children share a name).  A
        :class:`values.ValueProblem` when there is none or several, or it is a duplicate
        merged into another (the record kept is named)."""
        rid = self._find(text, among)
        original = self.records.merged_into(rid, self.kind)
        if original:
            raise values.ValueProblem("merged.use_original", id=rid, original=original)
        return rid

    def _find(self, text: str, among: list[tuple[str, str]] | None) -> str:
        text = normalised(str(text)).strip()
        if ids.ID_RE.match(text):
            return self._path_of(text)
        preferred = [rid for rid, name in among or () if key(name or "") == key(text)]
        if len(preferred) == 1:
            return preferred[0]
        found = self.by_name().get(key(text), [])
        if len(found) == 1:
            return found[0][0]
        if found:
            raise values.ValueProblem("logs.name_ambiguous", value=text, choices=", ".join(
                f"{rid} ({village})" for rid, village in found))
        return self._path_of(text, named=True)

    def _path_of(self, text: str, named: bool = False) -> str:
        try:
            return layout.stem(self.records.path_of(text, self.kind))
        except UsageError as exc:
            if named and exc.key == "id.unknown":
                raise values.ValueProblem(UNKNOWN[self.kind], value=text) from None
            raise values.ValueProblem("logs.as_is", text=exc.render()) from None

    def id_of(self, text: str) -> str:
        """:meth:`find` for a command line: none or several is a usage error (exit 2)."""
        try:
            return self.find(text)
        except values.ValueProblem as exc:
            raise UsageError(exc.key, **exc.params) from None


def key(name: str) -> str:
    return "".join(normalised(name).split())


# --- log list -----------------------------------------------------------------------------------

@dataclass
class Filters:
    volunteer: str | None = None  # ids
    child: str | None = None
    start: str | None = None  # ISO dates, both included
    end: str | None = None
    kind: str | None = None  # an activity kind code


def listing(records: Records, f: Filters) -> list[dict]:
    """Every entry that passes ``f``, by date: {volunteer, date, n, the entry's indexed fields}.
    Only the logs that can hold one are read from the index: a volunteer's, or those naming the
    child or one of her pairings."""
    pairings = {rid for rid, _fields in records.index.naming(f.child, "pairing", "child")} if f.child else set()
    if f.volunteer:
        logs = records.index.naming(f.volunteer, "activity", "volunteer")
    elif f.child:
        logs = [log for about in [f.child, *sorted(pairings)] for log in records.index.naming(about, "activity")]
    else:
        logs = [(rid, fields) for _path, rid, fields in records.index.fields("activity")]
    rows, seen = [], set()
    for _rid, log in logs:
        volunteer, year = log.get("volunteer"), log.get("year")
        if (volunteer, year) in seen or not _year_within(year, f):
            continue
        seen.add((volunteer, year))
        for n, entry in numbered(log.get("entries")):
            if _passes(entry, f, pairings):
                rows.append({"volunteer": volunteer, "date": entry["date"], "n": n,
                             **{k: v for k, v in entry.items() if k != "date"}})
    return sorted(rows, key=lambda r: (r["date"], str(r["volunteer"]), r["n"]))


def numbered(entries) -> list[tuple[int, dict]]:
    """(n, entry): each entry with its number among the entries of its day, from 1."""
    counted: dict[str, int] = defaultdict(int)
    result = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("date"), str):
            counted[entry["date"]] += 1
            result.append((counted[entry["date"]], entry))
    return result


def _year_within(year, f: Filters) -> bool:
    return not isinstance(year, int) or (
        (not f.start or year >= int(f.start[:4])) and (not f.end or year <= int(f.end[:4])))


def _passes(entry: dict, f: Filters, pairings: set[str]) -> bool:
    day = entry["date"]
    if (f.start and day < f.start) or (f.end and day > f.end):
        return False
    if f.kind and f.kind not in (entry.get("kinds") or ()):
        return False
    if f.child:
        children = entry.get("children") if isinstance(entry.get("children"), list) else [entry.get("child")]
        return f.child in children or entry.get("pairing") in pairings
    return True


# --- finding one entry ----------------------------------------------------------------------------

@dataclass
class Found:
    volunteer: str
    path: str
    doc: object  # the log, round-trip
    position: int  # in its entries
    n: int

    @property
    def entry(self):
        return self.doc["entries"][self.position]


def find(change: Change, volunteer: str, day: dt.date, n: int | None) -> Found:
    """The entry of ``volunteer`` (id or name) on ``day``; the ``n``-th of that day if given.
    None or several without ``n``: a usage error listing them."""
    rid = People(change, "volunteer").id_of(volunteer)
    path, date = log_path(rid, day.year), day.isoformat()
    if not (change.root / path).exists():
        raise UsageError("logs.no_entry", volunteer=rid, date=date)
    doc = change.load_file(path)
    same_day = [i for i, entry in enumerate(doc.get("entries") or [])
                if isinstance(entry, dict) and str(entry.get("date")) == date]
    if not same_day:
        raise UsageError("logs.no_entry", volunteer=rid, date=date)
    if n is None and len(same_day) > 1:
        raise UsageError("logs.which", volunteer=rid, date=date, entries="\n".join(
            "  --n {}: {}".format(k, describe(doc["entries"][i])) for k, i in enumerate(same_day, 1)))
    if n is not None and not 1 <= n <= len(same_day):
        raise UsageError("logs.no_such_n", volunteer=rid, date=date, n=n, count=len(same_day))
    return Found(rid, path, doc, same_day[(n or 1) - 1], n or 1)


def describe(entry) -> str:
    """One line that tells an entry from the others of its day: whom, what, contact, hours."""
    about = next((entry.get(k) for k in ABOUT if entry.get(k)), "-")
    about = "+".join(map(str, about)) if isinstance(about, list) else str(about)
    kinds = "+".join(_label(("kinds", 0), k) for k in entry.get("kinds") or [])
    extra = [_label(("contact",), entry["contact"])] if entry.get("contact") else []
    if entry.get("hours") is not None:
        extra.append(t("logs.hours", hours=entry["hours"]))
    return " ".join([about, kinds, *extra])


def _label(path: tuple, code) -> str:
    """A code of an entry as the coordinator reads it (入户走访 under --lang zh)."""
    return schemas.label("activity", schemas.pattern_of(ENTRY + path), code, language())


# --- log edit, log remove -------------------------------------------------------------------------

def edit(change: Change, found: Found, assignments: list[str], removals: list[str]) -> None:
    """``--set FIELD=VALUE`` and ``--unset FIELD`` on the entry (fields of an entry: date,
    child, kinds, contact, hours, details, micro_wish.wish …).  A new date moves the entry to
    its place, in its year's log."""
    entry, new_date = found.entry, None
    for text in assignments:
        name, sep, raw = text.partition("=")
        path = field_path(name.strip())
        if not sep or not path:
            raise UsageError("edit.bad_set", text=text)
        value = _value(change, found, path, raw)
        if path == ("date",):
            new_date = value
            continue
        if path[0] in ABOUT:  # whom it is about: one of child, children, pairing
            for other in ABOUT:
                if other != path[0]:
                    entry.pop(other, None)
        try:
            editing.set_path(found.doc, "activity", ("entries", found.position) + path, value)
        except KeyError:
            raise UsageError("edit.bad_path", field=name) from None
        if path == ("child",):
            editing.name_comments(entry, {"child": change.indexed(value, "child").get("name")},
                                  indent=editing.ITEM_INDENT)
    for name in removals:
        path = field_path(name.strip())
        if path in (("date",), ("kinds",)) or not editing.remove_path(entry, path):
            raise UsageError("edit.bad_path", field=name)
    if new_date and new_date != str(entry.get("date")):
        _move(change, found, new_date)


def _value(change: Change, found: Found, path: tuple, raw: str):
    """What ``raw`` means for field ``path`` of an entry: ids for names, hours as a number,
    checklist items by name, codes for labels."""
    if path[0] == "child" and len(path) == 1:
        return People(change, "child").id_of(raw)
    if path[0] == "children" and len(path) == 1:
        people = People(change, "child")
        return [people.id_of(p) for p in values.LIST_SEPARATORS.split(raw.strip()) if p]
    if path == ("pairing",):
        return layout.stem(change.path_of(raw.strip(), "pairing"))
    if path == ("hours",):
        return hours(raw)
    if path == ("checklist",):
        return checklist(change, found.volunteer, int(str(found.entry["date"])[:4]), [raw])
    try:
        return values.coerce("activity", ENTRY + path, raw)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None


def _move(change: Change, found: Found, date: str) -> None:
    """The entry, comments and all, to the place of ``date`` (another year: that year's log)."""
    entry = editing.remove_item(found.doc["entries"], found.position)
    entry["date"] = editing.styled(date)
    _path, doc = log_of(change, found.volunteer, int(date[:4]),
                        change.indexed(found.volunteer, "volunteer").get("name"))
    items = doc["entries"]
    if not items:
        items.fa.set_block_style()
    items.insert(editing.dated_position(items, date), entry)


def remove(found: Found) -> dict:
    """Take the entry out of its log (the comments around it stay); the entry."""
    return editing.remove_item(found.doc["entries"], found.position)

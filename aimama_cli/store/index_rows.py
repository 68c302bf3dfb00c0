"""What the record index stores: its tables, and how what :mod:`analysis` found in one file
becomes rows of them (written in batches)."""

from __future__ import annotations

import json
import re

from aimama_cli.core.dates import parse_date
from aimama_cli.core.hours import logged_hours
from aimama_cli.core.problems import Problem
from aimama_cli.core.spelling import spelled
from aimama_cli.store.analysis import Entry
from aimama_cli.store.listing import LISTED, listing_line

# a record's ID number as the index compares it: the blind index where the value is encrypted
ID_NUMBER = "coalesce(json_extract(fields, '$.id_number_index'), json_extract(fields, '$.id_number'))"

# files_kind holds each file's id too (path is the key, in order within a kind): how many files and
# records a check covered is counted from that index alone (0.13 -> 0.05 s at a province's 489,000)
TABLES = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE files(path TEXT PRIMARY KEY, kind TEXT, rid TEXT, digest TEXT, size INTEGER,
                   mtime INTEGER, max_date TEXT, max_date_field TEXT, fields TEXT) WITHOUT ROWID;
CREATE INDEX files_kind ON files(kind, path, rid);
CREATE INDEX files_rid ON files(rid);
CREATE INDEX files_max_date ON files(max_date);
CREATE INDEX files_birth_date ON files(json_extract(fields, '$.birth_date')) WHERE kind = 'child';
CREATE INDEX files_id_number ON files({ID_NUMBER})
    WHERE kind IN ('child', 'volunteer');
CREATE TABLE ids(id TEXT, kind TEXT, path TEXT, field TEXT, extra TEXT);
CREATE INDEX ids_id ON ids(id, kind);
CREATE INDEX ids_path ON ids(path);
CREATE TABLE refs(path TEXT, field TEXT, target_kind TEXT, target TEXT);
CREATE INDEX refs_path ON refs(path);
CREATE INDEX refs_target ON refs(target);
CREATE TABLE problems(path TEXT, line INTEGER, col INTEGER, code TEXT, severity TEXT,
                      record TEXT, field TEXT, params TEXT);
CREATE INDEX problems_path ON problems(path);
CREATE TABLE repo_problems(path TEXT, line INTEGER, col INTEGER, code TEXT, severity TEXT,
                           record TEXT, field TEXT, params TEXT, rule TEXT);
CREATE TABLE entries(path TEXT, target TEXT, n INTEGER, volunteer TEXT, day TEXT, line TEXT,
                     PRIMARY KEY(path, target, n)) WITHOUT ROWID;
CREATE TABLE brief(path TEXT PRIMARY KEY, kind TEXT, rid TEXT, traits TEXT) WITHOUT ROWID;
CREATE INDEX brief_volunteer ON brief(substr(traits, 1, instr(traits, char(9)) - 1)) WHERE kind = 'activity';
CREATE TABLE listing(path TEXT PRIMARY KEY, kind TEXT, rid TEXT, line TEXT) WITHOUT ROWID;
CREATE TABLE dirs(path TEXT PRIMARY KEY, mtime INTEGER, names TEXT) WITHOUT ROWID;
CREATE TABLE watched(path TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE deleted(path TEXT, id TEXT, kind TEXT, git_commit TEXT);
CREATE TABLE journal(generation INTEGER, path TEXT, link TEXT);
CREATE INDEX journal_generation ON journal(generation);
CREATE INDEX deleted_id ON deleted(id);
CREATE TABLE names(path TEXT, kind TEXT, rid TEXT, name TEXT, place TEXT, spelled TEXT,
                   initials TEXT, about TEXT);
CREATE INDEX names_path ON names(path);
CREATE INDEX names_name ON names(name, kind);
CREATE INDEX names_rid ON names(rid);
CREATE INDEX names_place ON names(place);
"""
PER_PATH_TABLES = ("files", "ids", "refs", "problems", "entries", "brief", "names", "listing")
# what tells apart people and teams of the same name, per kind: (where, what else) — a child's
# birth year, a volunteer's team, a team's level
NAMED = {"child": ("village", "birth_date"), "volunteer": ("village", "team"), "team": ("region", "level")}
# The fields reports count by, per kind, kept apart as one line of text a record ("brief"): the
# coverage of 100,000 children reads them in a fraction of what parsing each record's JSON costs.
# An activity log's line is its volunteer, year and hours served (_log_brief).
BRIEF = {
    "child": ("village", "status", "categories", "guardianship", "risk_level"),
    "volunteer": ("village", "status", "kind", "vetting.status"),
    "pairing": ("child", "volunteer", "started_on", "ended_on"),
    "pledge": ("volunteer", "year"),
}


# records on file that never counted: a person entered in error, or a duplicate merged into
# the record kept (closed.reason), and a voided pledge; reports tally none of them (no brief line)
VOID_REASONS = ("entered_in_error", "duplicate")


def void(fields: dict) -> bool:
    return fields.get("closed.reason") in VOID_REASONS or "voided.on" in fields


def problem_row(p: Problem) -> tuple:
    return (p.file, p.line, p.column, p.code, p.severity, p.record, p.field,
            json.dumps(p.params, ensure_ascii=False))


def problem_of(row) -> Problem:
    """The problem a row of :func:`problem_row` keeps."""
    path, line, col, code, severity, record, field, values = row
    return Problem(path, line, col, code, severity, record, field, tuple(tuple(p) for p in json.loads(values)))


def brief_line(fields: dict, names: tuple) -> str:
    """The values of ``names`` joined by tabs: a list's items joined by "+", a missing value or
    one with a tab or a line break in it as ""."""
    values = []
    for name in names:
        value = fields.get(name)
        if isinstance(value, list):
            value = _codes(value)
        text = "" if value is None or isinstance(value, dict) else str(value)
        values.append("" if "\t" in text or "\n" in text else text)
    return "\t".join(values)


def _name_rows(entry: Entry) -> list[tuple]:
    """(path, kind, id, name, place, pinyin, initials, about) of the people and teams ``entry``
    names, for finding them by name (names are not sensitive: docs/privacy.md).  The pinyin is
    kept here so that ``aimama find`` never converts 100,000 names."""
    if entry.kind == "coordinators":
        people = [(c.get("id"), c.get("name"), _first(c.get("regions")), "+".join(_listed(c.get("roles"))))
                  for c in _listed(entry.fields.get("coordinators")) if isinstance(c, dict)]
        kind = "coordinator"
    elif entry.kind in NAMED and entry.rid:
        place, about = NAMED[entry.kind]
        people = [(entry.rid, entry.fields.get("name"), entry.fields.get(place), entry.fields.get(about))]
        kind = entry.kind
    else:
        return []
    rows = []
    for rid, name, place, about in people:
        if isinstance(rid, str) and isinstance(name, str) and name:
            rows.append((entry.path, kind, rid, name, place if isinstance(place, str) else None,
                         *spelled(name), about if isinstance(about, str) else None))
    return rows


def _first(value):
    items = _listed(value)
    return items[0] if items else None


def _entry_rows(entry: Entry) -> list[tuple]:
    """An activity log's entries, one row for each child or pairing an entry is about, for the
    duty check, which reads a million of them: what it needs is one line of text a row, "date
    made kinds n checklist fulfilled_on insured_from insured_to" (made: 1, or 0 for an attempt;
    codes joined by "+"; "" for what is missing), split in Python.  Entries with no valid date,
    and kinds and checklist items that are not codes, are left out (the log's checks report them)."""
    volunteer = entry.fields.get("volunteer")
    items = entry.fields.get("entries")
    if not isinstance(volunteer, str) or not isinstance(items, list):
        return []
    rows = []
    for n, item in enumerate(items):
        day = item.get("date")
        if parse_date(day) is None:
            continue
        targets = {t for t in [item.get("child"), item.get("pairing"), *_listed(item.get("children"))]
                   if isinstance(t, str)}
        line = " ".join([day, "0" if item.get("contact") == "attempted" else "1", _codes(item.get("kinds")), str(n),
                         _codes(item.get("checklist")),
                         *(_date_text(item.get(k)) for k in ("micro_wish.fulfilled_on", "insurance.from", "insurance.to"))])
        rows.extend((entry.path, target, n, volunteer, day, line) for target in sorted(targets))
    return rows


def _log_brief(entry: Entry) -> list[tuple]:
    """An activity log's volunteer, year and service hours (those ``served`` counts, added
    exactly), for the volunteers report: a province's million entries are added up once, as
    each log is read, not again for every report."""
    volunteer, year = entry.fields.get("volunteer"), entry.fields.get("year")
    if not isinstance(volunteer, str) or "\t" in volunteer or "\n" in volunteer:
        return []  # no entry of it counts for anyone (_entry_rows)
    year = year if type(year) is int else ""  # not a year: its hours count for none
    return [(entry.path, entry.kind, entry.rid, f"{volunteer}\t{year}\t{logged_hours(entry.fields.get('entries'))}")]


CODE = re.compile(r"[a-z][a-z0-9_]*")


def _codes(values) -> str:
    return "+".join(v for v in _listed(values) if isinstance(v, str) and CODE.fullmatch(v))


def _listed(value) -> list:
    return value if isinstance(value, list) else []


def _date_text(value) -> str:
    return value if parse_date(value) else ""


def built_rows(entry: Entry) -> tuple:
    """What the index keeps of ``entry``, as rows: (path, digest, its ``files`` row but for size
    and mtime, then the rows of each other table in :data:`_OTHER` order).  Built where the file
    was parsed (a worker process on a cold index), so that the main process only writes rows:
    plain tuples of text also cost a fraction of an Entry to send between processes."""
    max_date, max_field = entry.max_date or (None, None)
    head = (entry.kind, entry.rid, max_date, max_field, json.dumps(entry.fields, ensure_ascii=False))
    ids = [(i, k, entry.path, f, x) for i, k, f, x in entry.defines]
    refs = [(entry.path, f, k, v) for f, k, v in entry.refs]
    brief = []
    if entry.kind == "activity":
        entries, brief = _entry_rows(entry), _log_brief(entry)
    else:
        entries = []
        if entry.kind in BRIEF and entry.rid and not void(entry.fields):
            brief = [(entry.path, entry.kind, entry.rid, brief_line(entry.fields, BRIEF[entry.kind]))]
    listing = [(entry.path, entry.kind, entry.rid, listing_line(entry.fields, LISTED[entry.kind]))] \
        if entry.kind in LISTED and entry.rid else []
    return (entry.path, entry.digest, head, ids, refs, [problem_row(p) for p in entry.problems],
            entries, brief, _name_rows(entry), listing)


_OTHER = ("ids", "refs", "problems", "entries", "brief", "names", "listing")  # after "files", in built_rows


class Rows:
    """Index rows gathered and written in batches (one executemany per table per 5,000 files)."""

    BATCH = 5000

    def __init__(self, db):
        self.db = db
        self.files: list[tuple] = []
        self.other: list[list[tuple]] = [[] for _ in _OTHER]

    def add(self, entry: Entry, size: int, mtime: int) -> None:
        self.add_built(built_rows(entry), size, mtime)

    def add_built(self, built: tuple, size: int, mtime: int) -> None:
        """Add the rows :func:`built_rows` made of a file whose stat gave ``size`` and ``mtime``."""
        path, digest, (kind, rid, max_date, max_field, fields), *other = built
        self.files.append((path, kind, rid, digest, size, mtime, max_date, max_field, fields))
        for rows, found in zip(self.other, other):
            if found:
                rows.extend(found)
        if len(self.files) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        for table, rows in (("files", self.files), *zip(_OTHER, self.other)):
            if rows:
                marks = ",".join("?" * len(rows[0]))
                self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                rows.clear()


def facts(table: str, *names: str) -> str:
    """SQL: the indexed fields ``names`` of the record in ``table`` as one JSON array, for the
    cost of parsing its fields once (``vetting.status`` is one key, dot and all)."""
    return f"json_extract({table}.fields, {', '.join(_path(n) for n in names)})"


def field(table: str, name: str) -> str:
    """SQL: one indexed field of the record in ``table``."""
    return f"json_extract({table}.fields, {_path(name)})"


def _path(name: str) -> str:
    return f"""'$."{name}"'""" if "." in name else f"'$.{name}'"


def signed(table: str) -> str:
    """SQL: the pledge in ``table`` stands (it was not voided)."""
    return f"{field(table, 'voided.on')} IS NULL"


def active(table: str) -> str:
    """SQL: the pairing in ``table`` has started and not ended on the day ``:day``."""
    return f"{field(table, 'started_on')} <= :day AND coalesce({field(table, 'ended_on')} > :day, 1)"

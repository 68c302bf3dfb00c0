"""Judged duties kept in the record index, so that ``report duties`` (and the dashboard) judge
again only the pairings whose records changed.

A *scope* is what every judgement of a run shares: the code that judges (the index's own
version key), the year and the programmes' definitions.  Within a scope each pairing has a
*key*: a digest of the files its judgement reads (the pairing, its child, its volunteer, her
activity logs of the year and the one before) and the programme she is assigned; and the days
its verdict holds: from the day it was judged to the day before one of its duties may turn
(a deadline passes, a month begins, cover runs out, an entry logged ahead comes due).  A
pairing whose key differs from the stored one, or whose verdict does not hold on the day asked
for, is judged again; one no longer selected is dropped.  So the first report of a new day
judges only the pairings whose verdict turns that day.  The tallies are then counted by SQL
over the stored statuses.

The tables are created here, beside the index's own (``index_rows.TABLES``), and dropped with
them when the index is rebuilt for another version of aimama.
"""

from __future__ import annotations

import json
import sqlite3
import time

from aimama_cli.store import layout

TABLES = """
CREATE TABLE IF NOT EXISTS duty_scope(id INTEGER PRIMARY KEY, scope TEXT UNIQUE, used REAL);
CREATE TABLE IF NOT EXISTS duty_fresh(scope INTEGER, prefix TEXT, generation TEXT, day TEXT);
CREATE TABLE IF NOT EXISTS duty_text(id INTEGER PRIMARY KEY, text TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS duty_pairing(scope INTEGER, pairing TEXT, key TEXT, volunteer TEXT, village TEXT,
                                        programme TEXT, statuses INTEGER, overdue INTEGER, child TEXT,
                                        deadlines INTEGER, judged_on TEXT, changes_on TEXT,
                                        PRIMARY KEY(scope, pairing)) WITHOUT ROWID;
"""
# A verdict's statuses and deadlines are kept once each in duty_text, the verdicts naming them by
# number: a province's 116,000 pairings are judged alike a few thousand ways, and storing each
# verdict's own text (46 MB) then grouping by it cost the first report of a day a second.
TEXTS_KEPT = 10_000  # texts in duty_text beyond which those no verdict names are removed
KEEP_SCOPES = 2  # a province's scope holds 116,000 pairings' judgements: keep this year's and one more
UNUSED_TEXTS = ("DELETE FROM duty_text WHERE id NOT IN "
                "(SELECT statuses FROM duty_pairing UNION SELECT deadlines FROM duty_pairing)")
PLACE = "substr(substr(village, 1, ?) || '000000000000', 1, 12)"  # a village's first digits, padded


class DutyCache:
    """The stored judgements of one scope in the index ``db``.  Writing needs the index file to
    be writable; :meth:`open` returns None when it is not (the caller judges everything)."""

    def __init__(self, db: sqlite3.Connection, scope_id: int):
        self.db = db
        self.scope = scope_id
        self.unreadable: list[str] | None = None  # the logs judging could not read, when it just told them

    @classmethod
    def open(cls, db: sqlite3.Connection, scope: str) -> "DutyCache | None":
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return None
        try:
            for statement in filter(str.strip, TABLES.split(";")):
                db.execute(statement)
            db.execute("INSERT OR IGNORE INTO duty_scope(scope, used) VALUES (?, ?)", (scope, time.time()))
            db.execute("UPDATE duty_scope SET used = ? WHERE scope = ?", (time.time(), scope))
            scope_id = db.execute("SELECT id FROM duty_scope WHERE scope = ?", (scope,)).fetchone()[0]
            for (old,) in db.execute("SELECT id FROM duty_scope ORDER BY used DESC LIMIT -1 OFFSET ?",
                                     (KEEP_SCOPES,)).fetchall():
                db.execute("DELETE FROM duty_scope WHERE id = ?", (old,))
                db.execute("DELETE FROM duty_fresh WHERE scope = ?", (old,))
                db.execute("DELETE FROM duty_pairing WHERE scope = ?", (old,))
                db.execute(UNUSED_TEXTS)
            db.execute("COMMIT")
        except sqlite3.OperationalError:
            db.execute("ROLLBACK")
            return None
        return cls(db, scope_id)

    def fresh(self, prefix: str, generation: str, day: str) -> bool:
        """Whether the judgements of region ``prefix`` were brought up to date for ``day`` when
        the index was at ``generation`` (no file has changed since), for it or for a region
        holding it."""
        return self.db.execute(
            "SELECT 1 FROM duty_fresh WHERE scope = ? AND generation = ? AND day = ? "
            "AND substr(?, 1, length(prefix)) = prefix", (self.scope, generation, day, prefix)).fetchone() is not None

    def based_on(self, prefix: str) -> tuple[str, str] | None:
        """(the index's generation, the day) the judgements of region ``prefix`` were last
        brought up to date at and for, by a report of it or of a region holding it."""
        return self.db.execute(  # (replace keeps the rows of one generation and day)
            "SELECT generation, day FROM duty_fresh WHERE scope = ? AND substr(?, 1, length(prefix)) = prefix "
            "LIMIT 1", (self.scope, prefix)).fetchone()

    def stored(self, prefix: str, pairings: set[str]) -> set[str]:
        """Which of ``pairings`` have a judgement stored in region ``prefix``."""
        where, params = self._where(prefix)
        return {p for (p,) in self.db.execute(
            f"SELECT pairing FROM duty_pairing WHERE {where} AND pairing IN (SELECT value FROM json_each(?))",
            (*params, json.dumps(sorted(pairings))))}

    def turning(self, prefix: str, day: str) -> dict[str, str]:
        """{pairing: key} of the stored judgements of region ``prefix`` that may turn by ``day``."""
        where, params = self._where(prefix)
        return dict(self.db.execute(f"SELECT pairing, key FROM duty_pairing WHERE {where} AND changes_on <= ?",
                                    (*params, day)))

    def turning_by(self, prefix: str, day: str) -> tuple[int, int]:
        """How many judgements of region ``prefix`` are stored, and how many of them do not hold
        on ``day`` whatever their keys (judged after it, or turning by it)."""
        where, params = self._where(prefix)
        stored, turning = self.db.execute(
            f"SELECT count(*), total(NOT (judged_on <= ? AND (changes_on IS NULL OR ? < changes_on))) "
            f"FROM duty_pairing WHERE {where}", (day, day, *params)).fetchone()
        return stored, int(turning)

    def keys(self, prefix: str) -> dict[str, tuple]:
        """{pairing: (key, judged on, changes on)} of the stored judgements whose child lives in
        region ``prefix``."""
        return {pairing: (key, judged_on, changes_on) for pairing, key, judged_on, changes_on in self.db.execute(
            "SELECT pairing, key, judged_on, changes_on FROM duty_pairing WHERE scope = ? AND substr(village, 1, ?) = ?",
            (self.scope, len(prefix), prefix))}

    def replace(self, prefix: str, generation: str, day: str, gone: list[str], judged: list[tuple]) -> bool:
        """Drop the judgements of ``gone`` pairings, store ``judged`` — (pairing, key, volunteer,
        village, programme, [[duty, label, status]] as JSON, how many overdue, child, [deadline]
        as JSON, changes on) as of ``day`` —
        and note region ``prefix`` as up to date for ``day`` at ``generation``.  False when the
        index cannot be written."""
        scope = self.scope
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        try:
            self.db.executemany("DELETE FROM duty_pairing WHERE scope = ? AND pairing = ?",
                                ((scope, p) for p in gone))
            number = self._numbered({text for row in judged for text in (row[5], row[8])})
            self.db.executemany(
                "INSERT OR REPLACE INTO duty_pairing VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((scope, p, key, volunteer, village, programme, number[statuses], overdue, child,
                  number[deadlines], day, changes_on)
                 for p, key, volunteer, village, programme, statuses, overdue, child, deadlines, changes_on in judged))
            if len(number) > TEXTS_KEPT:  # (a day's report adds a hundred texts or so at a province)
                self.db.execute(UNUSED_TEXTS)
            self.db.execute("DELETE FROM duty_fresh WHERE scope = ? AND (generation != ? OR day != ?)",
                            (scope, generation, day))
            self.db.execute("INSERT INTO duty_fresh VALUES (?, ?, ?, ?)", (scope, prefix, generation, day))
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            self.db.execute("ROLLBACK")
            return False
        return True

    def _numbered(self, texts: set[str]) -> dict[str, int]:
        """{text: its number in duty_text}, those not there yet added."""
        known = dict(self.db.execute("SELECT text, id FROM duty_text"))
        self.db.executemany("INSERT INTO duty_text(text) VALUES (?)", ((t,) for t in texts - known.keys()))
        return known if texts <= known.keys() else dict(self.db.execute("SELECT text, id FROM duty_text"))

    # --- the tallies -------------------------------------------------------------------------------

    def _where(self, prefix: str) -> tuple[str, tuple]:
        return "scope = ? AND substr(village, 1, ?) = ?", (self.scope, len(prefix), prefix)

    def combinations(self, prefix: str, width: int):
        """(programme, statuses, place, pairings) of region ``prefix``: pairings judged alike in
        one place counted together (a province's 116,000 make a few thousand), a place being the
        first ``width`` digits of the child's village padded with zeros to twelve; ``statuses``
        is [[duty, label, status]]."""
        where, params = self._where(prefix)
        decoded: dict[int, list] = {}
        for programme, number, text, place, n in self.db.execute(
                "SELECT programme, statuses, t.text, place, n FROM (SELECT programme, statuses, "
                f"{PLACE} AS place, count(*) AS n FROM duty_pairing WHERE {where} GROUP BY programme, statuses, place) "
                "JOIN duty_text AS t ON t.id = statuses", (width, *params)):
            statuses = decoded.get(number)
            if statuses is None:
                statuses = decoded[number] = json.loads(text)
            yield programme, statuses, place, n

    def most_overdue(self, prefix: str, top: int):
        """(volunteer, overdue duties, pairings overdue) of the ``top`` volunteers with the most."""
        where, params = self._where(prefix)
        return self.db.execute(
            f"SELECT volunteer, sum(overdue) AS n, count(*) FROM duty_pairing WHERE {where} AND overdue > 0 "
            "GROUP BY volunteer ORDER BY n DESC, volunteer LIMIT ?", (*params, top)).fetchall()

    def overdue(self, prefix: str):
        """(pairing, volunteer, [[duty, label, status]]) of region ``prefix``'s judgements with a
        duty overdue."""
        where, params = self._where(prefix)
        for pairing, volunteer, statuses in self.db.execute(
                "SELECT pairing, volunteer, t.text FROM duty_pairing JOIN duty_text AS t ON t.id = statuses "
                f"WHERE {where} AND overdue > 0", params):
            yield pairing, volunteer, json.loads(statuses)

    def kept(self, prefix: str):
        """(pairing, child, volunteer, village, programme, [[duty, label, status]], [deadline]) of
        every judgement of region ``prefix`` (``export facts`` lists each duty)."""
        where, params = self._where(prefix)
        for pairing, child, volunteer, village, programme, statuses, deadlines in self.db.execute(
                "SELECT pairing, child, volunteer, village, programme, s.text, d.text FROM duty_pairing "
                "JOIN duty_text AS s ON s.id = statuses JOIN duty_text AS d ON d.id = deadlines "
                f"WHERE {where}", params):
            yield pairing, child, volunteer, village, programme, json.loads(statuses), json.loads(deadlines)

    def volunteers(self, prefix: str) -> set:
        """The volunteers of region ``prefix``'s pairings."""
        where, params = self._where(prefix)
        return {v for (v,) in self.db.execute(f"SELECT DISTINCT volunteer FROM duty_pairing WHERE {where}", params)}


# --- what a judgement depends on ---------------------------------------------------------------------

def digests(db: sqlite3.Connection, kind: str, ids: set | None = None) -> dict[str, str]:
    """{id: the digests of the files defining it, in path order} of every record of ``kind``
    (of ``ids`` only).  Two files of one id are rare (a problem check reports): Python joins
    them, cheaper than SQLite grouping 100,000 ids."""
    if ids is None:
        folder = f"{layout.RECORDS}/{layout.FOLDER_OF[kind]}/"  # a range of the primary key: no lookup a row
        rows = db.execute("SELECT rid, digest FROM files WHERE +kind = ? AND path >= ? AND path < ? ORDER BY path",
                          (kind, folder, folder[:-1] + "0"))
    else:
        rows = db.execute("SELECT rid, digest FROM files WHERE +kind = ? AND rid IN (SELECT value FROM json_each(?)) "
                          "ORDER BY path", (kind, json.dumps(sorted(ids))))
    found: dict[str, str] = {}
    for rid, digest in rows:
        found[rid] = f"{found[rid]}+{digest}" if rid in found else digest
    return found


def log_digests(db: sqlite3.Connection, folder: str, years: tuple, volunteers: set | None = None) -> dict[str, str]:
    """{volunteer: the digests of her activity logs of ``years``} (of ``volunteers`` only): a
    log counts for the volunteer it is named after and for the one it names (they differ only in
    a log check reports).  The volunteer named begins the log's brief line."""
    low, high = f"{folder}/{min(years)}/", f"{folder}/{max(years)}0"
    select = "SELECT f.path, f.digest, b.traits FROM files AS f LEFT JOIN brief AS b ON b.path = f.path "
    if volunteers is None:
        rows = db.execute(f"{select} WHERE +f.kind = 'activity' AND f.path > ? AND f.path < ? ORDER BY f.path",
                          (low, high))  # +kind: a range of the primary key, not the kind index and a lookup a log
    else:  # the logs named after them, and those naming them (index brief_volunteer)
        named = [f"{folder}/{year}/{v}.yaml" for year in range(min(years), max(years) + 1) for v in volunteers]
        rows = db.execute(
            f"{select} WHERE f.path IN (SELECT value FROM json_each(?)) AND f.kind = 'activity' UNION "
            f"{select} WHERE f.path IN (SELECT path FROM brief WHERE kind = 'activity' AND path > ? AND path < ? "
            "AND substr(traits, 1, instr(traits, char(9)) - 1) IN (SELECT value FROM json_each(?))) "
            "AND f.kind = 'activity' ORDER BY 1", (json.dumps(named), low, high, json.dumps(sorted(volunteers))))
    found: dict[str, list] = {}
    for path, digest, brief in rows:
        stem = path.rsplit("/", 1)[-1].removesuffix(".yaml")
        for volunteer in {stem, brief.partition("\t")[0] if brief else stem}:
            found.setdefault(volunteer, []).append(digest)
    return {volunteer: "+".join(listed) for volunteer, listed in found.items()}


def definitions(db: sqlite3.Connection, kind: str) -> str:
    """The paths and digests of every file of ``kind``, as one text (the programmes' for a scope)."""
    return "".join(f"{path}:{digest};" for path, digest in db.execute(
        "SELECT path, digest FROM files WHERE kind = ? ORDER BY path", (kind,)))

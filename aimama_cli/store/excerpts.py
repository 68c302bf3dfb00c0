"""The lines of record files that a check's text report quoted, kept in the record index.

A province's check reports some 11,000 warnings, each with the line it points at: reading
those 11,000 files again took half of a warm check (0.14 of 0.3 s for the report).  A kept
line is used only while its file's content is the one the index holds (the same blob id), so
an edit, a checkout or a file put back never shows an old line.

The table is created here, beside the index's own (``index_rows.TABLES``), and dropped with
them when the index is rebuilt for another version of aimama.
"""

from __future__ import annotations

import sqlite3

from aimama_cli.store.index_file import BUSY_SECONDS

TABLE = ("CREATE TABLE IF NOT EXISTS excerpts(path TEXT, line INTEGER, digest TEXT, text TEXT, "
         "PRIMARY KEY(path, line)) WITHOUT ROWID")
WAIT_MS = 200  # a report does not wait for another command's long write: the lines are kept next time


def kept(db: sqlite3.Connection) -> dict[tuple[str, int], str]:
    """{(path, line number): text} of the kept lines whose file is unchanged since."""
    try:
        return {(path, line): text for path, line, text in db.execute(
            "SELECT e.path, e.line, e.text FROM excerpts e JOIN files f ON f.path = e.path AND f.digest = e.digest")}
    except sqlite3.OperationalError:  # no such table yet
        return {}


def keep(db: sqlite3.Connection, rows: list[tuple[str, int, str, str]]) -> None:
    """Keep ``rows`` (path, line number, blob id of the content read, text), and forget the
    lines kept of an older content of the same files.  Nothing is kept when the index is busy
    or cannot be written."""
    if not rows:
        return
    try:
        db.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        return
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    try:
        db.execute(TABLE)
        db.executemany("DELETE FROM excerpts WHERE path = ? AND digest != ?",
                       {(path, digest) for path, _line, digest, _text in rows})
        db.executemany("INSERT OR REPLACE INTO excerpts VALUES (?, ?, ?, ?)", rows)
        db.execute("COMMIT")
    except sqlite3.Error:
        db.execute("ROLLBACK")

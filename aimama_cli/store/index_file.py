"""The file the record index lives in, opened safely beside other aimama processes.

One SQLite file per way of reading the records, under ``.aimama/``:

* ``index.sqlite`` — a repository without encryption;
* ``index-sealed.sqlite`` — an encrypted repository read without a key (CI, a reviewer): the
  sensitive fields are ciphertext, the rules that need their values are skipped;
* ``index-key-<key_id>.sqlite`` — read with the data key ``key_id`` (its public fingerprint, as
  in keys.yaml): the file rules ran on the decrypted values (ID number check digits, a blind
  index that does not match …), so the problems stored differ from the sealed index's.

A coordinator with the key and a check without it (a hook, CI in the same folder) thus never
rebuild, let alone delete, each other's index.

Several processes may use one file at once: SQLite's WAL mode lets readers go on while one
process brings the index up to date, and writers take turns (``BEGIN IMMEDIATE``, waiting up to
:data:`BUSY_SECONDS`).  A file is never deleted while it may be in use: one made by another
version of aimama is emptied and rebuilt inside a write transaction; only a damaged file is
removed, under a lock file and after looking at it again.  Whatever cannot be used — a damaged
file that cannot be removed, a read-only file or folder, a lock held too long — gives way to an
index in memory for this run: slower, never a failed command.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: a damaged index is repaired without the lock file
    fcntl = None

BUSY_SECONDS = 120.0  # a province's index is built in ~2 minutes: wait for it rather than build it twice
CACHE_DIR = ".aimama"
CACHE_FILE = "index.sqlite"
_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
# The index files this process has connected to.  It must not open (and close) one of them
# itself once SQLite has: closing any descriptor of a file drops every POSIX lock the process
# holds on it, SQLite's too — another process would then take its WAL for unused and reset it.
_OPENED: set[str] = set()


def file_name(sealed: bool, key_id: str | None) -> str:
    """The index file for reading the records with data key ``key_id`` (None: no key)."""
    if key_id:
        return f"index-key-{key_id}.sqlite"
    return "index-sealed.sqlite" if sealed else CACHE_FILE


def damaged(exc: BaseException) -> bool:
    """Whether an SQLite error says the file is not a sound database."""
    return isinstance(exc, sqlite3.DatabaseError) and (
        getattr(exc, "sqlite_errorname", None) in _DAMAGED
        or "malformed" in str(exc) or "not a database" in str(exc))


def memory(tables: str, version: str) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA temp_store=MEMORY")
    _create(db, tables, version)
    return db


def open_file(folder: Path, name: str, tables: str, version: str) -> sqlite3.Connection | None:
    """A connection to ``folder/name`` holding the tables of ``version``, or None when the file
    cannot be used (the caller then indexes in memory)."""
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout: an index left there may still be readable
    path = folder / name
    for attempt in range(2):
        db, seen = None, inode(path)
        try:
            suspect = str(path) not in _OPENED and _suspect(path)
            _OPENED.add(str(path))
            db = _connect(path)
            if suspect and _verdict(db) is False:
                raise sqlite3.DatabaseError("database disk image is malformed (shorter than its header says)")
            _prepare(db, tables, version)
            return db
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            if attempt or not damaged(exc) or not repair(path, seen):
                return None
        except OSError:
            return None
    return None


PAGE_SIZE = 16384  # a province's cold build: 4,096-byte pages made its rows and indexes cost a quarter more


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file only: SQLite ignores it on one in WAL mode
    db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer (a no-op on a read-only file)
    db.execute("PRAGMA synchronous=OFF")  # a lost or broken index is rebuilt from the records
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute("PRAGMA journal_size_limit=67108864")  # the WAL of a cold build shrinks again after it
    return db


def meta(db: sqlite3.Connection, key: str):
    try:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None


def _prepare(db: sqlite3.Connection, tables: str, version: str) -> None:
    """Make the file hold an empty index of ``version`` unless it holds one already — looking
    again once the write lock is taken, as another process may have made it meanwhile."""
    if meta(db, "key") == version:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if meta(db, "key") != version:
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%'").fetchall():
                db.execute(f'DROP TABLE "{table}"')
            _create(db, tables, version)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _create(db: sqlite3.Connection, tables: str, version: str) -> None:
    for statement in filter(str.strip, tables.split(";")):
        db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('key', ?)", (version,))


def _suspect(path: Path) -> bool:
    """Whether the file is shorter than its header says (cut short: pages a query reads would
    be missing).  Cheap; a checkpoint under way can look the same for a moment, so a suspect
    file is then checked in full (:func:`_verdict`) before it is called damaged.  Only before
    this process connects to the file (see :data:`_OPENED`); later, damage shows as errors."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    if len(header) < 100:
        return bool(header)  # a few bytes: nothing SQLite wrote
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the page count is valid
    return counted and size < page * pages


def _verdict(db: sqlite3.Connection) -> bool | None:
    """Whether the database is sound after a full look (every page): True, False, or None when
    it cannot be told now (locked by another process, say — which is no damage)."""
    try:
        return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:
        return False if damaged(exc) else None


@contextlib.contextmanager
def _locked(path: Path):
    if fcntl is None:
        yield
        return
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def repair(path: Path, seen: int | None) -> bool:
    """Remove the damaged index file ``path`` (and its WAL) so that it is rebuilt.  True when the
    file may be opened again: removed, no longer the one found damaged (inode ``seen``: another
    process rebuilt it meanwhile), or sound after all on a full look.  Under a lock file, so
    that two processes do not remove each other's new file; and only on the evidence of that
    full look, as other processes may be using the file."""
    try:
        with _locked(path):
            if inode(path) != seen:
                return True
            try:
                db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
                try:
                    verdict = _verdict(db)
                finally:
                    db.close()
            except sqlite3.DatabaseError as exc:
                verdict = False if damaged(exc) else None
            if verdict is not False:
                return bool(verdict)
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return True
    except OSError:
        return False

"""The record index: what every command reads records through.

Parsing dominates the cost of a check (about 0.25 ms a file even with libyaml), so the index
keeps, for every record file, what repository rules and commands query — kind, id, references,
the fields the schema marks ``x-index``, the latest date, and the file's own problems — in a
SQLite database under ``.aimama/``.  Repository rules are SQL queries over it, so a check never
loads 400,000 records into Python.

Bringing it up to date parses only files whose content (git blob id) changed.  In a git work
tree, the candidates come from git itself — files changed between the indexed HEAD and the
current one, tracked files ``git diff-index`` finds modified (a stat comparison done in C), the
files known to differ from HEAD last time, and the entries of folders whose mtime moved (files
added, removed or renamed).  Elsewhere every file is stat'ed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from aimama_cli import __version__
from aimama_cli.core.problems import Problem
from aimama_cli.core.resources import PACKAGE
from aimama_cli.store import layout, schemas
from aimama_cli.store.analysis import FileChecks, analyse, analyse_file, digest_file
from aimama_cli.store.gitio import Worktree
from aimama_cli.store.index_rows import PER_PATH_TABLES, TABLES, Rows, problem_row
from aimama_cli.store.queries import Queries
from aimama_cli.store.sealing.sealed import encryption_on

CACHE_DIR = ".aimama"
CACHE_FILE = "index.sqlite"
PARALLEL_THRESHOLD = 400  # below this many files to parse, worker start-up costs more than it saves
RACY_SECONDS = 2.0  # a file or folder changed this close to an index update is looked at again
PENDING_LIMIT = 2000  # more changed files than this since the last check: rerun every rule
def code_digest() -> str:
    """Changes when aimama or its schemas change, so that an index never outlives its rules."""
    h = hashlib.sha1(__version__.encode())
    package = PACKAGE
    for path in sorted(package.rglob("*.py")):
        h.update(path.read_bytes())
    h.update(schemas.digest().encode())
    return h.hexdigest()


@dataclass
class Stats:
    files: int = 0
    candidates: int = 0
    hashed: int = 0
    parsed: int = 0
    seconds: float = 0.0
    mode: str = ""


def _sealer(root: Path):
    """The key records are analysed with (it reaches the worker processes by fork): the
    coordinator's, when the repository is encrypted and her identity opens keys.yaml."""
    from aimama_cli.store.sealing import crypto

    sealer = None
    if encryption_on(root):
        from aimama_cli.store.sealing.keyring import quiet_sealer

        sealer = quiet_sealer(root)
    crypto.activate(sealer)
    return sealer


def _gone(path: Path) -> bool:
    """Whether a file is no longer there; one in a folder that cannot be read is (AM113 says
    why it was not read), and Path.exists would raise PermissionError."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _analyse_job(job):
    return analyse_file(*job)


class Index(Queries):
    """The index of one records repository, in ``.aimama/index.sqlite`` (or in memory)."""

    def __init__(self, root: Path, use_cache: bool = True, checks: FileChecks | None = None):
        """``checks``: what to run on each file parsed (``aimama_cli.rules.FILE_CHECKS``);
        reading needs none, bringing the index up to date does."""
        self.root = Path(root).resolve()
        self.use_cache = use_cache
        self.checks = checks
        self.sealed = encryption_on(self.root)  # judged by the leak rules (rules/leaks.py)
        self.stats = Stats()
        self.sealer = _sealer(self.root)
        self.db = self._open()
        self._folders: dict[str, int | None] = {}  # folders listed during this update
        self._head_blobs: dict[str, str | None] = {}  # blob ids in HEAD that git told us

    # --- storage ------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        # an index made before the repository was encrypted (or after it stopped being) holds
        # the leak rules' findings at the wrong severity: start again; with a coordinator's key,
        # rules run on the decrypted values: another index again
        key = (code_digest() + ("/sealed" if self.sealed else "")
               + (f"+key:{self.sealer.key_id}" if self.sealer else ""))
        if self.use_cache:
            folder = self.root / CACHE_DIR
            try:
                folder.mkdir(exist_ok=True)
                ignore = folder / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("*\n", encoding="utf-8")
                db = sqlite3.connect(folder / CACHE_FILE, isolation_level=None)
                if self._meta(db, "key") == key:
                    return self._tune(db)
                db.close()
                (folder / CACHE_FILE).unlink()  # another version of aimama made it: start again
            except (OSError, sqlite3.DatabaseError):
                try:
                    (folder / CACHE_FILE).unlink(missing_ok=True)
                    db = sqlite3.connect(folder / CACHE_FILE, isolation_level=None)
                except (OSError, sqlite3.DatabaseError):
                    db = sqlite3.connect(":memory:", isolation_level=None)  # read-only checkout
            else:
                db = sqlite3.connect(folder / CACHE_FILE, isolation_level=None)
        else:
            db = sqlite3.connect(":memory:", isolation_level=None)
        self._tune(db)
        db.executescript(TABLES)
        db.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
        return db

    @staticmethod
    def _tune(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("PRAGMA synchronous=OFF")  # a lost or broken index is rebuilt from the records
        db.execute("PRAGMA temp_store=MEMORY")
        return db

    @staticmethod
    def _meta(db, key: str):
        try:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def _set_meta(self, key: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- bringing it up to date ----------------------------------------------------------------

    def _checks(self) -> FileChecks:
        if self.checks is None:
            raise RuntimeError("the record index was opened for reading: it cannot parse files")
        return self.checks

    def refresh(self, workers: int | None = None) -> "Index":
        self._checks()
        started = time.perf_counter()
        self.db.execute("BEGIN")
        try:
            tree = Worktree.find(self.root) if self.use_cache else None
            head = tree.head_tree() if tree else None
            if tree and self._meta(self.db, "head") is not None:
                self.stats.mode = "git"
                candidates = self._git_candidates(tree, head)
            else:
                self.stats.mode = "scan"
                candidates = self._scan_candidates()
            self.stats.candidates = len(candidates)
            changed = self._update(candidates, workers)
            if tree:
                self._remember_git_state(tree, head, changed)
            history = tree or Worktree.find(self.root)
            if history:
                self._remember_deletions(history, head or history.head_tree())
            self._remember_dirs()
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.stats.files = self.count()
        self.stats.seconds = time.perf_counter() - started
        return self

    def _scan_candidates(self) -> dict[str, os.stat_result | None]:
        """Every file whose size or mtime differs from the index, and every file that went."""
        known = {p: (s, m) for p, s, m in self.db.execute("SELECT path, size, mtime FROM files")}
        racy = (time.time() - RACY_SECONDS) * 1e9
        found: dict[str, os.stat_result | None] = {}
        self.db.execute("DELETE FROM dirs")
        for path, st in layout.scan(self.root, self._folders):
            if known.pop(path, None) != (st.st_size, st.st_mtime_ns) or st.st_mtime_ns > racy:
                found[path] = st
        found.update(dict.fromkeys(known))  # gone from disk
        return found

    def _git_candidates(self, tree: Worktree, head: str) -> dict[str, os.stat_result | None]:
        paths = set(p for (p,) in self.db.execute("SELECT path FROM watched"))
        old_head = self._meta(self.db, "head")
        if old_head != head:
            paths |= tree.changed_between(old_head, head)
        self._head_blobs = tree.modified(head)
        paths |= set(self._head_blobs)
        paths |= self._folder_changes()
        paths.add(layout.CONFIG)
        found: dict[str, os.stat_result | None] = {}
        for path in filter(layout.belongs, paths):
            try:
                found[path] = os.lstat(self.root / path)  # a link is listed, never followed
            except OSError:
                found[path] = None
        return found

    def _folder_changes(self) -> set[str]:
        """Files added or removed in folders whose mtime moved since the last update: only
        those folders are listed again (a folder of 100,000 children takes 0.1 s to list)."""
        stored = dict(self.db.execute("SELECT path, mtime FROM dirs").fetchall())
        if layout.RECORDS not in stored:
            stored[layout.RECORDS] = -1
        result: set[str] = set()
        for folder, mtime in stored.items():
            try:
                now = os.stat(self.root / folder).st_mtime_ns
            except OSError:  # the folder went, and every file in it
                self._folders[folder] = None
                result |= self._known_in(folder, direct=False)
                continue
            if now == mtime:
                continue
            files, subfolders = layout.list_folder(self.root, folder, self._folders)
            result |= set(files) ^ self._known_in(folder, direct=True)
            for sub in subfolders:
                if sub not in stored:  # a new folder: everything in it is new
                    result |= {p for p, _ in layout.scan(self.root, self._folders, sub, stat=False)}
        return result

    def _known_in(self, folder: str, direct: bool) -> set[str]:
        low, high = folder + "/", folder + "0"  # '0' sorts right after '/'
        paths = {p for (p,) in self.db.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ?", (low, high))}
        return {p for p in paths if "/" not in p[len(low):]} if direct else paths

    def _update(self, candidates: dict, workers: int | None) -> dict[str, str | None]:
        """Index what changed among ``candidates``; return {path: digest or None if gone}."""
        stored = dict(self._digests(list(candidates)))
        current: dict[str, str | None] = {}
        to_parse = []
        for path, st in candidates.items():
            if st is None or layout.classify(path)[1] == "outside":
                current[path] = None
                continue
            digest = digest_file(self.root / path) if path in stored else None
            self.stats.hashed += path in stored
            current[path] = digest
            if digest is not None and digest == stored.get(path):
                self.db.execute("UPDATE files SET size = ?, mtime = ? WHERE path = ?",
                                (st.st_size, st.st_mtime_ns, path))
            else:
                to_parse.append(path)
        parsing = set(to_parse)
        gone = [p for p, d in current.items() if d is None and p not in parsing]
        self._delete(gone)
        self._delete(to_parse)
        rows = Rows(self.db)
        for entry in self._parse_all(to_parse, workers):
            st = candidates[entry.path] or os.lstat(self.root / entry.path)
            rows.add(entry, st.st_size, st.st_mtime_ns)
            current[entry.path] = entry.digest
        rows.flush()
        for path in to_parse:  # vanished while parsing
            if current.get(path) is None:
                current[path] = None
        self.stats.parsed = len(to_parse)
        if gone or to_parse:
            self._set_meta("generation", int(self._meta(self.db, "generation") or 0) + 1)
            pending = json.loads(self._meta(self.db, "pending") or "[]")
            if len(pending) < PENDING_LIMIT:
                pending = sorted(set(pending) | set(gone) | parsing)
            self._set_meta("pending", json.dumps(pending[:PENDING_LIMIT + 1]))
        return current

    def _digests(self, paths: list[str]):
        for i in range(0, len(paths), 500):
            chunk = paths[i:i + 500]
            yield from self.db.execute(
                f"SELECT path, digest FROM files WHERE path IN ({','.join('?' * len(chunk))})", chunk)

    def _delete(self, paths: list[str]) -> None:
        for table in PER_PATH_TABLES:
            self.db.executemany(f"DELETE FROM {table} WHERE path = ?", ((p,) for p in paths))

    def _parse_all(self, paths: list[str], workers: int | None):
        jobs = [(str(self.root), p, self.checks, self.sealed) for p in sorted(paths)]
        workers = workers or min(2, os.cpu_count() or 1)
        if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
            yield from filter(None, map(_analyse_job, jobs))
            return
        import multiprocessing

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with context.Pool(workers) as pool:
            yield from filter(None, pool.imap(_analyse_job, jobs, chunksize=256))

    def _remember_git_state(self, tree: Worktree, head: str, current: dict) -> None:
        """Files that differ from HEAD stay candidates next time (git's stat check cannot see
        an untracked file edited in place)."""
        self._set_meta("head", head)
        differing = [p for p, d in current.items() if d is not None]
        known = self._head_blobs  # diff-index told us these already
        in_head = {p: known[p] for p in differing if p in known}
        in_head.update(tree.blobs(head, [p for p in differing if p not in known]))
        self.db.execute("DELETE FROM watched WHERE path IN (SELECT value FROM json_each(?))",
                        (json.dumps(list(current)),))
        self.db.executemany("INSERT OR IGNORE INTO watched VALUES (?)",
                            ((p,) for p in differing if in_head.get(p) != current[p]))

    def _remember_deletions(self, tree: Worktree, head: str) -> None:
        """Record files deleted in git history or in the work tree (records are closed, never
        deleted: a rule reports deletions that lose something).  History is read once, then
        only the commits added since."""
        commit = tree.head_commit()
        seen = self._meta(self.db, "deleted_head")
        if commit and commit != seen:
            if seen and tree.is_ancestor(seen, commit):
                found = tree.deleted(f"{seen}..{commit}")
            else:
                self.db.execute("DELETE FROM deleted WHERE git_commit != ''")
                found = tree.deleted(commit)
            self._add_deleted(found)
            self._set_meta("deleted_head", commit)
        if self.stats.mode == "scan" and not self._head_blobs:
            self._head_blobs = tree.modified(head)
        self.db.execute("DELETE FROM deleted WHERE git_commit = ''")
        self._add_deleted((p, "") for p, old in self._head_blobs.items()
                          if old and _gone(self.root / p))

    def _add_deleted(self, found) -> None:
        rows = [(p, layout.stem(p), layout.classify(p)[0], c) for p, c in found]
        self.db.executemany("INSERT INTO deleted VALUES (?, ?, ?, ?)",
                            [r for r in rows if r[2] not in (None, "config", "regions", "coordinators")])

    def _remember_dirs(self) -> None:
        """Folder mtimes, so that added and removed files are found without listing folders;
        a folder changed very recently is listed again next time (its mtime may not move)."""
        racy = (time.time() - RACY_SECONDS) * 1e9
        gone = [(f,) for f, m in self._folders.items() if m is None]
        self.db.executemany("DELETE FROM dirs WHERE path = ? OR path LIKE ? || '/%'",
                            ((f, f) for (f,) in gone))
        self.db.executemany("INSERT OR REPLACE INTO dirs VALUES (?, ?)",
                            ((f, m if m < racy else -1) for f, m in self._folders.items()
                             if m is not None))

    @contextlib.contextmanager
    def overlay(self, contents: dict[str, bytes | None]):
        """The index as it would be with ``contents`` written (None: the file removed), for
        judging a change before anything touches the disk; rolled back on leaving."""
        self.db.execute("SAVEPOINT overlay")
        try:
            self._delete(list(contents))
            rows = Rows(self.db)
            for path, raw in contents.items():
                if raw is not None:
                    rows.add(analyse(path, raw, self._checks(), self.sealed), len(raw), 0)
            rows.flush()
            yield self
        finally:
            self.db.execute("ROLLBACK TO overlay")
            self.db.execute("RELEASE overlay")

    # --- reading --------------------------------------------------------------------------------

    def remembered(self, name: str, compute):
        """``compute()``, kept in the index until a file changes (it must return JSON)."""
        generation = self._meta(self.db, "generation") or "0"
        stored = self._meta(self.db, f"memo:{name}")
        if stored:
            saved_generation, value = json.loads(stored)
            if saved_generation == generation:
                return value
        value = compute()
        try:
            self._set_meta(f"memo:{name}", json.dumps([generation, value]))
        except sqlite3.OperationalError:
            pass  # a read-only index: compute again next time
        return value

    def file_problems(self, paths: list[str] | None = None) -> list[Problem]:
        """The problems found in each file on its own (in ``paths`` only, if given)."""
        if paths is None:
            return self._problems("problems")
        return self._problems("problems", "WHERE path IN (SELECT value FROM json_each(?))",
                              (json.dumps(paths),))

    def _problems(self, table: str, where: str = "", params=()) -> list[Problem]:
        return [Problem(path, line, col, code, severity, record, field,
                        tuple(tuple(p) for p in json.loads(values)))
                for path, line, col, code, severity, record, field, values
                in self.db.execute(f"SELECT * FROM {table} {where}", params)]

    def cached_repository_problems(self, key: str) -> tuple[list[Problem] | None, list[str] | None]:
        """Repository rules' problems from the last check that judged the same day (``key``),
        and the files changed since (None when too many to tell, or another day was judged)."""
        if (self._meta(self.db, "repo_key") or "").partition("/")[2] != key:
            return None, None
        pending = json.loads(self._meta(self.db, "pending") or "[]")
        return self._problems("repo_problems"), (pending if len(pending) <= PENDING_LIMIT else None)

    def cache_repository_problems(self, key: str, problems: list[Problem]) -> None:
        generation = self._meta(self.db, "generation") or "0"
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM repo_problems")
            self.db.executemany("INSERT INTO repo_problems VALUES (?,?,?,?,?,?,?,?)",
                                (problem_row(p) for p in problems))
            self._set_meta("repo_key", f"{generation}/{key}")
            self._set_meta("pending", "[]")

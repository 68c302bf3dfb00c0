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
import functools
import hashlib
import json
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from aimama_cli import __version__
from aimama_cli.core.problems import Problem
from aimama_cli.core.resources import PACKAGE
from aimama_cli.core.workers import streamed
from aimama_cli.store import layout, schemas, watching
from aimama_cli.store.analysis import FileChecks, analyse, analyse_file, digest_file, file_limit, fresh_rules
from aimama_cli.store.gitio import GitError, Worktree, git_dir, run
from aimama_cli.store.index_file import CACHE_DIR, damaged, file_name, inode, memory, meta, open_file, repair
from aimama_cli.store.index_rows import PER_PATH_TABLES, TABLES, Rows, built_rows, problem_of, problem_row
from aimama_cli.store.queries import Queries
from aimama_cli.store.sealing.sealed import encryption_on

PARALLEL_THRESHOLD = 400  # below this many files to parse, worker start-up costs more than it saves
CHUNK = 256  # files a worker parses and sends back at once
RACY_SECONDS = 2.0  # a file or folder changed this close to an index update is looked at again
PENDING_LIMIT = 2000  # more changed files than this since the last check: rerun every rule
JOURNAL_LIMIT = 2000  # paths and ids of one change listed in the journal; more: "too many to list"
JOURNAL_KEEP = 500  # changes the journal goes back
WATCH_TOKEN = "watch_token"  # meta: the watcher's token as of the last update (store/watching.py)
@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """Changes when aimama or its schemas change, so that an index never outlives its rules.
    Worked out once a process, from the code it runs: a worker forked to read the index (the
    duty engine's parts, check's second process for the rules) inherits it, and never takes an
    index its parent just built for another version's — and empties it — because aimama was
    upgraded on disk meanwhile."""
    h = hashlib.sha1(__version__.encode())
    package = PACKAGE
    for path in sorted(package.rglob("*.py")):
        h.update(path.read_bytes())
    h.update(schemas.digest().encode())
    return h.hexdigest()


@dataclass
class Kept:
    """The repository rules' problems an earlier check kept, as :meth:`Index.cached_repository_problems`
    reads them for a check of some day."""

    problems: dict[str, list[Problem]]  # by rule: each rule's that hold on the day (every rule's
    # if that check judged the same day, else those of the rules that did not read the day)
    pending: list[str]  # the files changed since
    links: list[str]  # the ids those files defined or named before they changed
    dayfree: set[str]  # the rules that did not read the day
    lines: dict[tuple, tuple]  # {(path, code, field): (line, column)} of the problems kept, in files unchanged


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


def _names_digest(files: list[str]) -> str:
    """What a folder listed holds, as one digest: the index holds the same files as when the
    listing last gave it (what that listing added and removed was indexed with it)."""
    return hashlib.blake2b("\n".join(sorted(files)).encode(), digest_size=16).hexdigest()


def _analyse_chunk(jobs: list) -> list:
    """Each file's rows for the index (:func:`built_rows`) and its (size, mtime) as read (None
    when it was not: a link, a FIFO…), or None when it has gone; the files (of one root) read
    through one reader: each folder opened once, the size limit looked up once, where each
    file cost four opens and a stat more (489,000 files in a cold check)."""
    root = jobs[0][0] if jobs else ""
    with layout.Reader(Path(root), file_limit(root)) as reader:
        return [(built_rows(entry), _size_and_mtime(reader.stat) if reader.stat else None)
                if (entry := analyse_file(*job, reader=reader)) is not None else None
                for job in jobs]


# The secondary indexes of the tables a file's rows go to (CREATE INDEX statements, as TABLES
# words them): a cold build drops them and creates them once its rows are in, a sort each,
# instead of keeping each B-tree in order row by row — which, once the province's index
# (1.5 GB) outgrows SQLite's page cache, is a random page read and write a row.
SECONDARY = [s.strip() for s in TABLES.split(";")
             if s.strip().startswith("CREATE INDEX") and s.split(" ON ")[1].split("(")[0].strip() in PER_PATH_TABLES]
COLD_CACHE_KIB = 131072  # SQLite's page cache while a cold build creates those indexes


CLONE_MARK = "index-mark"  # in the git folder's aimama/: the token an index file of this clone holds


def _clone_mark(root: Path) -> str:
    """``@`` and a random token kept in this clone's git folder, which nothing committed can
    write: an index file is used only by the clone that made it.  A pull request can commit a
    ``.aimama/index.sqlite`` (the folder's .gitignore keeps out only what is not added by force)
    whose rows say every record is sound; it holds another token, so it is emptied and rebuilt."""
    tree = Worktree.find(root)
    if tree is None:  # no git: nothing is committed, nor pulled
        return ""
    mark = git_dir(tree) / "aimama" / CLONE_MARK
    try:
        if not mark.exists():  # made once, whole: written aside, then linked into place unless
            mark.parent.mkdir(parents=True, exist_ok=True)  # another process was first
            aside = mark.with_name(f"{CLONE_MARK}.{os.getpid()}")
            aside.write_text(os.urandom(16).hex() + "\n", encoding="ascii")
            try:
                os.link(aside, mark)
            except FileExistsError:
                pass
            finally:
                aside.unlink()
        token = mark.read_text(encoding="ascii").strip()
    except OSError:
        token = ""
    # a git folder that cannot be read or written: a token of this run alone (the index file is
    # emptied and rebuilt each time, never trusted)
    return "@" + (token or "once-" + os.urandom(16).hex())


UNSTATED = os.stat_result((0,) * 10)  # a candidate found by a listing, not yet stat'ed


def _size_and_mtime(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


def _lstat(path: Path) -> tuple[int, int]:
    """The file's size and mtime; (-1, -1) when it has gone (it is looked at again next time)."""
    try:
        return _size_and_mtime(os.lstat(path))
    except OSError:
        return -1, -1


class Unshared(Exception):
    """A forked worker could not open the index file its command has open (damaged or replaced
    meanwhile): it must not work from the empty index it would make in memory instead."""


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
        self.path: Path | None = None  # the index file (None: in memory)
        self._inode: int | None = None  # the file's, when opened: is it still the same file?
        self.db = self._open()
        self._folders: dict[str, int | None] = {}  # folders listed during this update
        self._listed: dict[str, str] = {}  # a digest of the names in each of them (_folder_changes)
        self._head_blobs: dict[str, str | None] = {}  # blob ids in HEAD that git told us
        self._real: dict[str, bool] = {}  # folders known to be real (no symlink) or not
        self._judged: str | None = None  # the generation repository rules were last judged on
        self._seen: tuple[str, str | None, frozenset] | None = None  # see git_view

    @classmethod
    def of_worker(cls, root: Path) -> "Index":
        """The index file for a worker forked by a command that has it open, with a connection of
        its own (one must not cross a fork); :class:`Unshared` when the file cannot be used: the
        worker's part would silently hold nothing (the command then does that part itself)."""
        index = cls(root)
        if not index.use_cache:
            raise Unshared(str(root))
        return index

    # --- storage ------------------------------------------------------------------------------

    def _version(self) -> str:
        """What an index must have been built by and for: this code, and — on an encrypted
        repository — without a key or with this one (each has its own file, see index_file)."""
        return (code_digest() + ("/sealed" if self.sealed else "")
                + (f"+key:{self.sealer.key_id}" if self.sealer else "") + _clone_mark(self.root))

    def _open(self) -> sqlite3.Connection:
        version = self._version()
        if self.use_cache:
            self.path = self.root / CACHE_DIR / file_name(self.sealed, self.sealer and self.sealer.key_id)
            db = open_file(self.path.parent, self.path.name, TABLES, version)
            if db is not None:
                self._inode = inode(self.path)
                return db
            self.use_cache = False  # the file cannot be used: this run indexes in memory
        self.path = None
        return memory(TABLES, version)

    def discard_damaged(self, exc: BaseException) -> bool:
        """When ``exc`` says the index file is damaged: remove it, so that the next index opened
        is rebuilt (True)."""
        return self.path is not None and damaged(exc) and repair(self.path, self._inode)

    def _in_memory(self) -> None:
        """Go on with an index in memory, built from scratch (the file could not be written)."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        self.use_cache, self.path = False, None
        self.db = memory(TABLES, self._version())

    @staticmethod
    def _meta(db, key: str):
        return meta(db, key)

    def _set_meta(self, key: str, value) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
            return
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- bringing it up to date ----------------------------------------------------------------

    def _checks(self) -> FileChecks:
        if self.checks is None:
            raise RuntimeError("the record index was opened for reading: it cannot parse files")
        return self.checks

    def refresh(self, workers: int | None = None) -> "Index":
        """Bring the index up to date with the files.  When its file cannot be written (read-only,
        locked for too long) or turns out damaged, it is rebuilt — or this run goes on in memory."""
        self._checks()
        started = time.perf_counter()
        for attempt in range(3):
            try:
                self._refresh(workers)
                break
            except sqlite3.DatabaseError as exc:
                if self.path is None:
                    raise
                path, seen = self.path, self._inode
                self._in_memory()
                if not attempt and damaged(exc) and repair(path, seen):
                    self.use_cache = True
                    self.db = self._open()  # rebuilt in a new file
                self.stats = Stats()
        self.stats.files = self.count()
        self.stats.seconds = time.perf_counter() - started
        return self

    def _refresh(self, workers: int | None) -> None:
        self._folders, self._listed, self._head_blobs, self._real = {}, {}, {}, {}
        # the write lock first, then the state: what another process indexed while this one
        # waited is not done twice, nor undone
        self.db.execute("BEGIN IMMEDIATE")
        try:
            tree = Worktree.find(self.root) if self.use_cache else None
            head = tree.head_tree() if tree else None
            if tree and self._meta(self.db, "deleted_head") is None and (commit := tree.head_commit()):
                tree.start_deleted(commit)  # all the history: read while the files are
            # asked first: whatever changes from now on is in its next answer
            told = watching.changed_since(tree, self._meta(self.db, WATCH_TOKEN)) if tree else None
            if tree and self._meta(self.db, "head") is not None:
                self.stats.mode = "git" if told is None or told[1] is None else "watched"
                candidates = self._git_candidates(tree, head, told and told[1])
            else:
                self.stats.mode = "scan"
                candidates = self._scan_candidates()
            self.stats.candidates = len(candidates)
            changed = self._update(candidates, workers)
            if tree:
                self._remember_git_state(tree, head, changed)
            self._set_meta(WATCH_TOKEN, told and told[0])
            history = tree or Worktree.find(self.root)
            if history:
                self._remember_deletions(history, head or history.head_tree())
            self._remember_dirs()
            self.db.execute("COMMIT")
            if tree:  # the commit _remember_deletions read history up to is HEAD's
                self._seen = (head, self._meta(self.db, "deleted_head"), frozenset(self._head_blobs))
        except BaseException:
            Worktree.stop_started()
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise

    def git_view(self) -> tuple[str, frozenset] | None:
        """(HEAD's tree, the paths git's stat found possibly differing from it — in the work
        tree or staged) as this process's refresh saw them; None when it asked git nothing."""
        return (self._seen[0], self._seen[2]) if self._seen else None

    def followed(self, commit: str, paths) -> None:
        """This process committed ``paths`` (under the root) on top of the HEAD its refresh saw:
        the next command need not read that commit's changes and history from git (0.25 s at
        400,000 files), only look at those paths again — which it finds indexed here, as
        written (it compares their digests and parses nothing: a process that parses a first
        file loads the rules, the schemas and the pinyin table, 0.1 s).  Nothing is changed
        when HEAD or the index moved otherwise meanwhile (the next refresh then asks git, as
        always)."""
        tree = Worktree.find(self.root)
        if self._seen is None or tree is None or not self.use_cache:
            return
        seen_tree, seen_commit, _differing = self._seen
        try:
            new_tree, parent = (run(tree.top, "rev-parse", f"{commit}^{{tree}}", f"{commit}^{{commit}}^")
                                .split())
        except (GitError, ValueError):
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if (parent == seen_commit and self._meta(self.db, "head") == seen_tree
                        and self._meta(self.db, "deleted_head") == seen_commit):
                    self._set_meta("head", new_tree)
                    self._set_meta("deleted_head", commit)  # the commit deleted nothing
                    ours = [p for p in paths if layout.belongs(p)]
                    self.db.executemany("INSERT OR IGNORE INTO watched VALUES (?)", ((p,) for p in ours))
                    self._update({p: self._present(p) for p in ours}, workers=1)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            pass  # busy or read-only: the next refresh asks git instead

    def _scan_candidates(self) -> dict[str, os.stat_result | None]:
        """Every file whose size or mtime differs from the index, and every file that went."""
        known = {p: (s, m) for p, s, m in self.db.execute("SELECT path, size, mtime FROM files")}
        racy = (time.time() - RACY_SECONDS) * 1e9
        found: dict[str, os.stat_result | None] = {}
        self.db.execute("DELETE FROM dirs")
        if not known:  # an empty index: every file is read, and its stat taken as it is (in a worker)
            return {path: UNSTATED for path, _st in layout.scan(self.root, self._folders, stat=False)}
        for path, st in layout.scan(self.root, self._folders):
            if known.pop(path, None) != (st.st_size, st.st_mtime_ns) or st.st_mtime_ns > racy:
                found[path] = st
        found.update(dict.fromkeys(known))  # gone from disk
        return found

    def _git_candidates(self, tree: Worktree, head: str,
                        watched: list[str] | None = None) -> dict[str, os.stat_result | None]:
        """``watched``: the paths (under the work tree's top) the watcher saw change since the
        last update; None: git's stat of every file and the folders' mtimes tell instead."""
        paths = set(p for (p,) in self.db.execute("SELECT path FROM watched"))
        old_head = self._meta(self.db, "head")
        if old_head != head:
            paths |= tree.changed_between(old_head, head)
        if watched is None:
            self._head_blobs = tree.modified(head)
            paths |= set(self._head_blobs)
            paths |= self._folder_changes()
        else:  # the files deleted by hand stay what may differ from HEAD (_remember_deletions)
            paths |= self._watched_changes(tree, watched)
            paths |= {p for (p,) in self.db.execute("SELECT path FROM deleted WHERE git_commit = ''")}
            ours = sorted(filter(layout.belongs, paths))
            self._head_blobs = dict.fromkeys(ours) | tree.blobs(head, ours)
        paths.add(layout.CONFIG)
        return {path: self._present(path) for path in filter(layout.belongs, paths)}

    def _watched_changes(self, tree: Worktree, changed: list[str]) -> set[str]:
        """The paths under the root among ``changed``; a folder removed or moved away (named
        with a trailing slash) stands for every file the index holds in it, and every file
        now there."""
        n = len(tree.prefix)
        result = set()
        for path in changed:
            if not path.startswith(tree.prefix):
                continue
            path = path[n:]
            if not path.endswith("/"):
                result.add(path)
                continue
            folder = path.rstrip("/")
            result |= self._known_in(folder, direct=False)
            if self._real_folder(folder) and (self.root / folder).is_dir():
                result |= {p for p, _ in layout.scan(self.root, self._folders, folder, stat=False)}
        return result

    def _present(self, path: str) -> os.stat_result | None:
        """The lstat of ``path`` (a link is listed, never followed), or None when it is gone —
        or lies in a folder under records/ reached through a link: a full scan lists the link
        (AM111) and not what it points to (git stores the link), so the index does the same."""
        try:
            st = os.lstat(self.root / path)
        except OSError:
            return None
        return st if self._real_folder(path.rpartition("/")[0]) else None

    def _real_folder(self, folder: str) -> bool:
        """Whether ``folder`` is a folder of the records, no symlink on the way from records/."""
        if folder in ("", layout.RECORDS):
            return True
        if folder not in self._real:
            try:
                real = stat.S_ISDIR(os.lstat(self.root / folder).st_mode)
            except OSError:
                real = False
            self._real[folder] = real and self._real_folder(folder.rpartition("/")[0])
        return self._real[folder]

    def _folder_changes(self) -> set[str]:
        """Files added or removed in folders whose mtime moved since the last update: only
        those folders are listed again (a folder of 100,000 children takes 0.1 s to list), and
        compared with the index only if their names differ from the last listing's (a record
        written in place moves its folder's mtime, and adds or removes nothing)."""
        stored = {path: (mtime, names) for path, mtime, names in self.db.execute("SELECT * FROM dirs")}
        if layout.RECORDS not in stored:
            stored[layout.RECORDS] = (-1, None)
        result: set[str] = set()
        for folder, (mtime, names) in stored.items():
            try:
                if not self._real_folder(folder):
                    raise FileNotFoundError(folder)  # now a symlink: its files are not the records'
                now = os.stat(self.root / folder).st_mtime_ns
            except OSError:  # the folder went, and every file in it
                self._folders[folder] = None
                result |= self._known_in(folder, direct=False)
                continue
            if now == mtime:
                continue
            files, subfolders = layout.list_folder(self.root, folder, self._folders)
            self._listed[folder] = _names_digest(files)
            if self._listed[folder] != names:
                result |= set(files) ^ self._known_in(folder, direct=True)
            for sub in subfolders:
                if sub not in stored:  # a new folder: everything in it is new
                    result |= {p for p, _ in layout.scan(self.root, self._folders, sub, stat=False)}
        return result

    def _known_in(self, folder: str, direct: bool) -> set[str]:
        low, high = folder + "/", folder + "0"  # '0' sorts right after '/'
        deeper = "" if direct else "OR 1"  # direct: no slash after the folder's own
        return {p for (p,) in self.db.execute(
            f"SELECT path FROM files WHERE path >= ?1 AND path < ?2 AND (instr(substr(path, ?3), '/') = 0 {deeper})",
            (low, high, len(low) + 1))}

    def _update(self, candidates: dict, workers: int | None) -> dict[str, str | None]:
        """Index what changed among ``candidates``; return {path: digest or None if gone}."""
        fresh_rules()
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
        # gone: what the index held (a file deleted and not yet committed stays a candidate of
        # every run, and is no change after the first)
        gone = [p for p, d in current.items() if d is None and p in stored and p not in parsing]
        cold = len(to_parse) >= PARALLEL_THRESHOLD and self._empty()
        before = self._links(gone + to_parse) if (gone or to_parse) and not cold else []
        if not cold:  # an empty index holds nothing to delete
            self._delete(gone)
            self._delete(to_parse)
        with self._bulk(cold):
            rows = Rows(self.db)
            for built, read in self._parse_all(to_parse, workers):
                path = built[0]
                st = candidates[path]
                if st is UNSTATED:  # (not read: a link, a FIFO… which may have gone since)
                    size, mtime = read or _lstat(self.root / path)
                else:
                    size, mtime = _size_and_mtime(st or os.lstat(self.root / path))
                rows.add_built(built, size, mtime)
                current[path] = built[1]
            rows.flush()
        for path in to_parse:  # vanished while parsing
            if current.get(path) is None:
                current[path] = None
        self.stats.parsed = len(to_parse)
        if gone or to_parse:
            self._pending(set(gone) | parsing, before)
        return current

    def _pending(self, paths: set[str], links) -> None:
        """The index changed: ``paths`` changed, and the records linked to ``links`` (ids)
        may judge otherwise; the next check runs the repository rules on them again, and the
        journal lists them under the new generation (for :meth:`changed_since`)."""
        generation = int(self._meta(self.db, "generation") or 0) + 1
        self._set_meta("generation", generation)
        links = set(links)
        self.db.execute("DELETE FROM journal WHERE generation <= ?", (generation - JOURNAL_KEEP,))
        if len(paths) + len(links) <= JOURNAL_LIMIT:
            self.db.executemany("INSERT INTO journal VALUES (?, ?, NULL)", ((generation, p) for p in sorted(paths)))
            self.db.executemany("INSERT INTO journal VALUES (?, NULL, ?)", ((generation, i) for i in sorted(links)))
        else:  # (a new index, a branch checked out)
            self.db.execute("INSERT INTO journal VALUES (?, NULL, NULL)", (generation,))
        pending = json.loads(self._meta(self.db, "pending") or "[]")
        known = json.loads(self._meta(self.db, "pending_links") or "[]")
        if len(pending) < PENDING_LIMIT:
            pending = sorted(set(pending) | paths)
            known = sorted(set(known) | set(links))
        self._set_meta("pending", json.dumps(pending[:PENDING_LIMIT + 1]))
        self._set_meta("pending_links", json.dumps(known))

    def changed_since(self, generation: str) -> tuple[set[str], set[str]] | None:
        """(the paths changed since the index was at ``generation``, the ids they are named
        after, defined or named before and do now); None when the journal cannot tell (too long
        ago, or a change of too many files to list)."""
        since, now = int(generation), int(self._meta(self.db, "generation") or 0)
        if since > now:
            return None
        rows = self.db.execute("SELECT generation, path, link FROM journal WHERE generation > ?", (since,)).fetchall()
        if len({g for g, _p, _l in rows}) != now - since or any(p is None and link is None for _g, p, link in rows):
            return None
        paths = {p for _g, p, _l in rows if p is not None}
        ids = {i for _g, _p, i in rows if i is not None} | {layout.stem(p) for p in paths}
        return paths, ids | set(self._links(sorted(paths)))

    def _empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None

    @contextlib.contextmanager
    def _bulk(self, cold: bool):
        """Rows written into an empty index (``cold``): its secondary indexes are made after
        them, in the same transaction (an interrupted build leaves the index as it was)."""
        if not cold:
            yield
            return
        (cache,) = self.db.execute("PRAGMA cache_size").fetchone()
        for statement in SECONDARY:
            self.db.execute(f"DROP INDEX {statement.split()[2]}")
        yield
        self.db.execute(f"PRAGMA cache_size = -{COLD_CACHE_KIB}")
        try:
            for statement in SECONDARY:
                self.db.execute(statement)
        finally:
            self.db.execute(f"PRAGMA cache_size = {cache}")

    def _links(self, paths: list[str]) -> list[str]:
        """The ids the files ``paths`` define and name, as indexed (before they change): the
        records linked to what a file held are judged again too, even once it no longer parses."""
        return [i for (i,) in self.db.execute(
            "WITH changed(path) AS (SELECT value FROM json_each(?)) "
            "SELECT id FROM ids WHERE path IN changed UNION SELECT target FROM refs WHERE path IN changed",
            (json.dumps(paths),))]

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
        if len(jobs) < PARALLEL_THRESHOLD or workers < 2 or not hasattr(os, "fork"):
            yield from filter(None, _analyse_chunk(jobs))
            return
        import gc

        # The objects there are now (modules, the candidates' stats) are left out of garbage
        # collection meanwhile: each full collection would walk them all, in this process and
        # in every forked worker — where it also copies the pages it touches (a fifth of the
        # workers' time on the county).  What parsing makes is collected as ever.
        gc.freeze()
        try:
            chunks = [jobs[k:k + CHUNK] for k in range(0, len(jobs), CHUNK)]
            for rows in streamed(_analyse_chunk, chunks, workers, chunk=1):
                yield from filter(None, rows)
        finally:
            gc.unfreeze()

    def _remember_git_state(self, tree: Worktree, head: str, current: dict) -> None:
        """Files that differ from HEAD stay candidates next time (git's stat check cannot see
        an untracked file edited in place)."""
        self._set_meta("head", head)
        differing = [p for p, d in current.items() if d is not None]
        known = self._head_blobs  # diff-index told us these already
        in_head = {p: known[p] for p in differing if p in known}
        in_head.update(tree.blobs(head, [p for p in differing if p not in known]))
        # the few files watched (those differing from HEAD) looked up among those looked at, not
        # the other way round: a first index looks at 489,000 (1.1 s as one JSON list for SQLite)
        self.db.executemany("DELETE FROM watched WHERE path = ?",
                            [(p,) for (p,) in self.db.execute("SELECT path FROM watched") if p in current])
        self.db.executemany("INSERT OR IGNORE INTO watched VALUES (?)",
                            ((p,) for p in differing if in_head.get(p) != current[p]))

    def _remember_deletions(self, tree: Worktree, head: str) -> None:
        """Record files deleted in git history or in the work tree (records are closed, never
        deleted: a rule reports deletions that lose something).  History is read once, then
        only the commits added since.  A deletion found or forgotten (another branch, an older
        commit checked out) counts as a change of that file."""
        before = set(self.db.execute("SELECT * FROM deleted"))
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
                          if old and (_gone(self.root / p) or not self._real_folder(p.rpartition("/")[0])))
        moved = before ^ set(self.db.execute("SELECT * FROM deleted"))
        if moved:
            self._pending({path for path, *_ in moved}, {rid for _path, rid, *_ in moved})

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
        self.db.executemany("INSERT OR REPLACE INTO dirs VALUES (?, ?, ?)",
                            ((f, m if m < racy else -1, self._listed.get(f)) for f, m in self._folders.items()
                             if m is not None))

    @contextlib.contextmanager
    def overlay(self, contents: dict[str, bytes | None]):
        """The index as it would be with ``contents`` written (None: the file removed), for
        judging a change before anything touches the disk; rolled back on leaving."""
        fresh_rules()
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

    def remembered(self, name: str, compute, kinds: tuple | None = None):
        """``compute()``, kept in the index until a file changes (it must return JSON); with
        ``kinds``, until a file of those kinds changes (what ``compute`` reads, and all it reads)."""
        generation = self.memo_generation(kinds)
        found = self.recall(name, generation)
        if found is not None:
            return found
        value = compute()
        self.keep(name, value, generation)
        return value

    def memo_generation(self, kinds: tuple | None = None) -> str:
        """What a value computed from now on is kept under: taken before computing, so that a
        file another process changes meanwhile makes the value stale, never a stale value fresh."""
        return (self._meta(self.db, "generation") or "0") if kinds is None else self._contents(kinds)

    def recall(self, name: str, generation: str):
        """What :meth:`keep` kept under ``name`` at ``generation`` (:meth:`memo_generation`); None."""
        stored = self._meta(self.db, f"memo:{name}")
        if stored:
            saved_generation, value = json.loads(stored)
            if saved_generation == generation:
                return value
        return None

    def keep(self, name: str, value, generation: str) -> None:
        """Keep ``value`` (JSON) under ``name``, computed at ``generation`` (:meth:`memo_generation`)."""
        try:
            self._set_meta(f"memo:{name}", json.dumps([generation, value]))
        except sqlite3.OperationalError:
            pass  # a read-only index: computed again next time

    def _contents(self, kinds: tuple) -> str:
        """A digest of the contents of every file of ``kinds``: the same files, the same digest
        (a file added, removed or changed makes another; so may the order SQLite returns them
        in, which only means computing again)."""
        found = hashlib.blake2b(digest_size=16)
        for kind in kinds:
            (text,) = self.db.execute("SELECT group_concat(digest, ' ') FROM files WHERE kind = ?", (kind,)).fetchone()
            found.update(f"{kind}:{text or ''};".encode())
        return "contents:" + found.hexdigest()

    def file_problems(self, paths: list[str] | None = None) -> list[Problem]:
        """The problems found in each file on its own (in ``paths`` only, if given)."""
        if paths is None:
            return self._problems("problems")
        return self._problems("problems", "WHERE path IN (SELECT value FROM json_each(?))",
                              (json.dumps(paths),))

    def _problems(self, table: str, where: str = "", params=()) -> list[Problem]:
        return [problem_of(row) for row in self.db.execute(f"SELECT * FROM {table} {where}", params)]

    def cached_repository_problems(self, key: str) -> "Kept | None":
        """What the last check kept of the repository rules (:class:`Kept`) for a check of the
        day ``key``; None when nothing was kept or too many files changed since to tell.
        Read at one moment (another process may bring the index up to date meanwhile), which
        :meth:`cache_repository_problems` compares with before it keeps new results."""
        self.db.execute("BEGIN")
        try:
            self._judged = self._meta(self.db, "generation") or "0"
            stored = self._meta(self.db, "repo_key")
            pending = json.loads(self._meta(self.db, "pending") or "[]")
            if not stored or len(pending) > PENDING_LIMIT:  # too many to tell what they touch
                return None
            dayfree = set(json.loads(self._meta(self.db, "dayfree_rules") or "[]"))
            rules = json.loads(self._meta(self.db, "judged_rules") or "[]")
            if stored.partition("/")[2] != key:
                rules = [rule for rule in rules if rule in dayfree]
            kept = Kept({rule: [] for rule in rules}, pending,
                        json.loads(self._meta(self.db, "pending_links") or "[]"), dayfree, {})
            changed = set(pending)
            for rule, *row in self.db.execute(
                    "SELECT rule, path, line, col, code, severity, record, field, params FROM repo_problems"):
                if rule in kept.problems:
                    kept.problems[rule].append(problem_of(row))
                if row[0] not in changed:
                    kept.lines[row[0], row[3], row[6]] = row[1], row[2]
            return kept
        finally:
            self.db.execute("COMMIT")

    def cache_repository_problems(self, key: str, found: dict[str, list[Problem]], dayfree: set[str]) -> None:
        """Keep each rule's problems (``found``) for the next check, and which rules did not
        read the day (``dayfree``) — unless the index changed since they were judged (another
        process brought it up to date: its changes are still pending), or it cannot be written."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return
        try:
            if (self._meta(self.db, "generation") or "0") == self._judged:
                self.db.execute("DELETE FROM repo_problems")
                self.db.executemany("INSERT INTO repo_problems VALUES (?,?,?,?,?,?,?,?,?)",
                                    (problem_row(p) + (rule,) for rule, problems in found.items() for p in problems))
                self._set_meta("repo_key", f"{self._judged}/{key}")
                self._set_meta("judged_rules", json.dumps(list(found)))
                self._set_meta("dayfree_rules", json.dumps(sorted(dayfree)))
                self._set_meta("pending", "[]")
                self._set_meta("pending_links", "[]")
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            self.db.execute("ROLLBACK")

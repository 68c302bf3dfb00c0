"""Writing a change all-or-nothing, one writer at a time.

**The commit is the atomic step.**  A change is first built as git objects alone — blobs, a tree
from a temporary index, a commit (``gitio.build_commit``) — while the work tree, git's index and
every ref stay as they are.  Then the branch moves to it in one ``update-ref`` that succeeds only
if the branch still points where the change was built from.  Only then are the files written
(each through a temporary file and a rename) and git's index told.  From just before the branch
moves until the work tree holds the change, a journal in the git folder (``.git/aimama/``) names
it.  A command that finds a journal left by a killed one finishes it (the branch had moved: the
files are brought to the commit) or drops it (it had not: nothing else was written), and says
which.

Without a commit (``--no-commit``, or a folder outside git) the files are the change: every new
text is first written beside its file, the journal then lists them, and they are renamed into
place; a journal left behind is finished by redoing the renames, or, if the texts were still
being written, dropped with them.

**One writer at a time.**  A changing command holds an exclusive ``flock`` on
``.git/aimama/write-lock`` from the moment it opens the records until it ends, so that what it
judged is what it commits on.  The kernel releases the lock when the process dies, however it
dies: a lock is never stale.  A second writer waits (``$AIMAMA_LOCK_WAIT`` seconds, default 10),
then gives up naming the holder.  Readers take no lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import json
import os
import signal
import socket
import time
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.store import gitio
from aimama_cli.store.yamlio import file_mode

JOURNAL = "journal.json"
LOCK = "write-lock"
TMP_SUFFIX = ".aimama-new"  # a new text waiting beside its file: .<name>.aimama-new
_HELD: dict[str, int] = {}  # lock file -> descriptor, for the locks this process holds
_FOUND: dict[str, tuple] = {}  # lock file -> its stamp (see stamp) when this process took it
notices: list[tuple[str, dict]] = []  # (message key, params) of interrupted changes settled


# --- where the lock and the journal live -------------------------------------------------------

class _Place:
    """The folder of the lock and journal, and the folder the journal's paths are relative to:
    the git folder and the top of the work tree in git; ``.aimama/`` and the records root
    elsewhere."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.tree = gitio.Worktree.find(self.root)
        if self.tree is not None:
            self.state, self.base = gitio.git_dir(self.tree) / "aimama", self.tree.top
        else:
            self.state, self.base = self.root / ".aimama", self.root
        try:
            self.state.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError("write.no_state", path=str(self.state), detail=exc.strerror) from None

    @property
    def journal(self) -> Path:
        return self.state / JOURNAL

    def rel(self, paths) -> list[str]:
        """Paths relative to the records root, named from ``base`` (../ allowed beside it)."""
        return [Path(os.path.relpath(os.path.normpath(self.root / p), self.base)).as_posix()
                for p in paths]


# --- the lock ----------------------------------------------------------------------------------

def hold(root: Path, command: str) -> None:
    """Take the repository's write lock for the rest of this command (waiting for another
    writer a few seconds), then settle a change a killed command left unfinished."""
    place = _Place(root)
    key = str(place.state / LOCK)
    if key not in _HELD:
        fd = _open_lock(key)
        deadline = time.monotonic() + float(os.environ.get("AIMAMA_LOCK_WAIT", "10"))
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                holder = _holder(fd)
                os.close(fd)
                raise UsageError("write.busy", **holder)
            time.sleep(0.05)
        _HELD[key] = fd
        _FOUND[key] = _stamp(fd)
        _say_holder(fd, command)
    _settle(place)


def stamp(root: Path) -> tuple | None:
    """What the write lock's file says of the last writer (its note, and when it was written),
    read while no writer is at work; None while one is.  Every writer rewrites the note when it
    takes the lock, so a stamp that :func:`unchanged_since` finds again when this process takes
    the lock means no change was written in between: records read before are still current."""
    try:
        key = str(_Place(root).state / LOCK)
        fd = _open_lock(key)
    except UsageError:
        return None
    try:
        return _stamp(fd) if key not in _HELD and _try_lock(fd) else None
    finally:
        os.close(fd)  # a lock taken here goes with the descriptor


def unchanged_since(root: Path, seen: tuple | None) -> bool:
    """Whether the write lock, which this process holds (:func:`hold`), was found as it was when
    ``seen`` was read: no other writer took it in between."""
    return seen is not None and _FOUND.get(str(_Place(root).state / LOCK)) == seen


def _stamp(fd: int) -> tuple:
    st = os.fstat(fd)
    return st.st_ino, st.st_mtime_ns, st.st_size, os.pread(fd, 4096, 0)


def release_all() -> None:
    """Let go of every lock this process holds (a command has ended)."""
    for fd in _HELD.values():
        try:
            os.close(fd)  # closing the descriptor releases its flock
        except OSError:
            pass
    _HELD.clear()
    _FOUND.clear()


def settle(root: Path) -> None:
    """For readers: finish or drop a change a killed writer left, if no writer is at work now."""
    if not _journal_may_exist(Path(root).resolve()):
        return
    try:
        place = _Place(root)
    except UsageError:
        return
    key = str(place.state / LOCK)
    if key in _HELD:
        _settle(place)
        return
    fd = _open_lock(key)
    try:
        if _try_lock(fd):
            _settle(place)
    finally:
        os.close(fd)


def _journal_may_exist(root: Path) -> bool:
    """Whether a journal may be waiting, found without running git (every command asks)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return (dot_git / "aimama" / JOURNAL).exists()
        if dot_git.exists():  # a linked work tree: its git folder is elsewhere
            return True
    return (root / ".aimama" / JOURNAL).exists()


def _open_lock(path: str) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UsageError("write.no_state", path=path, detail=exc.strerror) from None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _say_holder(fd: int, command: str) -> None:
    """Who holds the lock, for a writer that has to give up waiting."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    note = {"command": command, "user": user, "host": socket.gethostname(), "pid": os.getpid(),
            "since": dt.datetime.now().strftime("%H:%M:%S")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(note).encode("utf-8"), 0)


def _holder(fd: int) -> dict:
    try:
        note = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
    except (OSError, ValueError):
        note = {}
    return {k: str(note.get(k, "?")) for k in ("command", "user", "host", "pid", "since")}


# --- writing -----------------------------------------------------------------------------------

def write(root: Path, texts: dict[str, str], message: str | None, command: str) -> str | None:
    """Write ``texts`` (path under ``root`` -> text) as one change, committed with ``message``
    (None: files only).  The commit's id, or None when nothing was committed."""
    place = _Place(root)
    _ready_folders(place.root, texts)
    if message is None or place.tree is None:
        _write_files(place, texts)
        return None
    tree = place.tree
    state = gitio.in_progress(tree)
    if state:
        raise UsageError(f"git.in_progress.{state}")
    ref = gitio.head_ref(tree)
    if ref is None:
        raise UsageError("git.detached")
    old = gitio.ref_commit(tree, ref)
    files = dict(zip(place.rel(texts), texts.values()))
    new = gitio.build_commit(tree, old, files, message)
    _crash_point("built")
    if new is None:  # HEAD holds it already: only the work tree is behind
        _write_files(place, texts)
        return None
    _journal(place, {"mode": "commit", "phase": "ref", "command": command, "ref": ref,
                     "old": old, "new": new, "paths": sorted(files)})
    _crash_point("journaled")
    try:
        gitio.move_ref(tree, ref, new, old, message)
    except UsageError:
        place.journal.unlink()
        raise
    _crash_point("moved")
    try:
        _journal(place, {**_read_journal(place), "phase": "files"})
        for n, (path, text) in enumerate(files.items()):
            _put(place.base / path, text)
            _crash_point("wrote-one" if n == 0 else "")
        _journal(place, {**_read_journal(place), "phase": "stage"})
        gitio.stage(tree, sorted(files))
        _crash_point("staged")
    except (OSError, gitio.GitError) as exc:
        raise UsageError("write.unfinished", commit=new[:10],
                         detail=getattr(exc, "strerror", None) or str(exc)) from None
    place.journal.unlink()
    gitio.post_commit(tree)
    return new


def _crash_point(name: str) -> None:
    """Die here, as a kill -9 would, when ``$AIMAMA_CRASH_AT`` names this step: how the tests
    and benchmarks/chaos.py prove that every step of a write can be interrupted."""
    if name and os.environ.get("AIMAMA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _ready_folders(root: Path, texts) -> None:
    """Every folder a file goes into exists and can be written, before anything is: a refusal
    then leaves the repository as it was."""
    for folder in sorted({os.path.dirname(os.path.normpath(root / p)) for p in texts}):
        link = _link_on_the_way(root, folder)
        if link:  # git keeps no file beyond a link: the record would leave the repository
            raise UsageError("write.through_link", path=link)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise UsageError("write.no_folder", path=folder, detail=exc.strerror) from None
        if not os.access(folder, os.W_OK):
            raise UsageError("write.no_folder", path=folder, detail=os.strerror(13))


def _link_on_the_way(root: Path, folder: str) -> str | None:
    """The first folder from the repository down to ``folder`` that is a symbolic link."""
    here = Path(os.path.commonpath([root, folder]))  # the root, or above it for ../.github
    for part in Path(os.path.relpath(folder, here)).parts:
        here = here / part
        if here.is_symlink():
            return str(here)
    return None


def _write_files(place: _Place, texts: dict[str, str]) -> None:
    """Every text beside its file first, then the renames: a kill in between is finished (or
    dropped, if the texts were not all written) by the next command."""
    files = dict(zip(place.rel(texts), texts.values()))
    _journal(place, {"mode": "files", "phase": "prepare", "paths": sorted(files)})
    for path, text in files.items():
        _stage_text(place.base / path, text)
    _crash_point("prepared")
    _journal(place, {"mode": "files", "phase": "rename", "paths": sorted(files)})
    for n, path in enumerate(files):
        _rename(place.base / path)
        _crash_point("renamed-one" if n == 0 else "")
    _sync_folders(place.base, files)
    place.journal.unlink()


def _put(path: Path, text: str) -> None:
    _stage_text(path, text)
    _rename(path)
    _sync_folders(path.parent, [path.name])


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_SUFFIX}")


def _stage_text(path: Path, text: str) -> None:
    tmp = _tmp(path)
    mode = file_mode(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, mode)  # O_CREAT's mode is masked by the umask; an existing file keeps its own


def _rename(path: Path) -> None:
    tmp = _tmp(path)
    if tmp.exists():
        os.replace(tmp, path)


def _sync_folders(base: Path, paths) -> None:
    for folder in {os.path.dirname(os.path.normpath(base / p)) for p in paths}:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _journal(place: _Place, entry: dict) -> None:
    tmp = place.journal.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, place.journal)
    _sync_folders(place.state, [JOURNAL])


def _read_journal(place: _Place) -> dict:
    with open(place.journal, encoding="utf-8") as handle:
        return json.load(handle)


# --- settling what a killed command left -------------------------------------------------------

def _settle(place: _Place) -> None:
    """Finish or drop the change the journal names (the caller holds the write lock)."""
    if not place.journal.exists():
        return
    try:
        entry = _read_journal(place)
        paths = list(entry["paths"])
    except (OSError, ValueError, KeyError, TypeError):
        place.journal.unlink()  # torn before the change began: nothing was written under it
        return
    if entry.get("mode") == "commit":
        outcome = _settle_commit(place, entry, paths)
    elif entry.get("phase") == "rename":
        for path in paths:
            _rename(place.base / path)
        outcome = "finished"
    else:
        outcome = "dropped"
    for path in paths:  # texts staged beside their files and never renamed
        _tmp(place.base / path).unlink(missing_ok=True)
    place.journal.unlink()
    notices.append((f"write.settled.{outcome}", {"command": entry.get("command") or "aimama",
                                                 "count": len(paths),
                                                 "commit": (entry.get("new") or "")[:10]}))


def _settle_commit(place: _Place, entry: dict, paths: list[str]) -> str:
    tree = place.tree
    if tree is None:
        return "left"
    folder = gitio.git_dir(tree)
    since = place.journal.stat().st_mtime - 1
    # git's own lock files, left by a git process killed with us, go with our journal
    for lock in (folder / "index.lock", folder / (entry["ref"] + ".lock")):
        if lock.exists() and lock.stat().st_mtime >= since:
            lock.unlink()
    current = gitio.ref_commit(tree, entry["ref"])
    if current == entry["new"]:
        gitio.restore(tree, entry["new"], paths)
        return "finished"
    if current == entry.get("old"):
        return "dropped"
    return "left"

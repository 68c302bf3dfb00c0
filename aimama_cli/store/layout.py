"""Where a records repository is, which kind of record each of its files holds, and how a
file there is read without trusting it: never through a symbolic link, never from a FIFO or a
device (a link to /dev/zero would never end), never more than a set number of bytes."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from aimama_cli.core.errors import UsageError

CONFIG = "aimama.yaml"
RECORDS = "records"
# folder under records/ -> kind; those in YEAR_FOLDERS sit one level deeper, in a year folder
FOLDERS = {
    "programmes": "programme",
    "teams": "team",
    "volunteers": "volunteer",
    "children": "child",
    "pairings": "pairing",
    "team_pairings": "team_pairing",
    "pledges": "pledge",
    "activities": "activity",
    "cases": "case",
    "team_activities": "team_activity",
    "trainings": "training",
    "support": "support",
}
FOLDER_OF = {kind: folder for folder, kind in FOLDERS.items()}  # kind -> its folder
# kinds in a year folder without a `year` field: the date field whose year names the folder
DATED_BY = {"team_activity": "date", "training": "date", "support": "pledged_on"}
SINGLETONS = {"regions.yaml": "regions", "coordinators.yaml": "coordinators"}
YEAR_FOLDERS = {"pledges", "activities", "team_activities", "trainings", "support"}
IGNORED = {"README.md", ".gitkeep", ".gitattributes", ".gitignore"}
_YEAR = re.compile(r"^(19|20|21)[0-9]{2}$")
MAX_FILE_BYTES = 4 * 1024 * 1024  # aimama.yaml `limits.max_file_bytes`: a record is a few kB
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_PATH = getattr(os, "O_PATH", os.O_RDONLY)
_READ = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | getattr(os, "O_BINARY", 0)  # a folder passed through needs no right to list it
_BY_DIR_FD = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and bool(_NOFOLLOW)


def find_root(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """``--root``, else ``$AIMAMA_ROOT``, else the nearest ancestor holding aimama.yaml or records/."""
    chosen = explicit or os.environ.get("AIMAMA_ROOT")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not root.is_dir():
            raise UsageError("root.missing", path=str(root))
        return root
    here = (cwd or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG).is_file() or (candidate / RECORDS).is_dir():
            return candidate
    raise UsageError("root.not_found", path=str(here))


def classify(relpath: str) -> tuple[str | None, str | None]:
    """(kind, None) for a record file, (None, reason) for a file in the wrong place.

    ``relpath`` is relative to the root, with forward slashes.
    """
    if relpath == CONFIG:
        return "config", None
    parts = relpath.split("/")
    if parts[0] != RECORDS or len(parts) < 2:
        return None, "outside"
    name = parts[-1]
    if not name.endswith(".yaml"):
        return None, "extension"
    if len(parts) == 2:
        return (SINGLETONS[name], None) if name in SINGLETONS else (None, "place")
    folder = parts[1]
    kind = FOLDERS.get(folder)
    depth = 4 if folder in YEAR_FOLDERS else 3
    if kind is None or len(parts) != depth:
        return None, "place"
    if depth == 4 and not _YEAR.match(parts[2]):
        return None, "year"
    return kind, None


def belongs(relpath: str) -> bool:
    """Whether a path is one :func:`scan` would list (git lists .gitkeep files too)."""
    if relpath == CONFIG:
        return True
    parts = relpath.split("/")
    return (parts[0] == RECORDS and len(parts) > 1 and parts[-1] not in IGNORED
            and not any(p.startswith(".") for p in parts))


def stem(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1].removesuffix(".yaml")


def record_year(kind: str, data: dict):
    """The year a record of a year folder belongs to: its ``year``, else the year of its
    :data:`DATED_BY` date (None when neither can be read)."""
    if kind not in DATED_BY:
        return data.get("year")
    day = data.get(DATED_BY[kind])
    return int(day[:4]) if isinstance(day, str) and _YEAR.match(day[:4]) else None


def year_folder(relpath: str) -> int | None:
    parts = relpath.split("/")
    return int(parts[2]) if len(parts) == 4 and _YEAR.match(parts[2]) else None


def scan(root: Path, folders: dict | None = None, start: str = RECORDS, stat: bool = True):
    """Yield (relpath, lstat or None) for every file that belongs to the records: aimama.yaml
    and everything under records/ except hidden files and a few well-known companions.  What
    is not a regular file is listed too (a link, a FIFO, a folder named like a record, a folder
    that cannot be read), for the checks to report: see :func:`list_folder`.

    ``folders``, when given, receives {folder relpath: mtime_ns} taken before each listing, so
    that a file added while we list shows as a change next time.
    """
    if start == RECORDS and os.path.lexists(root / CONFIG):
        yield CONFIG, os.lstat(root / CONFIG) if stat else None
    if not os.path.isdir(root / start) or os.path.islink(root / start):
        return
    stack = [start]
    while stack:
        rel = stack.pop()
        files, subfolders = list_folder(root, rel, folders)
        stack.extend(subfolders)
        for name in files:
            try:
                yield name, os.lstat(root / name) if stat else None
            except OSError:  # gone while we listed
                continue


def list_folder(root: Path, rel: str, folders: dict | None = None) -> tuple[list, list]:
    """The files and the subfolders directly in folder ``rel`` (relative paths).  Files are
    whatever is not a folder, links included (never followed), and folders named like a record
    (``C….yaml/``); a folder that cannot be listed is itself a file here, so that it is
    reported rather than silently left out, and its mtime is not kept, so it is listed again."""
    files, subfolders = [], []
    try:
        if folders is not None:
            folders[rel] = os.stat(root / rel).st_mtime_ns
        names = os.listdir(root / rel)  # in C: a folder of 100,000 children in ~20 ms
    except FileNotFoundError:
        return files, subfolders
    except OSError:
        if folders is not None:
            folders[rel] = -1
        return [rel] if rel != RECORDS else [], subfolders
    for name in names:
        if name.startswith(".") or name in IGNORED:
            continue
        # a record's name is a file's even where a folder bears it; only other names are looked at
        if not name.endswith(".yaml") and _is_folder(root / rel / name):
            subfolders.append(f"{rel}/{name}")
        else:
            files.append(f"{rel}/{name}")
    return files, subfolders


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


# --- reading a file without trusting it ---------------------------------------------------------

class Unread(Exception):
    """A path under the records that was not read, and why: a problem code and its
    parameters (AM111 not a regular file, AM112 too large, AM113 a folder that cannot be read)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def what_is(mode: int) -> str | None:
    """What a file that is not a regular one is; None for a regular file."""
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link"),
                       (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "special file"


def read_file(root: Path, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``root/relpath``, at most ``limit`` of them.

    :class:`Unread` for anything else, which is never opened for reading: a symbolic link
    anywhere under ``root`` (a record that is a link to /dev/zero, a folder linked out of the
    repository), a FIFO, a socket, a device, a folder; and for a file larger than ``limit``.
    ``OSError`` when it cannot be read (FileNotFoundError: it has gone)."""
    with Reader(root, limit) as reader:
        return reader.read(relpath)


class Reader:
    """:func:`read_file` for many files under ``root``, each folder on the way opened once (never
    through a link) and kept open until the reader is closed: a report quoting the lines of
    30,000 files opened every folder of each path again, four opens a file."""

    KEEP = 64  # folders kept open at most: a pull request of 10,000 folders must not run out of descriptors

    def __init__(self, root: Path, limit: int = MAX_FILE_BYTES):
        self.root, self.limit = root, limit
        self.folders: dict[str, int] = {}
        self.stat: os.stat_result | None = None  # of the file last read, taken as it was opened

    def read(self, relpath: str) -> bytes:
        self.stat = None
        if not _BY_DIR_FD:  # Windows: no dir_fd; an lstat first, then the fstat of what was opened
            raw, self.stat = _read_checked(self.root / relpath, None, self.limit)
            return raw
        folder, _, name = relpath.rpartition("/")
        fd = self.folders.get(folder)
        if fd is None:
            if len(self.folders) >= self.KEEP:
                self.__exit__()
            fd = self.folders[folder] = _open_folder(self.root, folder)
        raw, self.stat = _read_checked(name, fd, self.limit)
        return raw

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *_exc) -> None:
        for fd in self.folders.values():
            os.close(fd)
        self.folders.clear()


def _open_folder(root: Path, folder: str) -> int:
    """A descriptor of the folder ``root/folder``, opened folder by folder with no link followed
    on the way (:class:`Unread` for a link or what is not a folder)."""
    fd = os.open(root, _PATH | _DIRECTORY | _CLOEXEC)
    parts = folder.split("/") if folder else []
    try:
        for i, part in enumerate(parts):
            try:
                inner = os.open(part, _PATH | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                what = what_is(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
                raise Unread("AM111", what=f"{what}: {'/'.join(parts[:i + 1])}") from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_checked(name, dir_fd: int | None, limit: int) -> tuple[bytes, os.stat_result]:
    st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    what = what_is(st.st_mode)
    if what == "folder":
        _refuse_folder(name, dir_fd)
    if what is not None:
        if what == "symbolic link":
            what += f" → {os.readlink(name, dir_fd=dir_fd)[:200]}"
        raise Unread("AM111", what=what)
    if st.st_size > limit:
        raise Unread("AM112", size=st.st_size, limit=limit)
    fd = os.open(name, _READ, dir_fd=dir_fd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped since the lstat
            raise Unread("AM111", what=what_is(st.st_mode))
        raw = os.read(fd, min(st.st_size, limit) + 1)  # one read, unless it grows meanwhile
        while len(raw) <= limit:
            more = os.read(fd, min(1 << 16, limit + 1 - len(raw)))
            if not more:
                break
            raw += more
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise Unread("AM112", size=len(raw), limit=limit)
    return raw, st


def _refuse_folder(name, dir_fd: int | None):
    """A folder in the place of a file: named like a record, or one that cannot be listed."""
    try:
        os.close(os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=dir_fd))
    except PermissionError as exc:  # opening a folder for reading needs the right to list it
        raise Unread("AM113", detail=exc.strerror or str(exc)) from None
    if not os.fspath(name).endswith(".yaml"):  # listed as unreadable once, a folder again now
        raise FileNotFoundError(errno.ENOENT, "a folder, listed as such", os.fspath(name))
    raise Unread("AM111", what="folder")

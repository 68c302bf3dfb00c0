"""A file-system monitor fed by Linux's inotify (``aimama watch``): which files changed.

Every command that reads the records asks git which tracked files changed, and git answers by
an lstat of every file (0.6 s at a province's 490,000 files), then lists the folders whose
mtime moved (0.1 s for the folder of 100,000 children).  With the watcher running, the record
index asks it instead (``store/watching.py``): the paths changed since the token it was given
last time.  Git's own file-system monitor is not used: its daemon does not exist on Linux
(git 2.39), and with a monitor hook git 2.39's ``diff-index`` reads an uninitialised stat and
names unchanged files as deleted (pre-commit issue 2795; seen here too).

An answer that misses a change would be a change no command sees.  So every doubt is answered
"anything may have changed" — and the index then asks git, as without a watcher:

* a token of another life of the watcher (it was restarted), or none;
* the kernel's event queue overflowing (events were lost);
* more changed paths than the watcher keeps (:data:`KEEP`);
* a folder that could not be watched (the watches are all made again).

Before it answers, the watcher writes a cookie file and reads its events until the cookie's
own arrives: every change made before the question is then in the answer (Watchman and git's
own daemon do the same).  A folder created (or moved in) is watched and listed, and every file
in it named; a folder removed or moved away is named with a trailing ``/``.

The watcher lives in ``<git dir>/aimama-watch/``: its socket (in a folder only its owner may
enter; the client also checks that the answer comes from a process of the same user), its lock
(one watcher a repository) and its cookies.  It stops after :data:`IDLE_SECONDS` without a
question, when asked to, or when its work tree goes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import secrets
import select
import signal
import socket
import struct
import sys
import time
from pathlib import Path

WATCH_DIR = "aimama-watch"  # under the git folder
# not watched: git's own folder, and aimama's index (written all through a command: a flood of
# events for nothing, a cold index's build most of all)
UNWATCHED = {b".git", b".aimama"}
SOCKET, LOCK, COOKIES = "socket", "lock", "cookies"
FAILED = "failed"  # why the last watcher could not watch (the kernel's limit of watches, …)
KEEP = 200_000  # changed paths remembered; beyond: every older token is answered "/"
IDLE_SECONDS = 12 * 3600
COOKIE_SECONDS = 5.0  # a cookie not seen by then: the answer is "/"

# inotify(7)
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR = 0x4000, 0x8000, 0x40000000
IN_ONLYDIR, IN_DONT_FOLLOW = 0x01000000, 0x02000000
MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
EVENT = struct.Struct("iIII")


class WatchFailed(OSError):
    """A folder could not be watched (the kernel's limit of watches, a folder gone meanwhile)."""


class Inotify:
    """One inotify instance, through libc (the standard library has no binding)."""

    def __init__(self):
        self.libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")

    def add(self, path: bytes) -> int:
        wd = self.libc.inotify_add_watch(self.fd, path, MASK)
        if wd < 0:
            raise WatchFailed(ctypes.get_errno(), os.strerror(ctypes.get_errno()), path)
        return wd

    def remove(self, wd: int) -> None:
        self.libc.inotify_rm_watch(self.fd, wd)

    def events(self):
        """(wd, mask, name) of every event queued now."""
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return
        at = 0
        while at < len(data):
            wd, mask, _cookie, length = EVENT.unpack_from(data, at)
            at += EVENT.size
            yield wd, mask, data[at:at + length].rstrip(b"\0")
            at += length

    def close(self) -> None:
        os.close(self.fd)


class Changes:
    """The paths changed in a work tree since each token this watcher gave."""

    def __init__(self, top: Path, cookies: Path):
        self.top, self.cookies = os.fsencode(top), os.fsencode(cookies)
        self.life = f"{os.getpid()}-{secrets.token_hex(6)}"
        self.seq = 0
        self.horizon = 0  # a token older than this is answered "/"
        self.changed: dict[bytes, int] = {}  # path (relative to top) -> seq of its last change
        self.seen_cookies: set[bytes] = set()
        self.gone = False  # the work tree itself was removed or moved
        self._watch_all()

    # --- the watches ---------------------------------------------------------------------------

    def _watch_all(self) -> None:
        """Watch every folder of the work tree but :data:`UNWATCHED`, and the cookies' folder."""
        self.inotify = Inotify()
        self.paths: dict[int, bytes] = {}  # wd -> folder relative to top (b"" for top)
        self.cookie_wd = self.inotify.add(self.cookies)
        self._watch_tree(b"")

    def _watch_tree(self, folder: bytes) -> list[bytes]:
        """Watch ``folder`` and every folder under it; return the files found in them."""
        files, pending = [], [folder]
        while pending:
            rel = pending.pop()
            full = os.path.join(self.top, rel) if rel else self.top
            self.paths[self.inotify.add(full)] = rel  # watched before listed: nothing slips
            try:
                entries = list(os.scandir(full))
            except OSError as exc:
                raise WatchFailed(exc.errno, str(exc), full) from exc
            for entry in entries:
                path = os.path.join(rel, entry.name) if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in UNWATCHED:
                        pending.append(path)
                else:
                    files.append(path)
        return files

    def restart(self) -> None:
        """Events were lost or a watch failed: forget every token given, watch everything anew."""
        self.inotify.close()
        self.horizon = self.seq = self.seq + 1
        self.changed.clear()
        self._watch_all()

    # --- events --------------------------------------------------------------------------------

    def _note(self, path: bytes) -> None:
        self.seq += 1
        self.changed[path] = self.seq

    def drain(self) -> None:
        """Take every event queued now."""
        try:
            self._take(list(self.inotify.events()))
        except WatchFailed:
            self.restart()
        if len(self.changed) > KEEP:  # every token given is forgotten; the next one is good
            self.horizon = self.seq = self.seq + 1
            self.changed.clear()

    def _take(self, events) -> None:
        for wd, mask, name in events:
            if mask & IN_Q_OVERFLOW:
                raise WatchFailed(errno.ENOSPC, "inotify queue overflow")
            if wd == self.cookie_wd:
                if mask & (IN_CREATE | IN_MOVED_TO):
                    self.seen_cookies.add(name)
                continue
            folder = self.paths.get(wd)
            if folder is None:
                continue  # a watch removed, its last events
            if mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
                if folder == b"" and mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                    self.gone = True
                if mask & IN_IGNORED:
                    del self.paths[wd]
                continue
            if name in UNWATCHED:
                continue
            path = os.path.join(folder, name) if folder else name
            if mask & IN_ISDIR:
                self._folder_event(mask, path)
            self._note(path)

    def _folder_event(self, mask: int, path: bytes) -> None:
        if mask & (IN_CREATE | IN_MOVED_TO):
            for file in self._watch_tree(path):
                self._note(file)
        if mask & (IN_MOVED_FROM | IN_DELETE):
            prefix = path + b"/"
            for wd, folder in list(self.paths.items()):  # its watches now name the wrong paths
                if folder == path or folder.startswith(prefix):
                    self.inotify.remove(wd)
                    del self.paths[wd]
        self._note(path + b"/")  # git looks again at everything under it

    # --- answers -------------------------------------------------------------------------------

    def token(self) -> bytes:
        return f"aimama:{self.life}:{self.seq}".encode()

    def since(self, token: bytes) -> list[bytes] | None:
        """The paths changed since ``token``; None when that cannot be told (answer "/")."""
        parts = token.split(b":")
        if len(parts) != 3 or parts[0] != b"aimama" or parts[1] != self.life.encode():
            return None
        try:
            seq = int(parts[2])
        except ValueError:
            return None
        if seq < self.horizon or seq > self.seq:
            return None
        return sorted(p for p, s in self.changed.items() if s > seq)

    def synced(self, number: int) -> bool:
        """Write cookie ``number`` and take events until its own: every change made before is
        then taken.  False when it did not come in time."""
        name = f"cookie-{number}".encode()
        path = os.path.join(self.cookies, name)
        with open(path, "wb"):
            pass
        deadline = time.monotonic() + COOKIE_SECONDS
        try:
            while name not in self.seen_cookies:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                select.select([self.inotify.fd], [], [], left)
                self.drain()
            return True
        finally:
            self.seen_cookies.discard(name)
            os.unlink(path)

    def answer(self, token: bytes, number: int) -> bytes:
        """The new token, then the paths changed since ``token`` (or "/": cannot tell), each
        followed by NUL."""
        changed = self.since(token) if self.synced(number) else None
        if self.gone:
            changed = None
        listed = [b"/"] if changed is None else changed
        return b"".join(p + b"\0" for p in [self.token(), *listed])


def serve(top: Path, home: Path) -> None:
    """Watch the work tree ``top`` and answer on ``home``/socket until idle, stopped or gone."""
    home.mkdir(mode=0o700, exist_ok=True)
    lock = open(home / LOCK, "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another watcher serves this repository
    cookies = home / COOKIES
    cookies.mkdir(mode=0o700, exist_ok=True)
    for stale in cookies.iterdir():
        stale.unlink()
    changes = Changes(top, cookies)
    os.chdir(home)  # a socket's path is limited to ~100 bytes: it is bound by its name here
    with contextlib.suppress(FileNotFoundError):
        os.unlink(SOCKET)  # a dead watcher's: the lock is ours
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(SOCKET)
    server.listen(8)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(FAILED)  # watching now
    (home / "pid").write_text(f"{os.getpid()}\n")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    last, asked = time.monotonic(), 0
    while not stopping and not changes.gone and time.monotonic() - last < IDLE_SECONDS:
        try:
            ready, _, _ = select.select([server, changes.inotify.fd], [], [], 60)
        except InterruptedError:
            continue
        if changes.inotify.fd in ready:
            changes.drain()
        if server in ready:
            asked += 1
            last = time.monotonic()
            if _serve_one(server, changes, asked) == b"stop":
                break
    with contextlib.suppress(FileNotFoundError):
        os.unlink(SOCKET)  # before the lock goes with this process: no client waits on a dead socket
    server.close()


def _serve_one(server: socket.socket, changes: Changes, number: int) -> bytes:
    client, _ = server.accept()
    with client:
        client.settimeout(2)
        try:
            request = _read_line(client)
            if request == b"stop":
                client.sendall(b"stopping\n")
                return request
            if request == b"status":
                client.sendall(f"{os.getpid()} {len(changes.paths)} {changes.life}\n".encode())
                return request
            client.sendall(changes.answer(request, number))
        except OSError:
            pass
        return b""


def _read_line(client: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        part = client.recv(4096)
        if not part:
            break
        data += part
    return data.rstrip(b"\n")


def main(top: Path, home: Path) -> None:
    """:func:`serve`, leaving why it failed in ``home``/failed for ``aimama watch status``, and
    so that commands do not start a watcher again at once (store/watching.py)."""
    try:
        serve(top, home)
    except Exception as exc:  # noqa: BLE001 - a process of its own: its reason is all it can leave
        (home / FAILED).write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
        raise


if __name__ == "__main__":  # started by `aimama watch start` or a command finding it gone: TOP HOME
    main(Path(sys.argv[1]), Path(sys.argv[2]))

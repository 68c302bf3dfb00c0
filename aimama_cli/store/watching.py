"""Whether a repository is watched (``store/watcher.py``), and asking the watcher what changed.

``start`` starts the watcher and leaves a mark (``aimama-watch/on`` in the git folder); from
then on the record index asks it which files changed instead of having git stat them all.
When the mark is there and no watcher answers (the computer was restarted), the next command
starts one and, this once, asks git.  ``stop`` stops it and removes the mark.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.store import watcher
from aimama_cli.store.gitio import Worktree, git_dir, worktree

ON = "on"  # the mark: this repository is watched
# file systems whose changes made elsewhere (another computer) inotify never hears of
REMOTE = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "fuse.sshfs", "davfs",
          "fuse.rclone")
START_SECONDS = 120.0  # a province's folders are watched in well under a second; a slow disk
ANSWER_SECONDS = 10.0  # the watcher waits for its cookie 5 s at most
RETRY_SECONDS = 600.0  # after a watcher failed, commands start another only this much later


@dataclass
class Status:
    on: bool  # the repository is marked as watched
    pid: int | None  # the watcher running, or None
    folders: int  # folders it watches
    failed: str = ""  # why the last watcher stopped, when it failed


def home(tree: Worktree) -> Path:
    """The watcher's folder, in the git folder (asked of git only when .git is not a folder:
    a linked work tree or a submodule; every command asks)."""
    dot = tree.top / ".git"
    return (dot if dot.is_dir() else git_dir(tree)) / watcher.WATCH_DIR


def watched(tree: Worktree) -> bool:
    """Whether the repository is marked as watched (its watcher may still have to be started)."""
    return (home(tree) / ON).exists()


def ask(folder: Path, request: bytes) -> bytes | None:
    """The watcher's whole answer to ``request``, or None (none listens, it is another user's,
    or it did not answer in time)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(ANSWER_SECONDS)
        try:
            path = os.fsencode(folder / watcher.SOCKET)
            if len(path) < 100:
                sock.connect(path)
            else:  # too long for a socket's address: named relative to its folder
                with contextlib.chdir(folder):
                    sock.connect(watcher.SOCKET)
            peer = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
            if peer[1] != os.getuid():
                return None
            sock.sendall(request + b"\n")
            chunks = []
            while chunk := sock.recv(1 << 16):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return None


def changed_since(tree: Worktree, token: str | None) -> tuple[str, list[str] | None] | None:
    """(a new token, the paths under the top of ``tree`` changed since ``token``) as the watcher
    tells; the paths are None when it cannot tell (the caller looks at everything, then keeps
    the new token).  None when the repository is not watched, or its watcher did not answer
    (started then, for the next command)."""
    if not watched(tree):
        return None
    folder = home(tree)
    answer = ask(folder, (token or "none").encode("utf-8", "surrogateescape"))
    if answer is None or not answer.endswith(b"\0") or not answer.startswith(b"aimama:"):
        _spawn(tree.top, folder)
        return None
    new, *paths = answer[:-1].split(b"\0")
    return new.decode(), (None if paths == [b"/"] else [os.fsdecode(p) for p in paths])


def _spawn(top: Path, folder: Path) -> None:
    """Start a watcher; one already running keeps its lock and the new one leaves at once.
    It is started by a shell that leaves at once: not a child of this process, which may live
    on (a test, a batch) and would otherwise keep it as a zombie once it stops."""
    folder.mkdir(mode=0o700, exist_ok=True)
    with contextlib.suppress(OSError):
        if time.time() - (folder / watcher.FAILED).stat().st_mtime < RETRY_SECONDS:
            return  # it would fail again (the kernel's limit of watches): git tells meanwhile
    subprocess.run(["/bin/sh", "-c", '"$@" &', "sh", sys.executable, "-m", "aimama_cli.store.watcher",
                    str(top), str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True, check=False)


def status(root: Path) -> Status:
    folder = home(worktree(root))
    answer = ask(folder, b"status") if folder.is_dir() else None
    fields = answer.split() if answer else []
    pid, folders = (int(fields[0]), int(fields[1])) if len(fields) >= 2 else (None, 0)
    try:
        failed = (folder / watcher.FAILED).read_text(encoding="utf-8").strip() if pid is None else ""
    except OSError:
        failed = ""
    return Status((folder / ON).exists(), pid, folders, failed)


def start(root: Path) -> Status:
    """Watch the repository of ``root`` from now on."""
    if not sys.platform.startswith("linux"):
        raise UsageError("watch.unsupported", platform=sys.platform)
    tree = worktree(root)
    kind = file_system(tree.top)
    if kind in REMOTE:
        raise UsageError("watch.remote", fs=kind)
    folder = home(tree)
    if status(root).pid is None:
        with contextlib.suppress(FileNotFoundError):
            (folder / watcher.FAILED).unlink()  # asked to: try again now
        _spawn(tree.top, folder)
        deadline = time.monotonic() + START_SECONDS
        while ask(folder, b"status") is None:
            failed = status(root).failed
            if failed:
                raise UsageError("watch.failed", detail=failed)
            if time.monotonic() > deadline:
                raise UsageError("watch.not_started", seconds=int(START_SECONDS))
            time.sleep(0.05)
    (folder / ON).touch()
    return status(root)


def file_system(path: Path) -> str:
    """The type of the file system ``path`` is on, as /proc/self/mountinfo says ("" unknown)."""
    best, kind = "", ""
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    target = str(Path(path).resolve())
    for line in lines:
        fields = line.split(" ")
        if " - " not in line or len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, line.split(" - ", 1)[1].split(" ")[0]
    return kind


def stop(root: Path) -> Status:
    """Stop watching: the index asks git again, as before ``start``."""
    folder = home(worktree(root))
    with contextlib.suppress(FileNotFoundError):
        (folder / ON).unlink()  # first: no command starts it again meanwhile
    if folder.is_dir():
        ask(folder, b"stop")
    return status(root)

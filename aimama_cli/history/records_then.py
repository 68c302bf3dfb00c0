"""The records as they were on a past day, from git history: what a report ``--as-of`` an
earlier day ``--from-history`` counts (a child registered since, or a record corrected since,
was not yet so then).  Without it a report judges the records as they are now on the day, by
their dates: corrections made since count.

The records of a day are those of the last commit on the first-parent line whose commit date
falls on or before that day (the end of it, in local time); for a day before the history of the
records begins, those of the first commit that held any (records are often brought in with their
past dates: their dates still decide).  When that commit is the newest, the working tree serves, uncommitted
changes and all.  A past tree is unpacked
with ``git archive`` into the clone's own folder in its git directory (``.git/aimama/past``:
never committed, gone with the clone; the system's temporary directory, one private folder a
repository, when the git directory cannot be written), and indexed there; asking for the same
commit again costs nothing more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.rules.checker import open_index
from aimama_cli.store import gitio
from aimama_cli.store.gitio import GitError, Worktree, run
from aimama_cli.store.index import Index

MARK = ".commit"


@dataclass(frozen=True)
class Commit:
    id: str
    date: str  # ISO, as git gives it

    def as_dict(self) -> dict:
        return {"commit": self.id, "date": self.date}


def first_parent_line(tree: Worktree) -> list[Commit]:
    """The commits of HEAD's first-parent line, newest first, down to the first that changed
    the records (the history of the records begins there).  A commit changed them when its
    records folder is another tree than its first parent's: one ``cat-file`` for the whole
    line, where ``git log -- records`` would diff every commit's 100,000-entry folders."""
    try:
        out = run(tree.top, "log", "--first-parent", "--format=%H %cI", "HEAD")
    except GitError:
        return []  # no commit yet
    line = [Commit(*row.split(" ", 1)) for row in out.splitlines() if row]
    found = run(tree.top, "cat-file", "--batch-check=%(objectname)",
                stdin="".join(f"{c.id}:{tree.prefix}records\n" for c in line)).splitlines()
    folders = [row if not row.endswith(" missing") else None for row in found] + [None]  # before the first
    changed = [n for n in range(len(line)) if folders[n] != folders[n + 1]]
    return line[:changed[-1] + 1] if changed else line


def commit_on(line: list[Commit], day: dt.date) -> Commit | None:
    """The last commit of ``line`` made on or before ``day``."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone()
    for commit in line:
        if dt.datetime.fromisoformat(commit.date) < end:
            return commit
    return None


def index_on(root: Path, day: dt.date) -> tuple[Index, Commit | None]:
    """The index of the records as they were on ``day``, and the commit they come from (None:
    the working tree).  A usage error when the repository has no commit that old."""
    tree = Worktree.find(root)
    line = first_parent_line(tree) if tree else []
    commit = (commit_on(line, day) or line[-1]) if line else None
    if commit is None or commit == line[0]:
        return open_index(root), None
    return open_index(_unpacked(tree, commit.id)), commit


def _unpacked(tree: Worktree, commit: str) -> Path:
    """A folder holding the records of ``commit``, made once."""
    folder = _past_folder(tree)
    mark = folder / MARK
    if mark.is_file() and mark.read_text() == commit:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    spec = f"{commit}:{tree.prefix}" if tree.prefix else commit
    wanted = [p for p in ("records", "aimama.yaml")
              if gitio.succeeds(tree.top, "cat-file", "-e", f"{commit}:{tree.prefix}{p}")]
    if wanted:
        archive = gitio.output(tree.top, "archive", "--format=tar", spec, *wanted)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    mark.write_text(commit)
    return folder


def _past_folder(tree: Worktree) -> Path:
    """Where the past records of ``tree`` are unpacked: its clone's git directory, which no
    one else writes and nothing leaves behind; else a private folder of the temporary directory."""
    sub = tree.prefix.strip("/").replace("/", "-")  # a folder for each records root of the clone
    try:
        base = gitio.git_dir(tree) / "aimama"
        base.mkdir(exist_ok=True)
        if os.access(base, os.W_OK):
            return base / (f"past-{sub}" if sub else "past")
    except (OSError, GitError):
        pass
    key = hashlib.sha1(str(tree.root).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"aimama-past-{os.getuid() if hasattr(os, 'getuid') else 0}-{key}"

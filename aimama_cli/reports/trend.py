"""Paired children month by month, from git history: for the end of each month, the records as
committed then (records_then.commit_on) and the children active and paired on that day.

Only the blobs of children and pairings are read: those that are still current come from the
index, older ones from ``git cat-file`` (each blob parsed once, however many months hold it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass

import yaml

from aimama_cli.history.records_then import Commit, commit_on, first_parent_line
from aimama_cli.reports.sheets import rate
from aimama_cli.store.gitio import Blobs, GitError, Worktree, run
from aimama_cli.store.index import Index
from aimama_cli.store.index_file import meta
from aimama_cli.store.month_cache import MonthCache

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    Loader = yaml.SafeLoader


@dataclass
class Month:
    day: dt.date
    commit: Commit | None
    children: int
    paired: int

    def as_dict(self) -> dict:
        return {"month": self.day.isoformat()[:7], "day": self.day.isoformat(),
                "commit": self.commit and self.commit.id, "children": self.children,
                "paired": self.paired, "coverage": rate(self.paired, self.children)}


def month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` months up to ``as_of``'s, the last one ``as_of``."""
    days = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        days.append(min(as_of, dt.date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days[::-1]


def paired_by_month(index: Index, as_of: dt.date, months: int = 12, region: str = "",
                    cache: bool = True) -> list[Month]:
    """The months from the first whose end the records' history reaches (the first commit that
    changed them), and always ``as_of``'s (from the records as they are when no commit is that old).
    Each month's figures are kept in the index (``cache=False``: counted again from git)."""
    tree = Worktree.find(index.root)
    line = first_parent_line(tree) if tree else []
    kept = MonthCache.open(index.db, meta(index.db, "generation") or "0") if cache and index.use_cache else None
    facts = None
    found = []
    try:
        for day in month_ends(as_of, months):
            commit = commit_on(line, day) if line else None
            if commit is None and day != as_of:
                continue  # before the records' history begins: no figure, not the first one again
            now = commit is None or commit == line[0]
            shown = None if commit == (line[0] if line else None) else commit
            key = kept and kept.key(None if now else commit.id, day.isoformat(), region)
            counted = kept and kept.get(key)
            if counted:
                found.append(Month(day, shown, *counted))
                continue
            facts = facts or _Facts(index, tree)
            month = _count(day, shown, facts.current() if now else facts.tree(commit.id), facts, region)
            if kept:
                kept.put(key, month.children, month.paired)
            found.append(month)
    finally:
        if facts:
            facts.close()
    return found


def _count(day: dt.date, commit, blobs: dict, facts: "_Facts", region: str) -> Month:
    text = day.isoformat()
    children = {rid for rid, status, village in (facts.child(b) for b in blobs["children"])
                if rid and status == "active" and village.startswith(region)}
    paired = {child for child, started, ended in (facts.pairing(b) for b in blobs["pairings"])
              if child in children and started and started <= text and (not ended or ended > text)}
    return Month(day, commit, len(children), len(paired))


class _Facts:
    """What the count needs of each blob: a child's (id, status, village), a pairing's (child,
    started_on, ended_on); from the index when the blob is current, else parsed from git."""

    FOLDERS = ("children", "pairings")

    def __init__(self, index: Index, worktree: Worktree | None):
        self.worktree = worktree
        self.known: dict[str, tuple] = {}
        self.now: dict[str, list] = {folder: [] for folder in self.FOLDERS}
        for digest, kind, rid, picked in index.db.execute(
                """SELECT digest, kind, rid, json_extract(fields, '$.status', '$.village', '$.child',
                                                          '$.started_on', '$.ended_on')
                   FROM files WHERE kind IN ('child', 'pairing')"""):
            status, village, child, started, ended = json.loads(picked)
            if kind == "child":
                self.known[digest] = (rid, status, str(village or ""))
                self.now["children"].append(digest)
            else:
                self.known[digest] = (child, str(started or ""), str(ended or ""))
                self.now["pairings"].append(digest)
        self.blobs = Blobs(worktree.top) if worktree else None

    def current(self) -> dict:
        return self.now

    def tree(self, commit: str) -> dict:
        """The blob ids of the children and pairings of ``commit``; those not met yet are read."""
        prefix = self.worktree.prefix
        try:
            out = run(self.worktree.top, "ls-tree", "-r", commit, "--",
                       *(f"{prefix}records/{folder}" for folder in self.FOLDERS))
        except GitError:
            out = ""
        found: dict[str, list] = {folder: [] for folder in self.FOLDERS}
        for row in out.splitlines():
            meta, path = row.split("\t", 1)
            folder = path[len(prefix):].split("/")[1]
            if path.endswith(".yaml") and folder in found:
                found[folder].append((meta.split()[2], path.rsplit("/", 1)[-1][:-5]))
        for folder, pairs in found.items():
            unknown = [(blob, rid) for blob, rid in pairs if blob not in self.known]
            for (blob, rid), raw in zip(unknown, self.blobs.read([blob for blob, _rid in unknown])):
                self.known[blob] = _facts(folder, raw, rid)
        return {folder: [blob for blob, _rid in pairs] for folder, pairs in found.items()}

    def child(self, blob: str) -> tuple:
        return self.known.get(blob, (None, None, ""))

    def pairing(self, blob: str) -> tuple:
        return self.known.get(blob, (None, "", ""))

    def close(self) -> None:
        if self.blobs:
            self.blobs.close()


def _facts(folder: str, raw: bytes | None, rid: str) -> tuple:
    """A past child's or pairing's facts from its YAML; an unreadable file counts for nothing."""
    try:
        data = yaml.load(raw or b"", Loader)
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else {}
    if folder == "children":
        return (str(data.get("id") or rid), data.get("status"), str(data.get("village") or ""))
    return (data.get("child"), str(data.get("started_on") or ""), str(data.get("ended_on") or ""))

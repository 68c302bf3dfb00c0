"""``aimama audit``: who changed what in the records, held against the coordinators' roles.

What is read:

* the commits of ``REV..HEAD`` (without ``--since``: all of HEAD's history) that touch a record
  file under ``records/``, oldest first, from one ``git log -c --raw -M -z`` call.  The commits a
  merge brings in are audited one by one, each against its own parent, so a pull request's
  changes are held against whoever wrote them and not against who merged them; the merge itself
  is audited for what it did on its own: the values it leaves different from every parent (a
  conflict resolved, or a change slipped into the merge).  ``--full-history``: a commit on a
  side branch is audited even if the merge kept the other side.
* the coordinators (``records/coordinators.yaml``) as of HEAD: today's roles judge the whole
  history, so a role given later covers earlier work too; authors are matched by e-mail, in any
  case.
* the records each commit changed, before and after, as plain data: every blob through one
  ``git cat-file --batch`` process, read with the safe parser of :mod:`yamlio` (comments and
  formatting never count as a change).

What is found (the kind codes are stable):

``unknown_author``
    a commit touching records whose author's e-mail is no coordinator's (one per commit);
``vetting_not_allowed``
    a volunteer's vetting decision (``vetting.status``, ``decided_by``, ``decided_on``,
    ``reason``; the checks are evidence, not the decision) set or changed by an author without
    the ``vetting`` role (``admin`` counts as having every role), or whose ``regions`` do not
    cover the volunteer's village code.  A new volunteer still ``pending`` and undecided is no
    decision;
``roster_not_allowed``
    a child's roster confirmation (``roster.confirmed_by``, ``roster.confirmed_on``) set or
    changed by an author without the ``roster`` role, or outside her regions (the child's
    village);
``record_deleted``
    a record file deleted, or renamed (its id is gone just the same);
``closed_record_changed``
    a record closed in the parent commit (a child or team ``status: closed``, a volunteer
    ``withdrawn``, a pairing or team pairing with ``ended_on``) changed while staying closed.
    Reopening it is allowed;
``outside_region``
    any other change by a coordinator to a record of a place her regions do not reach (a child's
    or volunteer's village; else the county in the record's id);
``unreadable_record``
    a child, volunteer, team or pairing committed in a form that does not parse, so what it
    changed cannot be seen: the commit that repairs it is judged against the last version that
    parsed, so a decision slipped in through a broken file is still found.

With ``require_signed_commits: true`` in aimama.yaml (at the base or at HEAD), every commit of
the range is also verified against the coordinators' ``signing_keys`` as of the base
(``--since REV``; HEAD without it): ``unsigned``, ``committer_not_author``, ``bad_signature``,
``signer_not_author`` (see :mod:`signing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import language, t
from aimama_cli.history import signing
from aimama_cli.history.coordinators import COORDINATORS, Coordinator, at, by_email, coordinators, data_of
from aimama_cli.store import gitio, layout, schemas
from aimama_cli.store.yamlio import YamlProblem, decode, parse

KINDS = ("unknown_author", "vetting_not_allowed", "roster_not_allowed", "record_deleted",
         "closed_record_changed", "outside_region", "unreadable_record", "unsigned", "committer_not_author", "bad_signature",
         "signer_not_author")
VETTING_DECISION = ("status", "decided_by", "decided_on", "reason")  # fields of `vetting`
UNDECIDED = ("pending", None, None, None)  # a new volunteer's decision: none yet
ROSTER_CONFIRMATION = ("confirmed_by", "confirmed_on")  # fields of a child's `roster`
# kind -> (field, value) when a record is closed; pairings are closed by having the field at all
# (the same states as people.CLOSED and pairing.end)
CLOSED_WHEN = {"child": ("status", "closed"), "volunteer": ("status", "withdrawn"),
               "team": ("status", "closed"), "pairing": ("ended_on", None),
               "team_pairing": ("ended_on", None)}
# kinds whose content is read: the rest are only checked for deletion and their author
READ_KINDS = frozenset(CLOSED_WHEN)
NO_BLOB = "0" * 40
_UNREADABLE = object()  # a version that does not parse
_MISSING = object()  # a blob not in this repository (a shallow clone)


# --- findings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    kind: str
    commit: str  # short sha
    author: str
    email: str
    date: str  # the author date, ISO 8601
    path: str | None  # relative to the records root; None for a whole commit (unknown_author)
    record: str | None
    key: str  # message key in the catalog
    params: dict = field(default_factory=dict, compare=False)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def as_json(self) -> dict:
        return {"kind": self.kind, "commit": self.commit, "author": self.author,
                "email": self.email, "date": self.date, "path": self.path,
                "record": self.record, "message": self.message}


@dataclass
class Result:
    since: str | None
    commits: int  # commits audited: those touching record files
    findings: list[Finding]
    signed: int | None = None  # commits whose signatures were verified; None: not required
    keys_from: str | None = None  # the revision whose coordinators' keys they were verified with

    @property
    def ok(self) -> bool:
        return not self.findings

    def offending(self) -> list[str]:
        """The commits with findings, in history order."""
        return list(dict.fromkeys(f.commit for f in self.findings))

    def as_json(self) -> dict:
        signatures = None if self.signed is None else {"commits": self.signed,
                                                       "keys_from": self.keys_from}
        return {"since": self.since, "commits": self.commits, "signatures": signatures,
                "findings": [f.as_json() for f in self.findings]}


# --- reading git ------------------------------------------------------------------------------

@dataclass
class _Change:
    status: str  # A, M, D, T or R<score>; a merge's has a letter per parent (MM)
    old_blobs: list[str]  # the file in each parent (NO_BLOB where a parent has none)
    new_blob: str
    old_path: str | None  # relative to the root; None for an added file
    new_path: str | None  # None for a deleted file


@dataclass
class _Commit:
    sha: str
    author: str
    email: str
    date: str
    changes: list[_Change]
    root: bool = False  # no parent: the repository's first commit


# What `aimama init` commits: a repository's first commit that adds only these is no change by
# an unknown author (no coordinator can be listed before coordinators.yaml exists).
SKELETON = frozenset({"regions", "coordinators", "programme"})


def _creation(commit: _Commit) -> bool:
    return commit.root and all(c.old_path is None and _kind(c) in SKELETON for c in commit.changes)


def _commits(tree: gitio.Worktree, revisions: str) -> list[_Commit]:
    """The commits of ``revisions`` that change a record file, oldest first; a merge with the
    files it leaves different from every parent (``-c``) and from git's own merge of them
    (``--remerge-diff``): a clean merge of two sides that changed one file changed nothing."""
    records = f"{tree.prefix}{layout.RECORDS}"
    out = gitio.output(tree.top, "-c", "core.quotePath=false", "log", "--reverse", "-c",
               "--full-history", "--raw", "--no-abbrev", "-M", "-z",
               "--format=%x01%H%x00%an%x00%ae%x00%aI%x00%P", revisions, "--", records
               ).decode("utf-8", "surrogateescape")
    n = len(tree.prefix)

    def ours(path: str) -> str | None:
        """The path relative to the root, if it names a record file."""
        if not path.startswith(tree.prefix):
            return None
        rel = path[n:]
        return rel if layout.belongs(rel) and layout.classify(rel)[0] else None

    commits = []
    for chunk in out.split("\x01")[1:]:
        fields = chunk.split("\0")
        sha, author, email, date, parent_ids = fields[:5]
        rest, changes, i = fields[5:], [], 0
        while i < len(rest):
            meta = rest[i].lstrip("\n")
            if not meta.startswith(":"):
                i += 1
                continue
            # ":100644 100644 OLD NEW M", a merge "::100644 100644 100644 P1 P2 NEW MM"
            parents = len(meta) - len(meta.lstrip(":"))
            parts = meta[parents:].split(" ")
            blobs, status = parts[parents + 1:2 * parents + 2], parts[-1]
            if status[0] in "RC":
                old_path, new_path = ours(rest[i + 1]), ours(rest[i + 2])
                i += 3
            else:
                old_path = new_path = ours(rest[i + 1])
                i += 2
            olds, new = blobs[:-1], blobs[-1]
            if all(b == NO_BLOB for b in olds):
                old_path = None
            if new == NO_BLOB:
                new_path = None
            if old_path or new_path:
                changes.append(_Change(status, olds, new, old_path, new_path))
        if changes:
            commits.append(_Commit(sha, author, email, date, changes, root=not parent_ids.strip()))
    if any(len(c.changes[0].old_blobs) > 1 for c in commits):
        own = gitio.merges_with_own_changes(tree.top, revisions, records)
        for c in commits:
            if len(c.changes[0].old_blobs) > 1:  # a merge: only the files git would not give
                mine = own.get(c.sha, set())
                c.changes = [x for x in c.changes
                             if tree.prefix + (x.new_path or x.old_path) in mine]
    return [c for c in commits if c.changes]


def _data(raw: bytes | None):
    """A blob as plain data; ``_UNREADABLE`` for what does not parse."""
    if raw is None:
        return _MISSING
    try:
        return parse(decode(raw)).data
    except YamlProblem:
        return _UNREADABLE


# --- judging ----------------------------------------------------------------------------------

def audit(root: Path, since: str | None = None) -> Result:
    """Audit the commits since ``since`` (all of history when None) against the coordinators'
    roles, and their signatures when aimama.yaml requires signed commits; a revision git does
    not know is a usage error."""
    tree = gitio.worktree(root)
    if since is not None and not _verify(tree.top, f"{since}^{{commit}}"):
        raise UsageError("git.bad_rev", rev=since)
    if tree.head_commit() is None:
        return Result(since, 0, [])
    revisions = f"{since}..HEAD" if since is not None else "HEAD"
    commits = _commits(tree, revisions)
    short = len(gitio.output(tree.top, "rev-parse", "--short", "HEAD").strip())

    head_coordinators = f"HEAD:{tree.prefix}{COORDINATORS}"
    wanted = {}
    for commit in commits:
        for change in commit.changes:
            kind = _kind(change)
            if kind not in READ_KINDS or change.new_path is None:
                continue
            if change.old_path is not None:
                wanted.update(dict.fromkeys(change.old_blobs))
            if change.old_path is not None or kind in ("child", "volunteer"):
                wanted[change.new_blob] = None
    wanted.pop(NO_BLOB, None)
    blobs = gitio.read_blobs(tree.top, [head_coordinators, *wanted])
    people = by_email(coordinators(data_of(blobs.pop(head_coordinators, None))))
    parsed = {oid: _data(raw) for oid, raw in blobs.items()}

    findings, last_readable = [], {}
    for commit in commits:
        judge = _Judge(commit, commit.sha[:short], people.get(commit.email.lower()), findings,
                       last_readable)
        if judge.person is None and not _creation(commit):
            judge.found("unknown_author", None, "audit.unknown_author", files=len(commit.changes))
        for change in commit.changes:
            judge.change(change, parsed)
    result = Result(since, len(commits), findings)
    if signing.required(tree, *([since] if since is not None else []), "HEAD"):
        _signatures(tree, revisions, since or "HEAD", short, result)
    return result


def _signatures(tree: gitio.Worktree, revisions: str, keys_from: str, short: int,
                result: Result) -> None:
    """Every commit of ``revisions`` verified against the coordinators' keys as of ``keys_from``
    (the base of the range: a branch cannot bring its own key); the findings in history order."""
    then = at(tree, keys_from)
    checked = signing.signatures(tree, revisions, then)
    people, found = by_email(then), []
    for commit in checked:
        verdict = signing.verdict(commit, people)
        if verdict is not None:
            kind, key, params = verdict
            found.append(Finding(kind, commit.sha[:short], commit.author, commit.email,
                                 commit.date, None, None, key,
                                 {"email": commit.email, "base": keys_from, **params}))
    order = {c.sha[:short]: i for i, c in enumerate(checked)}
    result.findings = sorted(found + result.findings, key=lambda f: order.get(f.commit, -1))
    result.signed, result.keys_from = len(checked), keys_from


def _verify(top: Path, rev: str) -> bool:
    return gitio.succeeds(top, "rev-parse", "--verify", "--quiet", rev)


def _kind(change: _Change) -> str | None:
    return layout.classify(change.new_path or change.old_path)[0]


class _Judge:
    """The findings of one commit.  A merge's are what it did itself: a change that differs
    from every parent (a conflict resolved, or a change slipped into the merge)."""

    def __init__(self, commit: _Commit, short: str, person: Coordinator | None, findings: list,
                 last_readable: dict):
        self.commit, self.short, self.person, self.findings = commit, short, person, findings
        self.last_readable = last_readable  # path -> the last version of it that parsed

    def found(self, kind: str, path: str | None, key: str, **params) -> None:
        record = layout.stem(path) if path else None
        self.findings.append(Finding(kind, self.short, self.commit.author, self.commit.email,
                                     self.commit.date, path, record, key,
                                     {"record": record, "email": self.commit.email, **params}))

    def change(self, change: _Change, parsed: dict) -> None:
        if change.new_path is None:
            self.found("record_deleted", change.old_path, "audit.record_deleted")
            return
        if change.old_path is not None and change.old_path != change.new_path:
            self.found("record_deleted", change.old_path, "audit.record_renamed",
                       new_path=change.new_path)
        before = len(self.findings)
        kind = _kind(change)
        if kind in READ_KINDS:
            self.judge(kind, change, parsed)
        if len(self.findings) == before:  # nothing more particular said about this file
            self.within_regions(change, parsed.get(change.new_blob))

    def judge(self, kind: str, change: _Change, parsed: dict) -> None:
        """A volunteer's vetting decision, a child's roster confirmation, a closed record."""
        path = change.new_path
        new = parsed.get(change.new_blob, _MISSING)
        if new is _UNREADABLE:  # what it changes cannot be seen: the repair is judged instead
            self.found("unreadable_record", path, "audit.unreadable_record")
            return
        # a version that did not parse stands for the last one that did (none: a new record)
        olds = [None if b == NO_BLOB else parsed.get(b, _MISSING) for b in change.old_blobs] \
            if change.old_path else [None]
        olds = [self.last_readable.get(change.old_path) if old is _UNREADABLE else old
                for old in olds]
        if new is _MISSING or any(old is _MISSING for old in olds):
            return  # not in this clone
        self.last_readable[path] = new
        if kind == "volunteer":
            before, after = [_decision(old) for old in olds], _decision(new)
            if after not in before:
                self.allowed("vetting", "vetting_not_allowed", path, new.get("village"),
                             before=_status(before[0][0]), after=_status(after[0]))
        elif kind == "child":
            before, after = [_confirmation(old) for old in olds], _confirmation(new)
            if after not in before:
                self.allowed("roster", "roster_not_allowed", path, new.get("village"),
                             by=after[0] or "-", on=after[1] or "-")
        if _closed(kind, new) and all(old is not None and _closed(kind, old) for old in olds):
            changed = sorted(k for k in set(new).union(*olds)
                             if all(old.get(k) != new.get(k) for old in olds))
            if changed:
                self.found("closed_record_changed", path, "audit.closed_record_changed",
                           state=_state(kind, olds[0]), fields=", ".join(map(str, changed)))

    def within_regions(self, change: _Change, data) -> None:
        """``outside_region``: a coordinator's change to a record of a place her regions do not
        reach: a child's or volunteer's village, else the county code of the record's id (a
        township region counts for its county: a file name says no more)."""
        person, path = self.person, change.new_path
        county = ids.county_of(layout.stem(path))
        if person is None or county is None:
            return  # an unknown author is reported already; a file of the whole repository
        village = data.get("village") if isinstance(data, dict) else None
        if isinstance(village, str) and village.startswith(county):
            if person.covers(village):
                return
            where = village
        elif any(county.startswith(r) or r.startswith(county) for r in person.regions):
            return
        else:
            where = county
        self.found("outside_region", path, "audit.outside_region", id=person.id, where=where,
                   regions=", ".join(person.regions) or "-")

    def allowed(self, role: str, kind: str, path: str, village, **params) -> None:
        """A finding unless the author has ``role`` and her regions cover ``village``."""
        person = self.person
        if person is None:
            self.found(kind, path, f"audit.{kind}.unknown", **params)
        elif not person.may(role):
            self.found(kind, path, f"audit.{kind}.role", id=person.id, **params)
        elif not person.covers(village):
            self.found(kind, path, f"audit.{kind}.region", id=person.id, village=village or "-",
                       regions=", ".join(person.regions) or "-", **params)


def _status(code) -> str:
    """A vetting status as the message shows it: its label (批准) in Chinese."""
    return schemas.label("volunteer", ("vetting", "status"), code, language()) if isinstance(code, str) else str(code)


def _section(data, name: str) -> dict:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _decision(data) -> tuple:
    if data is None:
        return UNDECIDED
    vetting = _section(data, "vetting")
    return (vetting.get("status") or "pending", *(vetting.get(f) for f in VETTING_DECISION[1:]))


def _confirmation(data) -> tuple:
    roster = _section(data, "roster")
    return tuple(roster.get(f) for f in ROSTER_CONFIRMATION)


def _closed(kind: str, data) -> bool:
    name, value = CLOSED_WHEN.get(kind, (None, None))
    if not (name and isinstance(data, dict)):
        return False
    return data.get(name) == value if value is not None else data.get(name) not in (None, "")


def _state(kind: str, data: dict) -> str:
    name, _ = CLOSED_WHEN[kind]
    return f"{name}: {data.get(name)}"

"""``aimama history ID``: every commit that changed one record, newest first, field by field.

Two git processes whatever the length of the history: one ``git log --follow --raw`` lists the
commits that touched the record's file (following renames), each with the blob ids of the file
before and after; one ``git cat-file --batch`` reads every distinct blob.  Each blob is parsed
once (the fast YAML 1.2 reader every check uses, no round trip) and consecutive versions are
compared leaf by leaf, so a change reads ``guardian.phone: 139****2001 → 139****2002``.

A merge is shown only for what it brought that neither side had (a conflict resolved by hand):
its changes against the first parent, less the fields whose new value one of the other parents
already had — a field-level ``git log --cc``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.domain import session
from aimama_cli.history import signing
from aimama_cli.history.coordinators import at, by_email
from aimama_cli.store import gitio, layout, schemas
from aimama_cli.store.analysis import field_name
from aimama_cli.store.sealing.masking import mask, unsealed
from aimama_cli.store.sealing.sealed import MAC_FIELD, is_encrypted, shown
from aimama_cli.store.yamlio import YamlProblem, decode, parse

NO_BLOB = "0" * 40
COMMAND_TRAILER = "Aimama-Command"
# one commit: sha, author, e-mail, author date, the aimama command (a trailer), git's verdict
# on its signature (%G?), the key, the signer, the committer and her e-mail, subject
LOG_FORMAT = ("%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f"
              f"%(trailers:key={COMMAND_TRAILER},valueonly,separator=%x2c)"
              "%x1f%G?%x1f%GK%x1f%GS%x1f%cn%x1f%ce%x1f%s")
_ENTRY_FIELD = re.compile(r"^([a-z_]+)\[[0-9]+\]\.([a-z_]+)$")  # coordinators[2].id
_ABSENT = object()


@dataclass
class FieldChange:
    field: str  # dotted path: guardian.phone, languages[1], entries[3].date ("" for the file)
    old: object  # None when added
    new: object  # None when removed
    note: str | None = None  # why there are no values: a version that does not parse


@dataclass
class Commit:
    commit: str
    author: str
    email: str
    date: str  # author date, ISO 8601
    command: str  # the Aimama-Command trailer; "" for a hand edit
    subject: str
    signed: str  # "yes" (by its author's key), "no" or "bad" (history/signing.py)
    command_verified: bool  # the trailer is aimama's only in a commit its author signed
    path: str  # the record's file in this commit
    renamed_from: str | None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class History:
    id: str
    path: str
    commits: list[Commit]
    masked: int = 0  # how many values were masked

    def as_json(self) -> dict:
        commits = []
        for commit in self.commits:
            entry = asdict(commit)
            entry["changes"] = [{k: v for k, v in asdict(c).items() if k != "note" or v}
                                for c in commit.changes]
            commits.append(entry)
        return {"id": self.id, "path": self.path, "commits": commits}


@dataclass
class _Raw:
    """One commit as ``git log --raw`` lists it: the file's blobs before (one per parent) and after."""

    header: list[str]
    olds: list[str]
    new: str
    status: str
    path: str
    source: str


@dataclass
class _Target:
    kind: str  # schema kind of the file
    path: str  # relative to the root
    entry: tuple[str, str] | None  # (list, key) for a record inside a shared file (a coordinator)


def history(root: Path, rid: str, reveal: bool = False) -> History:
    tree = gitio.worktree(Path(root))
    target = locate(Path(root), tree, rid)
    people = at(tree, "HEAD")  # today's coordinators and keys vouch for each signature
    with signing.signers_file(people) as signers:
        raws = _log(tree, tree.prefix + target.path, signers)
    by_mail = by_email(people)
    contents = gitio.read_blobs(tree.top, sorted({b for r in raws for b in (*r.olds, r.new) if b != NO_BLOB}))
    reader = _Reader(contents, target, rid)
    shown = _Shown(target, reveal, rid, _key(Path(root), reveal))
    result = History(rid, target.path, [])
    for raw in raws:
        changes = _changes([reader.leaves(b) for b in raw.olds], reader.leaves(raw.new), shown)
        if not changes and (target.entry or len(raw.olds) > 1):
            continue  # a record in a shared file that this commit left alone; a clean merge
        sha, author, email, date, command, status, key, signer, committer, committer_email, \
            subject = raw.header
        mark = signing.mark(signing.Signed(sha, False, author, email, committer, committer_email,
                                           date, status, key, signer), by_mail)
        renamed = raw.status.startswith("R") and raw.source != raw.path
        result.commits.append(Commit(sha[:10], author, email, date, command.strip(), subject,
                                     mark, mark == "yes" and bool(command.strip()),
                                     _ours(tree, raw.path),
                                     _ours(tree, raw.source) if renamed else None, changes))
    result.masked = shown.count
    return result


# --- finding the record -------------------------------------------------------------------------

def locate(root: Path, tree: gitio.Worktree, rid: str) -> _Target:
    """The record's file through the index; a record deleted in git history through the
    deletions the index keeps (its last path).  Unknown: exit 2."""
    if rid.endswith(".yaml") and layout.classify(rid)[0] and (root / rid).is_file():  # an activity log: no id
        return _Target(layout.classify(rid)[0], rid, None)
    index = session.open_index(root)  # the one the command line's names were looked up in
    row = index.holder(rid)
    if row:
        path, where = row
        entry = _ENTRY_FIELD.match(where)
        return _Target(layout.classify(path)[0], path, entry.groups() if entry else None)
    # a file named after the id that does not parse now (so the index has no id for it)
    named = index.named_after(rid)
    if named:
        return _Target(layout.classify(named)[0], named, None)
    gone = index.deletions_of(rid)
    if not gone:
        raise UsageError("id.unknown", id=rid, kind=t("history.record"))
    path = _last_deleted(tree, gone)
    return _Target(layout.classify(path)[0], path, None)


def _last_deleted(tree: gitio.Worktree, gone: list[tuple[str, str]]) -> str:
    """The path of the newest deletion (a record moved, then deleted, was deleted twice)."""
    pending = [path for path, commit in gone if not commit]  # deleted in the work tree only
    if pending or len(gone) == 1:
        return (pending or [gone[0][0]])[0]
    by_commit = {commit: path for path, commit in gone}
    newest = gitio.run(tree.top, "log", "--no-walk=sorted", "--format=%H", *by_commit).split()
    return by_commit[newest[0]]


def _ours(tree: gitio.Worktree, path: str) -> str:
    return path.removeprefix(tree.prefix)


# --- reading git ----------------------------------------------------------------------------------

def _log(tree: gitio.Worktree, gitpath: str, signers: Path) -> list[_Raw]:
    """The commits that changed ``gitpath`` (and the files it was renamed from), newest first,
    their signatures checked against the allowed-signers file ``signers``; merges with ``-c``:
    only when the file differs from every parent."""
    if tree.head_commit() is None:
        return []  # nothing committed yet
    try:
        out = gitio.run(tree.top, "-c", "core.quotePath=false",
                         "-c", f"gpg.ssh.allowedSignersFile={signers}", "log", "--no-color", "--follow",
                         "--raw", "--no-abbrev", "-c", f"--format={LOG_FORMAT}", "HEAD", "--",
                         gitpath)
    except gitio.GitError as exc:
        raise UsageError("git.failed", detail=str(exc)) from None
    raws, current = [], gitpath
    for chunk in out.split("\x1e")[1:]:
        head, _, body = chunk.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith(":")]
        # the line of the file followed (its name as of this commit), else git's only line
        line = next((x for x in lines if x.rsplit("\t", 1)[-1] == current), lines[0] if lines else None)
        if line is None:
            continue
        raw = _raw(head.split("\x1f"), line)
        raws.append(raw)
        current = raw.source
    return raws


def _raw(header: list[str], line: str) -> _Raw:
    """``:100644 100644 OLD NEW M\\tPATH``, ``... R097\\tFROM\\tTO``; a merge has one colon, mode
    and old blob per parent (``::100644 100644 100644 P1 P2 NEW MM\\tPATH``)."""
    meta, *paths = line.split("\t")
    parents = len(meta) - len(meta.lstrip(":"))
    parts = meta.lstrip(":").split(" ")
    blobs = parts[parents + 1:2 * parents + 2]
    return _Raw(header, blobs[:-1], blobs[-1], parts[-1], paths[-1], paths[0])


# --- comparing versions ---------------------------------------------------------------------------

@dataclass
class _Unreadable:
    note: str


class _Reader:
    """Each blob parsed once (a blob is the version after one commit and before the next)."""

    def __init__(self, contents: dict[str, bytes | None], target: _Target, rid: str):
        self.contents, self.target, self.rid = contents, target, rid
        self.parsed: dict[str, dict | _Unreadable] = {NO_BLOB: {}}

    def leaves(self, blob: str) -> dict | _Unreadable:
        """The record in ``blob`` as {path: leaf} (empty when absent), or why it cannot be read."""
        if blob not in self.parsed:
            data = self._read(blob)
            self.parsed[blob] = data if isinstance(data, _Unreadable) else _leaves(data)
        return self.parsed[blob]

    def _read(self, blob: str):
        raw = self.contents.get(blob)
        if raw is None:
            return _Unreadable(t("history.missing_blob", blob=blob[:10]))
        try:
            data = parse(decode(raw)).data
        except YamlProblem as exc:
            return _Unreadable(t("history.unparseable", line=exc.line,
                                 detail=t(exc.code, **exc.params)))
        if self.target.entry is None:
            return data
        items, key = self.target.entry
        listed = data.get(items)
        return next((item for item in listed if isinstance(item, dict) and item.get(key) == self.rid),
                    None) if isinstance(listed, list) else None


def _changes(olds: list, after, shown: "_Shown") -> list[FieldChange]:
    """What changed from the first parent's version to ``after`` (as :func:`_leaves`); for a
    merge, less what another parent already had."""
    before = olds[0] if olds else {}
    for version, which in ((after, "new"), (before, "old")):
        if isinstance(version, _Unreadable):
            return [FieldChange("", None, None, t(f"history.note.{which}", note=version.note))]
    others = [o for o in olds[1:] if not isinstance(o, _Unreadable)]
    changes = []
    for path in dict.fromkeys([*after, *before]):
        a, b = before.get(path, _ABSENT), after.get(path, _ABSENT)
        if _same(a, b) or any(_same(other.get(path, _ABSENT), b) for other in others):
            continue
        changes.append(FieldChange(field_name(path), shown(path, a), shown(path, b)))
    return changes


def _leaves(data) -> dict[tuple, object]:
    """{path: scalar or empty container} of a record, in document order (an absent record
    has none)."""
    found: dict[tuple, object] = {}
    if data is not None:
        _collect(data, (), found)
    return found


def _collect(data, path: tuple, found: dict) -> None:
    if isinstance(data, dict) and data:
        for key, sub in data.items():
            _collect(sub, path + (key,), found)
    elif isinstance(data, list) and data:
        for i, sub in enumerate(data):
            _collect(sub, path + (i,), found)
    else:
        found[path] = data


def _same(a, b) -> bool:
    """Equal, and of the same type (``1``, ``1.0`` and ``true`` are three different values);
    a field set to null is no different from a field left out."""
    if a is _ABSENT or b is _ABSENT:
        return (a if b is _ABSENT else b) in (None, _ABSENT)
    return type(a) is type(b) and a == b


# --- masking ----------------------------------------------------------------------------------

def _key(root: Path, reveal: bool):
    """The key values are decrypted with in an encrypted repository: ``--reveal``'s (exit 2
    without one), else the coordinator's when given, so that they read masked, not [encrypted]."""
    from aimama_cli.store.sealing.keyring import sealer

    return sealer(root, required=reveal, why="--reveal")


class _Shown:
    """A value as shown: the values of fields the schema marks sensitive, and of everything
    under them, masked unless ``reveal``; ``count`` says how many were."""

    def __init__(self, target: _Target, reveal: bool, rid: str = "", sealer=None):
        known = target.kind in schemas.KINDS and not reveal
        self.sensitive = set(schemas.info(target.kind).sensitive) if known else set()
        self.base = (target.entry[0], "*") if target.entry else ()
        self.count = 0
        self.rid, self.sealer, self.reveal = rid, sealer, reveal

    def __call__(self, path: tuple, value):
        if value is _ABSENT or value is None:
            return None
        if self.sealer is not None and is_encrypted(value) and (self.reveal or path[:1] != (MAC_FIELD,)):
            # with the key: masked, or shown with --reveal (the MAC is bookkeeping: not unless asked)
            value = self._decrypted(path, value)
            if value is shown():
                return value
        name = self._sensitive_field(schemas.pattern_of(self.base + path), path)
        if name is None:
            return unsealed(value)
        self.count += 1
        return mask(value, name)

    def _decrypted(self, path: tuple, value):
        """A value of an older version may be sealed with a data key rotated away since, or
        tampered with: shown as [encrypted], the history goes on."""
        from aimama_cli.store.sealing.crypto import DecryptFailed

        try:
            return self.sealer.decrypt(value, self.rid, path)
        except DecryptFailed:
            return shown()

    def _sensitive_field(self, pattern: tuple, path: tuple) -> str | None:
        """The name of the sensitive field ``path`` is or lies under ("" for a list item)."""
        if not self.sensitive:
            return None
        skip = len(self.base)
        for end in range(skip + 1, len(pattern) + 1):
            if pattern[:end] in self.sensitive:
                step = path[end - skip - 1]
                return step if isinstance(step, str) else ""
        return None

"""What a change to the records means, for the reviewer of a pull request: ``aimama diff``.

One ``git diff-tree -M`` between two commits says which record files changed (with their blob
ids); one ``git cat-file --batch`` process reads the blobs, and the names of the children and
volunteers that new or ended pairings and activity logs refer to.  Each side is read with the
safe YAML 1.2 reader every check uses (:func:`yamlio.parse`).  The result is sorted into
sections: records added, changed field by field, closed, pairings made and ended, activity logs
and pledges counted per volunteer and year, records deleted (a warning: records are closed,
never deleted) and files that do not parse.  Sensitive values are always masked: a pull-request
comment is read by every reviewer.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import language, t
from aimama_cli.core.problems import field_name, field_path
from aimama_cli.store import gitio, layout, schemas
from aimama_cli.store.gitio import GitError, Worktree, run
from aimama_cli.store.sealing.masking import mask, masked, unsealed
from aimama_cli.store.yamlio import YamlProblem, decode, parse

MISSING = object()  # a field absent on one side (not the same as an explicit null)
CLOSING = {"child": "closed", "volunteer": "withdrawn", "team": "closed"}  # status that closes
ENDING = ("pairing", "team_pairing")  # kinds ended by ended_on / end_reason
COUNTED = ("activity", "pledge")  # counted per volunteer and year, not listed field by field
SECTIONS = ("added", "changed", "closed", "pairings_made", "pairings_ended", "activity",
            "deleted", "unreadable")
ACTIVITY_COUNTS = ("entries_added", "entries_changed", "entries_removed", "pledges_added",
                   "pledges_changed")
FOLDER_OF = {"child": "children", "volunteer": "volunteers"}


# --- revisions ----------------------------------------------------------------------------------

@dataclass
class Range:
    base: str  # commit ids
    head: str
    spec: str  # as given


def resolve(tree: Worktree, spec: str) -> Range:
    """``A..B``, ``A...B`` or ``A`` (``A..HEAD``); an empty side is HEAD. Whichever is written,
    B is compared with the merge base of A and B, as a pull request shows it: what B changed
    since it forked, not what A gained since."""
    left, dots, right = spec.partition("...") if "..." in spec else spec.partition("..")
    left, right = _commit(tree, left or "HEAD"), _commit(tree, right or "HEAD")
    try:
        base = run(tree.top, "merge-base", left, right).strip()
    except GitError:
        raise UsageError("diff.no_merge_base", spec=spec) from None
    return Range(base, right, spec)


def _commit(tree: Worktree, rev: str) -> str:
    if rev.startswith("-"):  # never let a revision pass for an option of git
        raise UsageError("git.bad_rev", rev=rev)
    try:
        return run(tree.top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        raise UsageError("git.bad_rev", rev=rev) from None


# --- the diff ------------------------------------------------------------------------------------

@dataclass
class Side:
    path: str
    blob: str
    data: dict | None = None
    problem: YamlProblem | None = None


@dataclass
class FileChange:
    kind: str
    old: Side | None  # None: added
    new: Side | None  # None: deleted


@dataclass
class Report:
    base: str
    head: str
    spec: str
    sections: dict = field(default_factory=lambda: {s: [] for s in SECTIONS})

    def as_json(self) -> dict:
        return {"base": self.base, "head": self.head, **self.sections}

    def empty(self) -> bool:
        return not any(self.sections.values())


def diff(root: Path, spec: str) -> Report:
    tree = _worktree(root)
    span = resolve(tree, spec)
    report = Report(span.base, span.head, spec)
    changes, unplaced = _file_changes(tree, span)
    report.sections["unreadable"] += unplaced
    blobs = gitio.Blobs(tree.top)
    try:
        _load(blobs, changes)
        names = Names(tree, span, blobs, changes)
        for change in changes:
            _sort(report, change, names)
    finally:
        blobs.close()
    _count(report, changes, names)
    for section in report.sections.values():
        section.sort(key=lambda item: (item.get("path", ""), item.get("volunteer", ""), str(item.get("year", ""))))
    return report


def _worktree(root: Path) -> Worktree:
    found = Worktree.find(root)
    if found is None:
        raise UsageError("git.not_repo", path=str(root))
    return found


def _file_changes(tree: Worktree, span: Range) -> tuple[list[FileChange], list[dict]]:
    """The record files that differ; a rename keeps its record only when the id (the file
    name) stays: a new id is a new record, and the old one a deleted record."""
    out = run(tree.top, "diff-tree", "-r", "-z", "-M", "--no-abbrev", span.base, span.head,
               "--", f"{tree.prefix}{layout.RECORDS}")
    fields = [f for f in out.split("\0") if f]
    changes, unplaced, i, n = [], [], 0, len(tree.prefix)
    while i < len(fields):
        meta = fields[i].split(" ")  # ":100644 100644 <old> <new> <status>"
        status = meta[4][0]
        paths = fields[i + 1:i + (3 if status in "RC" else 2)]
        i += 1 + len(paths)
        old_path, new_path = paths[0][n:], paths[-1][n:]
        old = Side(old_path, meta[2]) if status not in "AC" else None
        new = Side(new_path, meta[3]) if status != "D" else None
        if status == "R" and layout.stem(old_path) != layout.stem(new_path):
            pairs = [(old, None), (None, new)]
        else:
            pairs = [(old, new)]
        for before, after in pairs:
            path = (after or before).path
            if not layout.belongs(path):
                continue
            kind, _ = layout.classify(path)
            if kind is None:
                unplaced.append({"path": path, "side": "head" if after else "base", "code": None,
                                 "line": None, "message": t("diff.misplaced")})
                continue
            changes.append(FileChange(kind, before, after))
    return changes, unplaced


def _load(blobs: gitio.Blobs, changes: list[FileChange]) -> None:
    sides = [s for c in changes for s in (c.old, c.new) if s is not None]
    for side, raw in zip(sides, blobs.read([s.blob for s in sides])):
        try:
            if raw is None:
                raise YamlProblem("AM109", detail="missing blob")
            side.data = parse(decode(raw)).data
        except YamlProblem as problem:
            side.problem = problem


class Names:
    """Names of the children and volunteers the sections mention: from the records this diff
    read, else from the head (or, for a record deleted there, the base) revision."""

    def __init__(self, tree: Worktree, span: Range, blobs: gitio.Blobs, changes: list[FileChange]):
        self.known: dict[str, str | None] = {}
        for change in changes:
            for side in (change.old, change.new):
                if side is not None and side.data is not None and "name" in side.data:
                    self.known[side.data.get("id") or layout.stem(side.path)] = side.data["name"]
        wanted = sorted({i for c in changes for i in _mentions(c)} - self.known.keys())
        for rev in (span.head, span.base):
            paths = [p for p in (_record_path(i) for i in wanted) if p]
            if not paths:
                break
            found = tree.blobs(run(tree.top, "rev-parse", f"{rev}^{{tree}}").strip(), paths)
            for path, raw in zip(found, blobs.read(list(found.values()))):
                try:
                    self.known[layout.stem(path)] = parse(decode(raw)).data.get("name")
                except (YamlProblem, AttributeError):
                    self.known[layout.stem(path)] = None
            wanted = [i for i in wanted if i not in self.known]

    def __call__(self, rid) -> str | None:
        return self.known.get(rid) if isinstance(rid, str) else None


def _mentions(change: FileChange):
    for side in (change.old, change.new):
        data = side.data if side is not None else None
        if not isinstance(data, dict):
            continue
        if change.kind == "pairing":
            yield from (data.get("child"), data.get("volunteer"))
        elif change.kind in COUNTED:
            yield data.get("volunteer") or layout.stem(side.path)


def _record_path(rid) -> str | None:
    from aimama_cli.core.ids import LETTER_KINDS

    kind = LETTER_KINDS.get(rid[:1]) if isinstance(rid, str) else None
    folder = FOLDER_OF.get(kind)
    return f"{layout.RECORDS}/{folder}/{rid}.yaml" if folder and "/" not in rid else None


# --- sorting changes into sections -------------------------------------------------------------

def _sort(report: Report, change: FileChange, names: Names) -> None:
    old, new = change.old, change.new
    broken = [(s, side) for s, side in (("base", old), ("head", new)) if side and side.problem]
    if broken:
        for side_name, side in broken:
            report.sections["unreadable"].append(_unreadable(side, side_name))
        return
    sections = report.sections
    if new is None:
        sections["deleted"].append(_identity(change.kind, old))
    elif change.kind in COUNTED:
        return  # counted per volunteer and year, see _count
    elif old is None and change.kind == "pairing":
        sections["pairings_made"].append(_pairing(new, names))
    elif old is None:
        sections["added"].append(_identity(change.kind, new))
    else:
        _sort_changed(sections, change, names)


def _sort_changed(sections: dict, change: FileChange, names: Names) -> None:
    kind, old, new = change.kind, change.old, change.new
    found = field_changes(kind, old.data, new.data)
    entry = _identity(kind, new)
    if old.path != new.path:
        entry["old_path"] = old.path
    closing = _closing(kind, old.data, new.data)
    if closing is not None:
        drop = {"status", "closed", "ended_on", "end_reason"}
        rest = [c for c in found if c["field"].split(".")[0].split("[")[0] not in drop]
        if kind == "pairing":
            sections["pairings_ended"].append({**_pairing(new, names), **closing, "changes": rest})
        else:
            sections["closed"].append({**entry, **closing, "changes": rest})
    elif found or "old_path" in entry:
        sections["changed"].append({**entry, "changes": found})


def _closing(kind: str, old: dict, new: dict) -> dict | None:
    """When, why and how a record was closed (or a pairing ended) by this change, else None."""
    if kind in ENDING:
        if new.get("ended_on") and not old.get("ended_on"):
            return {"on": new.get("ended_on"), "reason": new.get("end_reason")}
        return None
    status = CLOSING.get(kind)
    if status is None:
        return None
    now_closed = new.get("status") == status and old.get("status") != status
    closed = new.get("closed") if isinstance(new.get("closed"), dict) else {}
    if not now_closed and not (closed and not old.get("closed")):
        return None
    return {"status": new.get("status"), "on": closed.get("on"), "reason": closed.get("reason"),
            "note": closed.get("note")}


def _identity(kind: str, side: Side) -> dict:
    data = side.data or {}
    rid = data.get("id") if isinstance(data.get("id"), str) else layout.stem(side.path)
    name = data.get("name") if isinstance(data.get("name"), str) else None
    return {"kind": kind, "id": rid, "name": name, "path": side.path}


def _pairing(side: Side, names: Names) -> dict:
    data = side.data
    return {"id": _identity("pairing", side)["id"], "path": side.path,
            "child": data.get("child"), "child_name": names(data.get("child")),
            "volunteer": data.get("volunteer"), "volunteer_name": names(data.get("volunteer")),
            "role": data.get("role"), "started_on": data.get("started_on"),
            "ended_on": data.get("ended_on"), "end_reason": data.get("end_reason")}


def _unreadable(side: Side, which: str) -> dict:
    problem = side.problem
    return {"path": side.path, "side": which, "code": problem.code, "line": problem.line,
            "column": problem.column, "message": t(problem.code, **problem.params)}


def _count(report: Report, changes: list[FileChange], names: Names) -> None:
    """Activity log entries and pledges added, changed and removed, one row per volunteer and
    year (deleted files are listed as deleted instead)."""
    counts: dict[tuple, Counter] = {}
    for change in changes:
        if change.kind not in COUNTED or change.new is None or change.new.problem \
                or (change.old and change.old.problem):
            continue
        new, old = change.new.data, change.old.data if change.old else None
        volunteer = new.get("volunteer") or layout.stem(change.new.path)
        year = new.get("year") or layout.year_folder(change.new.path)
        tally = counts.setdefault((str(volunteer), year), Counter())
        if change.kind == "pledge":
            tally["pledges_" + ("added" if old is None else "changed")] += 1 if old != new else 0
        else:
            tally.update({f"entries_{k}": n for k, n in _entry_counts(old or {}, new).items()})
    for (volunteer, year), tally in counts.items():
        if sum(tally.values()):
            report.sections["activity"].append(
                {"volunteer": volunteer, "name": names(volunteer), "year": year,
                 **{k: tally[k] for k in ACTIVITY_COUNTS}})


def _entry_counts(old: dict, new: dict) -> Counter:
    """An entry with the same date and child (or pairing) on both sides but other content is
    changed; the rest of the difference is added or removed."""
    def entries(data):
        items = data.get("entries") if isinstance(data.get("entries"), list) else []
        return Counter(json.dumps(e, sort_keys=True, ensure_ascii=False, default=str) for e in items)

    before, after = entries(old), entries(new)
    gone, came = list((before - after).elements()), list((after - before).elements())

    def key(text):
        entry = json.loads(text)
        if not isinstance(entry, dict):
            return text
        return json.dumps([entry.get("date"), entry.get("child"), entry.get("pairing")])

    free = Counter(key(g) for g in gone)
    changed = 0
    for c in came:
        if free[key(c)] > 0:
            free[key(c)] -= 1
            changed += 1
    return Counter(added=len(came) - changed, changed=changed, removed=len(gone) - changed)


# --- field-level changes ------------------------------------------------------------------------

def field_changes(kind: str, old, new) -> list[dict]:
    """``[{"field": "guardian.phone", "old": ..., "new": ...}]``, sensitive values masked; a
    field absent on one side is None there."""
    return [{"field": field_name(path), "old": _shown(kind, path, a), "new": _shown(kind, path, b)}
            for path, a, b in _walk(old, new, ())]


def _walk(old, new, path: tuple):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(k for k in old if k not in new)]:
            yield from _walk(old.get(key, MISSING), new.get(key, MISSING), path + (key,))
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            yield from _walk(old[i] if i < len(old) else MISSING,
                             new[i] if i < len(new) else MISSING, path + (i,))
    elif type(old) is not type(new) or old != new:  # 1 == True, but not the same value
        yield path, old, new


def _shown(kind: str, path: tuple, value):
    if value is MISSING:
        return None
    sensitive = schemas.info(kind).sensitive if kind in schemas.KINDS else []
    pattern = schemas.pattern_of(path)
    for n in range(1, len(pattern) + 1):
        if pattern[:n] in sensitive:
            step = path[n - 1]
            return mask(value, step if isinstance(step, str) else None)
    return masked(kind, value, path) if kind in schemas.KINDS else unsealed(value)


# --- rendering ---------------------------------------------------------------------------------

def render(report: Report, fmt: str, max_rows: int = 50) -> str:
    if fmt == "json":
        return json.dumps(report.as_json(), ensure_ascii=False, indent=2)
    return _Renderer(report, fmt == "markdown", max_rows).render()


class _Renderer:
    def __init__(self, report: Report, markdown: bool, max_rows: int):
        self.report, self.md, self.max_rows = report, markdown, max_rows
        self.zh = language() == "zh"

    def render(self) -> str:
        r = self.report
        title = t("diff.title", spec=r.spec, base=r.base[:10], head=r.head[:10])
        lines = [f"### {title}" if self.md else title]
        if r.empty():
            return "\n".join([*lines, "", t("diff.none")])
        counts = [t(f"diff.count.{s}", count=len(r.sections[s])) for s in SECTIONS if r.sections[s]]
        lines += ["", (" · ".join(counts)) if self.md else ", ".join(counts)]
        for section in ("pairings_made", "added", "changed", "closed", "pairings_ended",
                        "activity", "deleted", "unreadable"):
            items = r.sections[section]
            if items:
                lines += ["", *self.section(section, items)]
        return "\n".join(lines)

    def section(self, name: str, items: list) -> list[str]:
        warn = "⚠ " if name in ("deleted", "unreadable") else ""
        heading = f"{warn}{t(f'diff.section.{name}')} ({len(items)})"
        out = [f"#### {heading}" if self.md else heading]
        if name == "deleted":
            hint = t("diff.deleted.hint", base=self.report.base[:10])
            out += [f"> {hint}", ""] if self.md else [f"  {hint}"]
        shown = items if self.max_rows <= 0 else items[:self.max_rows]
        columns, rows = getattr(self, f"rows_{name}")(shown)
        out += self.table([t(f"diff.col.{c}") for c in columns], rows)
        if len(shown) < len(items):
            out.append(t("diff.more", count=len(items) - len(shown)))
        return out

    def table(self, headers: list[str], rows: list[list]) -> list[str]:
        cells = [[self.cell(v) for v in row] for row in rows]
        if self.md:
            return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers),
                    *("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells)]
        from tabulate import tabulate

        text = tabulate(cells, headers=headers, tablefmt="simple", disable_numparse=True)
        return ["  " + line for line in text.splitlines()]

    @staticmethod
    def cell(value) -> str:
        if value is None:
            return "—"
        if not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        value = " ".join(value.split())
        return value if len(value) <= 80 else value[:79] + "…"

    # labels ----------------------------------------------------------------------------------
    def label(self, kind: str, path: tuple, code):
        if not self.zh or code is None or isinstance(code, (dict, list)):
            return code
        return schemas.label(kind, schemas.pattern_of(path), code, "zh")

    def kind(self, kind: str) -> str:
        return t(f"diff.kind.{kind}")

    @staticmethod
    def who(rid, name) -> str:
        return f"{rid} {name}" if name else str(rid)

    # one method per section: (column keys, rows) -------------------------------------------------
    def rows_pairings_made(self, items):
        return (("pairing", "child", "volunteer", "role", "started_on"),
                [[i["id"], self.who(i["child"], i["child_name"]),
                  self.who(i["volunteer"], i["volunteer_name"]),
                  self.label("pairing", ("role",), i["role"]), i["started_on"]] for i in items])

    def rows_added(self, items):
        return (("kind", "id", "name"), [[self.kind(i["kind"]), i["id"], i["name"]] for i in items])

    def rows_changed(self, items):
        rows = []
        for item in items:
            first = [self.kind(item["kind"]), self.who(item["id"], item["name"])]
            if "old_path" in item:
                rows.append([*first, t("diff.moved"), item["old_path"], item["path"]])
                first = ["", ""]
            for change in item["changes"]:
                path = field_path(change["field"])
                rows.append([*first, change["field"], self.label(item["kind"], path, change["old"]),
                             self.label(item["kind"], path, change["new"])])
                first = ["", ""]
        return ("kind", "record", "field", "old", "new"), rows

    def rows_closed(self, items):
        return (("kind", "record", "status", "on", "reason", "other_changes"),
                [[self.kind(i["kind"]), self.who(i["id"], i["name"]),
                  self.label(i["kind"], ("status",), i.get("status")), i["on"],
                  self.label(i["kind"], ("end_reason",) if i["kind"] in ENDING else ("closed", "reason"),
                             i["reason"]),
                  ", ".join(c["field"] for c in i["changes"]) or None] for i in items])

    def rows_pairings_ended(self, items):
        return (("pairing", "child", "volunteer", "role", "ended_on", "reason"),
                [[i["id"], self.who(i["child"], i["child_name"]),
                  self.who(i["volunteer"], i["volunteer_name"]),
                  self.label("pairing", ("role",), i["role"]), i["on"],
                  self.label("pairing", ("end_reason",), i["reason"])] for i in items])

    def rows_activity(self, items):
        return (("volunteer", "year", *ACTIVITY_COUNTS),
                [[self.who(i["volunteer"], i["name"]), str(i["year"]),
                  *(str(i[k]) if i[k] else "" for k in ACTIVITY_COUNTS)] for i in items])

    def rows_deleted(self, items):
        return (("kind", "record", "path"),
                [[self.kind(i["kind"]), self.who(i["id"], i["name"]), i["path"]] for i in items])

    def rows_unreadable(self, items):
        return (("path", "side", "problem"),
                [[f"{i['path']}:{i['line']}" if i["line"] else i["path"], t(f"diff.side.{i['side']}"),
                  f"{i['code']} {i['message']}" if i["code"] else i["message"]] for i in items])



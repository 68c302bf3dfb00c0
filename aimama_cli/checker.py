"""``aimama check``: run every rule over the record index and collect the problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from .ids import KIND_LETTERS
from .index import Index, field_name, field_path
from .problems import ERROR, WARNING, Problem, make
from .rules import REGISTRY, repository_rules
from .yamlio import YamlProblem, decode, locate, parse


@dataclass
class Repo:
    """What repository rules see: the index plus lookups built once per check."""

    index: Index
    as_of: dt.date
    id_kinds: dict = field(default_factory=dict)  # kind -> {id: entry}
    regions: dict = field(default_factory=dict)  # code -> level

    @classmethod
    def build(cls, index: Index, as_of: dt.date) -> "Repo":
        repo = cls(index, as_of)
        repo.id_kinds = {kind: {} for kind in (*KIND_LETTERS, "programme")}
        for entry in index.entries.values():
            if entry.rid and entry.kind:
                repo.id_kinds.setdefault(entry.kind, {}).setdefault(entry.rid, entry)
        coordinators = index.singleton("coordinators")
        for c in _items(coordinators, "coordinators"):
            if isinstance(c.get("id"), str):
                repo.id_kinds["coordinator"].setdefault(c["id"], coordinators)
        repo.regions = {r["code"]: r.get("level") for r in _items(index.singleton("regions"), "regions")
                        if isinstance(r.get("code"), str)}
        return repo

    def all_ids(self):
        """(id, file, field path) of every id defined in the repository."""
        for entry in self.index.entries.values():
            if entry.rid:
                yield entry.rid, entry.path, ("id",)
        coordinators = self.index.singleton("coordinators")
        for i, c in enumerate(_items(coordinators, "coordinators")):
            if isinstance(c.get("id"), str):
                yield c["id"], coordinators.path, ("coordinators", i, "id")

    def found(self, code: str, path: str, where: tuple, record=None, /, **params) -> Problem:
        """A problem from a repository rule; its line is filled in by :func:`check`."""
        rule = REGISTRY[code]
        return make(code, path, 0, 0, severity=rule.severity, record=record,
                    field=field_name(where), **params)


def _items(entry, key: str) -> list:
    if entry is None or not isinstance(entry.fields, dict):
        return []
    items = entry.fields.get(key)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


@dataclass
class Result:
    problems: list
    files: int
    records: int
    strict: bool = False
    root: Path | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def check(root: Path, *, as_of: dt.date, paths: list[str] | None = None, strict: bool = False,
          use_cache: bool = True, index: Index | None = None) -> Result:
    """Check the repository at ``root``; report problems in ``paths`` (all files if None)."""
    index = index or Index(root, use_cache).refresh()
    repo = Repo.build(index, as_of)
    problems: list[Problem] = []
    for entry in index.entries.values():
        problems.extend(entry.problems)
    for rule in repository_rules():
        try:
            problems.extend(rule.func(repo) or ())
        except Exception as exc:  # a crashing rule is reported, never a traceback
            problems.append(make("AM001", "aimama.yaml", rule=rule.code, detail=repr(exc)))
    if paths is not None:
        problems = [p for p in problems if selected(p.file, paths)]
    problems = _with_lines(root, problems)
    if strict:
        problems = [replace(p, severity=ERROR) if p.severity == WARNING and REGISTRY.get(p.code)
                    and REGISTRY[p.code].timed else p for p in problems]
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    shown = [e for e in index.entries.values() if paths is None or selected(e.path, paths)]
    records = sum(1 for e in shown if e.rid or e.kind == "activity")
    return Result(problems, len(shown), records, strict, root)


def selected(path: str, wanted: list[str]) -> bool:
    """Whether ``path`` is one of ``wanted`` or lies in one of its folders."""
    return any(path == w or path.startswith(w.rstrip("/") + "/") or w in ("", ".") for w in wanted)


def _with_lines(root: Path, problems: list[Problem]) -> list[Problem]:
    """Repository rules name a field; parse just the files concerned to find its line."""
    trees: dict[str, object] = {}
    result = []
    for p in problems:
        if p.line:
            result.append(p)
            continue
        if p.file not in trees:
            try:
                trees[p.file] = parse(decode((root / p.file).read_bytes())).root
            except (OSError, YamlProblem):
                trees[p.file] = None
        tree = trees[p.file]
        if tree is None:
            result.append(replace(p, line=1, column=1))
            continue
        line, col = locate(tree, field_path(p.field))
        result.append(replace(p, line=line, column=col))
    return result


def affected(index: Index, changed: list[str]) -> list[str]:
    """The changed files plus every record that refers to them or that they refer to, so that a
    check of the selection gives the same answer for those files as a full check.  A deleted
    file counts by its name (its id): records still pointing at it must be looked at."""
    changed_set = set(changed)
    ids = {Path(p).stem for p in changed}
    ids.update(e.rid for p in changed if (e := index.entries.get(p)) and e.rid)
    targets = {value for p in changed if (e := index.entries.get(p)) for _, _, value in e.refs}
    result = set(p for p in changed if p in index.entries)
    for entry in index.entries.values():
        if entry.rid in targets or any(value in ids for _, _, value in entry.refs):
            result.add(entry.path)
    if changed_set & {"records/regions.yaml", "records/coordinators.yaml", "aimama.yaml"}:
        result.update(index.entries)  # everything may depend on these
    return sorted(result)

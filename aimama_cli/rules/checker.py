"""``aimama check``: every rule over the record index, problems collected, then reported."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from aimama_cli.core.paused_gc import paused_gc
from aimama_cli.core.problems import ERROR, WARNING, Problem, make
from aimama_cli.core.workers import follower
from aimama_cli.rules import FILE_CHECKS, REGISTRY, duties, repository_rules, sealing
from aimama_cli.store import transaction
from aimama_cli.store.analysis import field_path, file_limit
from aimama_cli.store.index import Index, Kept
from aimama_cli.store.index_rows import ID_NUMBER
from aimama_cli.store.layout import Reader, Unread
from aimama_cli.store.yamlio import YamlProblem, decode, locate, node_tree


@dataclass
class Repo:
    """What repository rules see: the index (an SQLite connection) and the day of the check."""

    index: Index
    day: dt.date  # read through as_of, which notes that it was read
    scoped: bool = False
    judging: bool = False  # a change is judged (see changing)
    read_day: bool = False  # a rule asked for the day: what it found may change with the day alone

    @property
    def as_of(self) -> dt.date:
        self.read_day = True
        return self.day

    @property
    def db(self):
        return self.index.db

    def restrict(self, paths: set[str]) -> None:
        """Rules look only at these files (and the ids they define) from now on."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS scope(path TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM scope")
        self.db.executemany("INSERT INTO scope VALUES (?)", ((p,) for p in paths))
        self.scoped = True

    def within(self, column: str) -> str:
        """An SQL condition keeping rows whose ``column`` (a path) is in scope."""
        return f"AND {column} IN (SELECT path FROM scope)" if self.scoped else ""

    def changing(self, paths) -> None:
        """These files are the change being judged: of two records that may not both exist,
        the one changed is the one refused, and it names the other (the one already there)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS changing(path TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM changing")
        self.db.executemany("INSERT INTO changing VALUES (?)", ((p,) for p in paths))
        self.judging = True

    def seniority(self, column: str) -> str:
        """An SQL expression ordering ``column`` (a path): the records already there by path,
        then those of the change being judged; a duplicate is reported on the later one."""
        if not self.judging:
            return column
        return f"(CASE WHEN {column} IN (SELECT path FROM changing) THEN '1' ELSE '0' END || {column})"

    def found(self, code: str, path: str, field: str | None, record=None, /, **params) -> Problem:
        """A problem from a repository rule; its line is filled in by :func:`check`."""
        return make(code, path, 0, 0, severity=REGISTRY[code].severity, record=record,
                    field=field, **params)

    def has_regions(self) -> bool:
        return self.db.execute("SELECT 1 FROM ids WHERE kind = 'region' LIMIT 1").fetchone() is not None


@dataclass
class Result:
    problems: list
    files: int
    records: int
    strict: bool = False
    root: Path | None = None
    texts: dict = field(default_factory=dict)  # content not yet on disk, by path (a refused change)
    index: Index | None = field(default=None, compare=False, repr=False)  # judged from: keeps quoted lines

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def check(root: Path, *, as_of: dt.date, paths: list[str] | None = None, strict: bool = False,
          use_cache: bool = True, index: Index | None = None) -> Result:
    """Check the repository at ``root``; report problems in ``paths`` (all files if None)."""
    index = index or open_index(root, use_cache)
    try:
        return _judged(index, as_of, paths, strict)
    except sqlite3.DatabaseError as exc:  # a page of the index file damaged, found by a rule
        if not index.discard_damaged(exc):
            raise
    return _judged(open_index(root, use_cache), as_of, paths, strict)


def _judged(index: Index, as_of: dt.date, paths: list[str] | None, strict: bool) -> Result:
    problems = index.file_problems() + repository_problems(index, as_of)
    if paths is not None:
        problems = [p for p in problems if selected(p.file, paths)]
    if strict:
        problems = [replace(p, severity=ERROR) if p.severity == WARNING and REGISTRY.get(p.code)
                    and REGISTRY[p.code].timed else p for p in problems]
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    files, records = _counts(index, paths)
    return Result(problems, files, records, strict, index.root, index=index)


RECORD = "rid IS NOT NULL OR kind = 'activity'"  # files that hold records (not config, lists)


@paused_gc()  # the rules over a province's index: millions of small objects, no cycles
def repository_problems(index: Index, as_of: dt.date) -> list[Problem]:
    """Every repository rule's problems, with lines; kept in the index until a file changes.
    On another day, only the rules that read the day are judged again: the others' problems
    depend on the records alone (a rule that reads the day in any run is judged every day)."""
    kept = index.cached_repository_problems(as_of.isoformat()) or Kept({}, [], [], set(), {})
    rules = repository_rules()
    if not kept.pending and all(rule.code in kept.problems for rule in rules):
        return [p for rule in rules for p in kept.problems[rule.code]]
    found: dict[str, list[Problem]] = {}
    dayfree: set[str] = set()
    if kept.problems and kept.pending:  # only the records linked to what changed are looked at again
        pending = kept.pending
        named = set(pending) | {Path(p).stem for p in pending}
        linked = {p.file for problems in kept.problems.values() for p in problems
                  if any(v in named for _k, v in p.params)}  # "same as X"
        scope = set(affected(index, pending, kept.links)) | set(pending) | linked  # a deleted file's go too
        part = Repo(index, as_of)
        part.restrict(scope)
        for rule in rules:
            if rule.code in kept.problems:  # what a rule finds outside the scope (the other of two
                problems, read_day = _judged_rule(rule, part)  # duplicates) is kept from before
                found[rule.code] = [p for p in kept.problems[rule.code] if p.file not in scope] + \
                    [p for p in problems if p.file in scope]
                if not read_day and rule.code in kept.dayfree:
                    dayfree.add(rule.code)
    else:
        found = dict(kept.problems)
        dayfree = set(kept.problems) & kept.dayfree
    anew = [rule for rule in rules if rule.code not in kept.problems]
    for rule, (problems, read_day) in zip(anew, _every_rule(Repo(index, as_of), anew)):
        found[rule.code] = problems
        if not read_day:
            dayfree.add(rule.code)
    found = _lines_by_rule(index.root, found, kept.lines)
    index.cache_repository_problems(as_of.isoformat(), found, dayfree)
    return [p for rule in rules for p in found[rule.code]]


def _lines_by_rule(root: Path, found: dict[str, list[Problem]], located: dict) -> dict[str, list[Problem]]:
    """:func:`_with_lines` over every rule's problems at once (a file is parsed once)."""
    every = _with_lines(root, [p for problems in found.values() for p in problems], located=located)
    result, at = {}, 0
    for code, problems in found.items():
        result[code], at = every[at:at + len(problems)], at + len(problems)
    return result


APART_FROM = 20_000  # files: below this, a second process for the rules costs more than it saves
AT_HOME = duties.ON_EVERY_CORE  # rules judged in this process when the others are judged apart
_apart: tuple | None = None  # what the forked process judging the other rules inherits
Judged = tuple[list[Problem], bool]  # a rule's problems, and whether it read the day


def _every_rule(repo: Repo, rules: list) -> list[Judged]:
    """Each of ``rules`` judged, in their order.  Over a whole index of a province (a file,
    not in memory, where fork is), a forked process with a connection of its own judges rules
    meanwhile, on the other core: this one judges :data:`AT_HOME` first, then both take the
    others one by one until none is left.  What that process fails to judge is judged here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _apart
    index = repo.index
    shared = [rule.code for rule in rules if rule.code not in AT_HOME]
    if not shared or repo.scoped or not index.use_cache \
            or "fork" not in multiprocessing.get_all_start_methods() \
            or index.db.execute("SELECT count(*) FROM files").fetchone()[0] < APART_FROM:
        return [_judged_rule(rule, repo) for rule in rules]
    context = multiprocessing.get_context("fork")
    _apart = (index.root, repo.day, shared, context.Value("i", 0))  # the next of shared to take
    by_code = {rule.code: rule for rule in rules}
    try:
        with ProcessPoolExecutor(1, context, follower()) as pool:
            there = pool.submit(_judge_apart)
            found = {code: _judged_rule(rule, repo) for code, rule in by_code.items() if code in AT_HOME}
            found.update((code, _judged_rule(by_code[code], repo)) for code in _taking(*_apart[2:]))
            try:
                found.update(there.result())
            except (Exception, SystemExit):  # it could not judge them (killed, interrupted, the index unreadable)
                pass
    finally:
        _apart = None
    return [found[rule.code] if rule.code in found else _judged_rule(rule, repo) for rule in rules]


def _taking(codes: list[str], taken):
    """Each of ``codes`` not yet taken by the other process, taken in turn (``taken``: a
    counter both share)."""
    while True:
        with taken.get_lock():
            at = taken.value
            taken.value = at + 1
        if at >= len(codes):
            return
        yield codes[at]


def _judge_apart() -> dict[str, Judged]:
    root, as_of, codes, taken = _apart
    repo = Repo(Index.of_worker(root), as_of)
    rules = {rule.code: rule for rule in repository_rules()}
    return {code: _judged_rule(rules[code], repo) for code in _taking(codes, taken)}


def _judged_rule(rule, repo: Repo) -> Judged:
    found: list[Problem] = []
    repo.read_day = False
    try:  # what the rule found before it crashed is kept
        found.extend(rule.func(repo) or ())
    except Exception as exc:  # a crashing rule is reported, never a traceback
        found.append(make("AM001", "aimama.yaml", rule=rule.code, detail=repr(exc)))
        repo.read_day = True  # it may not crash another day
    return found, repo.read_day


def change_problems(index: Index, contents: dict[str, bytes | None], as_of: dt.date) -> list[Problem]:
    """The errors that writing ``contents`` (None: removing the file) would add, in the files
    written and the records linked to them; judged on the index alone, nothing is written.

    ``as_of`` is the day the command acts on (``--on``), but a change is judged on a day
    ``check`` could judge it on: never after today, or a date written in the future (a pairing
    begun ``--on 2099-01-01``) would pass here and fail every check after the commit (AM505)."""
    as_of = min(as_of, dt.date.today())
    with index.overlay(contents):
        scope = affected(index, list(contents))
        after = _scoped_problems(index, scope, as_of, list(contents))
    before = _scoped_problems(index, scope, as_of, list(contents))  # the same records, as they are now
    known = Counter(_identity(p) for p in before)
    added = []
    for p in after:
        if known[_identity(p)]:
            known[_identity(p)] -= 1
        elif p.severity == ERROR:
            added.append(p)
    texts = {path: raw.decode("utf-8", "replace") for path, raw in contents.items() if raw}
    return sorted(_with_lines(index.root, added, texts))


def _identity(p: Problem) -> tuple:
    return (p.file, p.code, p.record, p.field, p.params)


def _scoped_problems(index: Index, paths: list[str], as_of: dt.date, changing: list[str]) -> list[Problem]:
    """Every problem in ``paths``, looking again at the repository rules for them (``changing``:
    the files of the change judged)."""
    wanted = set(paths)
    repo = Repo(index, as_of)
    repo.restrict(wanted)
    repo.changing(changing)
    problems = index.file_problems(paths)
    for rule in repository_rules():
        problems.extend(p for p in rule.func(repo) or () if p.file in wanted)
    return problems


def _counts(index: Index, paths: list[str] | None) -> tuple[int, int]:
    """How many files and records the check covered."""
    if paths is None:
        return index.remembered("totals", lambda: index.db.execute(
            f"SELECT count(*), coalesce(sum({RECORD}), 0) FROM files").fetchone())
    chosen = [r for p, r in index.db.execute(f"SELECT path, {RECORD} FROM files") if selected(p, paths)]
    return len(chosen), sum(chosen)


def selected(path: str, wanted: list[str]) -> bool:
    """Whether ``path`` is one of ``wanted`` or lies in one of its folders."""
    return any(path == w or path.startswith(w.rstrip("/") + "/") or w in ("", ".") for w in wanted)


def _with_lines(root: Path, problems: list[Problem], texts: dict | None = None,
                located: dict | None = None) -> list[Problem]:
    """Repository rules name a field; parse just the files concerned to find its line (from
    ``texts`` for content not yet written), unless ``located`` knows it ({(path, code, field):
    (line, column)}, found by an earlier check in a file unchanged since)."""
    texts, located = texts or {}, located or {}
    trees: dict[str, object] = {}
    result = []
    with Reader(root, file_limit(root)) as reader:
        for p in problems:
            if p.line:
                result.append(p)
                continue
            if (p.file, p.code, p.field) in located:
                line, col = located[p.file, p.code, p.field]
                result.append(replace(p, line=line, column=col))
                continue
            if p.file not in trees:
                try:
                    text = texts.get(p.file) or decode(reader.read(p.file))
                    trees[p.file] = node_tree(text)
                except (OSError, YamlProblem, Unread):  # the file's own problem says why
                    trees[p.file] = None
            tree = trees[p.file]
            line, col = locate(tree, field_path(p.field)) if tree is not None else (1, 1)
            result.append(replace(p, line=line, column=col))
    return result


def affected(index: Index, changed: list[str], before: list[str] = ()) -> list[str]:
    """The changed files plus every record that refers to them or that they refer to, and the
    records a duplicate rule may pair with them — naming the same child, volunteer or team, or
    with the same ID number or a child's birth date (of two duplicates, whichever sorts later is
    reported) — so that a check of the selection gives the same answer for those files as a
    full check.  A deleted file counts by its name (its id): records still pointing at it must
    be looked at.  ``before``: the ids the changed files defined or named before they changed
    (a file that no longer parses names nothing now): those defined by no other file are linked
    as both, the others (a village, a coordinator) as what they named only — every record of a
    village naming it is not linked to a child of the village."""
    if set(changed) & {"records/regions.yaml", "records/coordinators.yaml", "aimama.yaml"} or \
            any(p.startswith("records/programmes/") for p in changed):
        return list(index.paths())  # everything may depend on these (a programme: duties, training)
    changed_json = json.dumps(changed)
    ids = [Path(p).stem for p in changed]
    rows = index.db.execute(
        f"""
        WITH changed(path) AS (SELECT value FROM json_each(?1)),
             named(id) AS (SELECT value FROM json_each(?2)
                           UNION SELECT value FROM json_each(?3) WHERE NOT EXISTS
                                 (SELECT 1 FROM ids WHERE ids.id = value AND ids.path NOT IN changed)
                           UNION SELECT id FROM ids WHERE path IN changed),
             targets(id) AS (SELECT target FROM refs WHERE path IN changed
                             UNION SELECT value FROM json_each(?3))
        SELECT path FROM files WHERE path IN changed
        UNION SELECT path FROM refs WHERE target IN named
        UNION SELECT path FROM ids WHERE id IN named
        UNION SELECT path FROM ids WHERE id IN targets
        UNION SELECT path FROM refs WHERE target IN targets
                                      AND target_kind IN ('child', 'volunteer', 'team')
        UNION SELECT path FROM files INDEXED BY files_id_number WHERE kind IN ('child', 'volunteer')
            AND {ID_NUMBER} IN (SELECT {ID_NUMBER} FROM files WHERE path IN changed)
        UNION SELECT path FROM files INDEXED BY files_birth_date WHERE kind = 'child'
            AND json_extract(fields, '$.birth_date') IN
                (SELECT json_extract(fields, '$.birth_date') FROM files
                 WHERE path IN changed AND kind = 'child')
        """, (changed_json, json.dumps(ids), json.dumps(list(before))))
    return sorted(p for (p,) in rows)


def encryption_problems(root: Path, base: str | None = None, changed: list[str] = ()) -> list[Problem]:
    """The repository's encryption as a whole (keys.yaml where aimama.yaml requires it) and,
    with ``base``, what a change since it undoes of the encryption it had there."""
    problems = sealing.state_problems(root)
    if base is not None:
        problems += sealing.base_problems(root, base, list(changed))
    return problems


def open_index(root: Path, use_cache: bool = True) -> Index:
    """The record index of ``root``, brought up to date with every file rule: how every command
    opens it.  A change a killed command left unfinished is settled first, so that no command
    reads a work tree half way between two commits."""
    transaction.settle(root)
    return Index(root, use_cache, FILE_CHECKS).refresh()

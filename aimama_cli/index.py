"""The record index: what every command reads records through.

Parsing dominates the cost of a check (about 0.3 ms a file even with libyaml), so the index
keeps, for every record file, what commands and repository rules need — kind, id, the fields
the schema marks ``x-index``, references, the latest date, and the file's own problems — in a
cache under ``.aimama/``.  A run stats every file; a file whose size and mtime are unchanged is
taken from the cache, one whose content hash is unchanged too, and only the rest is parsed
again (in worker processes when there are many).  Full records are read from their files by
the commands that need them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, layout, schemas
from .problems import ERROR, Problem, make
from .rules import file_rules
from .yamlio import YamlProblem, atomic_write, decode, locate, locate_key, parse

CACHE_DIR = ".aimama"
CACHE_FILE = "index.marshal"
PARALLEL_THRESHOLD = 400  # below this many files to parse, worker start-up costs more than it saves
RACY_SECONDS = 2.0  # a file changed this close to the last index write is hashed again


@dataclass
class Entry:
    path: str
    kind: str | None
    rid: str | None = None
    fields: dict = field(default_factory=dict)
    refs: list = field(default_factory=list)  # [(path tuple, target kind, value)]
    max_date: tuple | None = None  # (date, path tuple): for the "no date in the future" rule
    problems: list = field(default_factory=list)
    size: int = -1
    mtime: int = -1
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    def to_row(self) -> tuple:
        return (self.kind, self.rid, self.fields, self.refs, self.max_date,
                [p.to_tuple() for p in self.problems], self.size, self.mtime, self.digest)

    @classmethod
    def from_row(cls, path: str, row) -> "Entry":
        kind, rid, fields_, refs, max_date, problems, size, mtime, digest = row
        return cls(path, kind, rid, fields_, [tuple(r) for r in refs],
                   tuple(max_date) if max_date else None,
                   [Problem.from_tuple(p) for p in problems], size, mtime, digest)


@dataclass
class FileContext:
    """What a file rule sees: one parsed record and a way to report on its fields."""

    path: str
    kind: str
    data: dict
    root: object

    @property
    def rid(self):
        return self.data.get("id") if isinstance(self.data.get("id"), str) else None

    def problem(self, code: str, path: tuple = (), /, *, key: bool = False, severity: str = ERROR,
                **params) -> Problem:
        line, col = (locate_key if key else locate)(self.root, path)
        return make(code, self.path, line, col, severity=severity, record=self.rid,
                    field=field_name(path), **params)


def field_name(path: tuple) -> str | None:
    """('entries', 3, 'child') -> 'entries[3].child'."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or None


def field_path(name: str | None) -> tuple:
    """The inverse of :func:`field_name`."""
    if not name:
        return ()
    steps: list = []
    for part in name.replace("[", ".[").split("."):
        if part.startswith("["):
            steps.append(int(part[1:-1]))
        elif part:
            steps.append(part)
    return tuple(steps)


def digest_bytes(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _digest_file(path: Path) -> str | None:
    try:
        return digest_bytes(path.read_bytes())
    except OSError:
        return None  # parse it again: that reports what is wrong with it


# --- one file -----------------------------------------------------------------------------------

def analyse(path: str, raw: bytes) -> Entry:
    """Everything the index keeps about one file, from its bytes."""
    kind, misplaced = layout.classify(path)
    entry = Entry(path, kind, digest=digest_bytes(raw))
    if kind is None:
        entry.problems.append(make("AM304", path, reason=misplaced))
        return entry
    try:
        parsed = parse(decode(raw))
    except YamlProblem as exc:
        entry.problems.append(make(exc.code, path, exc.line, exc.column, **exc.params))
        return entry
    ctx = FileContext(path, kind, parsed.data, parsed.root)
    entry.rid = ctx.rid
    entry.problems.extend(schema_problems(ctx))
    for rule in file_rules(kind):
        try:
            entry.problems.extend(rule.func(ctx) or ())
        except Exception as exc:  # a rule that crashes is a problem to report, not a crash
            entry.problems.append(ctx.problem("AM001", rule=rule.code, detail=repr(exc)))
    _extract(entry, kind, parsed.data)
    return entry


def _extract(entry: Entry, kind: str, data: dict) -> None:
    info = schemas.info(kind)
    if info.indexed == ["*"]:
        entry.fields = data
    else:
        for name in info.indexed:
            value = data
            for step in name.split("."):
                value = value.get(step) if isinstance(value, dict) else None
            if value is not None:
                entry.fields[name] = value
    for pattern, target in info.refs:
        for path, value in schemas.iter_pattern(data, pattern):
            if isinstance(value, str):
                entry.refs.append((path, target, value))
    latest = None
    for pattern in info.dates:
        for path, value in schemas.iter_pattern(data, pattern):
            if isinstance(value, str) and (latest is None or value > latest[0]):
                latest = (value, path)
    entry.max_date = latest


def schema_problems(ctx: FileContext) -> list[Problem]:
    problems = []
    for error in schemas.validator(ctx.kind).iter_errors(ctx.data):
        path = tuple(error.instance_path)
        kind = type(error.kind).__name__
        if kind == "AdditionalProperties":
            for name in error.kind.unexpected:
                problems.append(ctx.problem("AM201", path + (name,), key=True, name=name))
        elif kind == "Required":
            problems.append(ctx.problem("AM202", path, key=True, name=error.kind.property,
                                        where=field_name(path) or "/"))
        elif kind == "Type":
            expected = "/".join(str(t).rsplit(".", 1)[-1].lower() for t in error.kind.types)
            value = _instance(ctx.data, path)
            code = "AM204" if expected == "string" and isinstance(value, (int, float)) else "AM203"
            problems.append(ctx.problem(code, path, expected=expected, value=repr(value)))
        elif kind == "Enum":
            allowed = ", ".join(map(str, error.kind.options))
            problems.append(ctx.problem("AM205", path, value=repr(_instance(ctx.data, path)),
                                        allowed=allowed))
        elif kind in ("Pattern", "MinLength", "MaxLength", "Minimum", "Maximum", "MinItems",
                      "MaxItems", "UniqueItems", "Constant"):
            problems.append(ctx.problem("AM206", path, value=repr(_instance(ctx.data, path)),
                                        detail=error.message))
        else:
            problems.append(ctx.problem("AM209", path, detail=error.message))
    return problems


def _instance(data, path):
    for step in path:
        data = data[step]
    return data


def _analyse_file(args) -> tuple:
    root, path = args
    try:
        raw = (Path(root) / path).read_bytes()
    except FileNotFoundError:
        return path, None  # removed while we looked: it is not part of the records any more
    except OSError as exc:  # unreadable (permissions, a broken disk): report it, go on
        entry = Entry(path, layout.classify(path)[0])
        entry.problems.append(make("AM109", path, detail=exc.strerror or str(exc)))
        return path, entry.to_row()
    return path, analyse(path, raw).to_row()


# --- the whole repository ---------------------------------------------------------------------

def code_digest() -> str:
    """Changes when aimama or its schemas change, so that a cache never outlives its rules."""
    h = hashlib.sha1(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.read_bytes())
    h.update(schemas.digest().encode())
    return h.hexdigest()


@dataclass
class Stats:
    files: int = 0
    parsed: int = 0
    hashed: int = 0
    seconds: float = 0.0


class Index:
    """All entries of a repository, kept up to date with the files on disk."""

    def __init__(self, root: Path, use_cache: bool = True):
        self.root = Path(root)
        self.use_cache = use_cache
        self.entries: dict[str, Entry] = {}
        self.stats = Stats()

    @property
    def cache_path(self) -> Path:
        return self.root / CACHE_DIR / CACHE_FILE

    def _load_cache(self) -> tuple[dict, float]:
        if not self.use_cache:
            return {}, 0.0
        try:
            blob = marshal.loads(self.cache_path.read_bytes())
            if blob["key"] != code_digest():
                return {}, 0.0
            return blob["rows"], blob["written"]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return {}, 0.0  # no cache, or one from another version: rebuild

    def _save_cache(self) -> None:
        if not self.use_cache:
            return
        rows = {path: e.to_row() for path, e in self.entries.items()}
        blob = marshal.dumps({"key": code_digest(), "written": time.time(), "rows": rows})
        try:
            (self.root / CACHE_DIR).mkdir(exist_ok=True)
            ignore = self.root / CACHE_DIR / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            tmp = self.cache_path.with_suffix(".tmp")
            tmp.write_bytes(blob)
            os.replace(tmp, self.cache_path)
        except OSError:
            pass  # a read-only checkout still checks, only slower next time

    def refresh(self, workers: int | None = None) -> "Index":
        """Bring the index up to date with the files on disk."""
        started = time.perf_counter()
        cached, written = self._load_cache()
        racy_after = (written - RACY_SECONDS) * 1e9
        fresh: dict[str, Entry] = {}
        to_parse: list[str] = []
        changed = False
        for path, st in layout.scan(self.root):
            row = cached.get(path)
            if row is not None and row[6] == st.st_size and row[7] == st.st_mtime_ns \
                    and st.st_mtime_ns < racy_after:
                fresh[path] = Entry.from_row(path, row)
                continue
            changed = True
            if row is not None:  # touched: unchanged content keeps its analysis
                self.stats.hashed += 1
                if _digest_file(self.root / path) == row[8]:
                    entry = Entry.from_row(path, row)
                    entry.size, entry.mtime = st.st_size, st.st_mtime_ns
                    fresh[path] = entry
                    continue
            to_parse.append(path)
            fresh[path] = Entry(path, None, size=st.st_size, mtime=st.st_mtime_ns)
        for path, row in self._parse_all(to_parse, workers):
            if row is None:
                del fresh[path]
                continue
            entry = Entry.from_row(path, row)
            entry.size, entry.mtime = fresh[path].size, fresh[path].mtime
            fresh[path] = entry
        changed = changed or len(fresh) != len(cached)
        self.entries = dict(sorted(fresh.items()))
        self.stats.files, self.stats.parsed = len(fresh), len(to_parse)
        if changed:
            self._save_cache()
        self.stats.seconds = time.perf_counter() - started
        return self

    def _parse_all(self, paths: list[str], workers: int | None):
        jobs = [(str(self.root), p) for p in paths]
        workers = workers or min(2, os.cpu_count() or 1)
        if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
            return map(_analyse_file, jobs)
        import multiprocessing

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with context.Pool(workers) as pool:
            return pool.map(_analyse_file, jobs, chunksize=256)

    # --- lookups used by rules and commands --------------------------------------------------

    def of_kind(self, kind: str):
        return (e for e in self.entries.values() if e.kind == kind)

    def singleton(self, kind: str) -> Entry | None:
        return next(self.of_kind(kind), None)

    def by_id(self) -> dict[str, list[Entry]]:
        ids: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            if entry.rid:
                ids.setdefault(entry.rid, []).append(entry)
        return ids

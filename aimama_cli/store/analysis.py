"""What the index keeps about one record file, worked out from its bytes alone.

Runs in worker processes on a cold index, so it needs nothing but the file: parse, validate
against the kind's schema, run the file rules, and pull out what repository rules and commands
query later (id, references, indexed fields, the latest date).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aimama_cli.core.problems import ERROR, Problem, field_name, make
from aimama_cli.core.problems import field_path as field_path  # where it was
from aimama_cli.store import layout, schemas
from aimama_cli.store.sealing import crypto, masking
from aimama_cli.store.yamlio import Parsed, YamlProblem, decode, locate, locate_key, parse, path_to


@dataclass(frozen=True)
class FileChecks:
    """The checks run on every file the index parses, given by the rules layer
    (``aimama_cli.rules.FILE_CHECKS``): the store itself knows no rule.  Plain module-level
    functions, so that they reach worker processes by name."""

    rules_for: Callable[[str], list]  # kind -> the file rules for it
    file_name: Callable[[str, bool], list]  # (path, sealed) -> problems of the name itself


@dataclass
class Entry:
    path: str
    kind: str | None
    rid: str | None = None
    fields: dict = field(default_factory=dict)  # the schema's x-index fields (all, for singletons)
    defines: list = field(default_factory=list)  # [(id, kind, field name, extra)] ids it defines
    refs: list = field(default_factory=list)  # [(field name, target kind, value)]
    max_date: tuple | None = None  # (date, field name): for the "no date in the future" rule
    problems: list = field(default_factory=list)
    digest: str = ""


@dataclass
class FileContext:
    """What a file rule sees: one parsed record and a way to report on its fields."""

    path: str
    kind: str
    data: dict  # with the coordinator's key: the sensitive values decrypted
    parsed: Parsed | None  # the file as read: its node tree locates a field
    sealed: bool = False  # the repository encrypts its sensitive fields (keys.yaml exists)
    stored: dict | None = None  # the record as stored, when ``data`` holds decrypted values

    @property
    def root(self):
        return self.parsed.root

    @property
    def as_stored(self) -> dict:
        """The record as the file holds it (ENC values and all), whether or not a key opened it."""
        return self.stored if self.stored is not None else self.data

    @property
    def rid(self):
        return self.data.get("id") if isinstance(self.data.get("id"), str) else None

    def problem(self, code: str, path: tuple = (), /, *, key: bool = False, severity: str = ERROR,
                **params) -> Problem:
        line, col = (locate_key if key else locate)(self.root, path)
        return make(code, self.path, line, col, severity=severity, record=self.rid,
                    field=field_name(path), **params)


def digest_bytes(raw: bytes) -> str:
    """git's blob id of the content, so the index can be compared with what git knows."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def digest_file(path: Path) -> str | None:
    """The blob id of a record file read as :func:`analyse_file` reads it; None when it cannot
    be (parse it again: that reports what is wrong with it)."""
    root = path.parent  # the index gives the full path: its root is the nearest records' root
    while root.name and not (root / layout.RECORDS).is_dir() and not (root / layout.CONFIG).exists():
        root = root.parent
    try:
        return digest_bytes(layout.read_file(root, path.relative_to(root).as_posix(), file_limit(root)))
    except (OSError, ValueError, layout.Unread):
        return None


_LIMITS: dict = {}  # root -> (stat of its aimama.yaml, the limit it sets)


def file_limit(root) -> int:
    """The largest file read as a record: aimama.yaml ``limits.max_file_bytes``, else
    :data:`layout.MAX_FILE_BYTES` (read again only when aimama.yaml changes: one stat a call)."""
    root = os.fspath(root)
    try:
        st = os.stat(os.path.join(root, layout.CONFIG), follow_symlinks=False)
    except OSError:
        return layout.MAX_FILE_BYTES
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    known = _LIMITS.get(root)
    if known is not None and known[0] == key:
        return known[1]
    limit = layout.MAX_FILE_BYTES
    try:
        config = parse(decode(layout.read_file(Path(root), layout.CONFIG))).data
        wanted = (config.get("limits") or {}).get("max_file_bytes")
        if isinstance(wanted, int) and not isinstance(wanted, bool) and wanted > 0:
            limit = wanted
    except (OSError, YamlProblem, layout.Unread, AttributeError):
        pass  # check reports what is wrong with aimama.yaml
    _LIMITS[root] = (key, limit)
    return limit


_RULES: dict = {}  # (rules_for, kind) -> the file rules, looked up once a kind in a build


def fresh_rules() -> None:
    """A build starts: forget the file rules looked up (one may have been registered or
    replaced since); then they are looked up once a kind, not once a file (489,000 of them)."""
    _RULES.clear()


# --- one file -----------------------------------------------------------------------------------

def analyse(path: str, raw: bytes, checks: FileChecks, sealed: bool = False) -> Entry:
    """Everything the index keeps about one file, from its bytes (``sealed``: in an encrypted
    repository)."""
    kind, misplaced = layout.classify(path)
    entry = Entry(path, kind, digest=digest_bytes(raw))
    entry.problems.extend(checks.file_name(path, sealed))
    if kind is None:
        entry.problems.append(make("AM304", path, reason=misplaced))
        return entry
    try:
        parsed = parse(decode(raw))
    except YamlProblem as exc:
        entry.problems.append(make(exc.code, path, exc.line, exc.column, **exc.params))
        return entry
    ctx = FileContext(path, kind, parsed.data, parsed, sealed)
    entry.rid = ctx.rid
    sealer = crypto.active()
    if sealer is not None and schemas.info(kind).sensitive:  # rules judge the plaintext
        ctx.data, failed = sealer.unseal(kind, parsed.data)
        ctx.stored = parsed.data
        entry.problems.extend(ctx.problem("AM110", where) for where in failed)
    if entry.rid:
        entry.defines.append((entry.rid, kind, "id", None))
    entry.problems.extend(schema_problems(ctx, parsed.odd))
    rules = _RULES.get((checks.rules_for, kind))
    if rules is None:
        rules = _RULES[(checks.rules_for, kind)] = checks.rules_for(kind)
    for rule in rules:
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
        for name, steps, item_fields in _indexed_plan(kind):
            if item_fields is None:
                value = _get(data, steps)
                if value is not None:
                    entry.fields[name] = value
                continue
            items = data.get(name)  # "entries.*.date": the date of every entry, in fields["entries"][i]
            if isinstance(items, list):
                rows = entry.fields[name] = [{} for _ in items]
                for row, item in zip(rows, items):
                    if not isinstance(item, dict):
                        continue
                    for item_name, item_steps in item_fields:  # (a year's log: 13 fields of 14 entries)
                        value = item.get(item_name) if len(item_steps) == 1 else _get(item, item_steps)
                        if value is not None:
                            row[item_name] = value
    for pattern, target in info.refs:
        for path, value in schemas.iter_pattern(data, pattern):
            if isinstance(value, str):
                entry.refs.append((field_name(path), target, value))
    for pattern, (kind_defined, extra) in DEFINES.get(kind, {}).items():
        for path, value in schemas.iter_pattern(data, pattern):
            if isinstance(value, str):
                parent = _instance(data, path[:-1])
                entry.defines.append((value, kind_defined, field_name(path),
                                      parent.get(extra) if extra else None))
    latest = None
    for pattern in (p for p in info.dates if p not in info.ahead):  # what happened, not what will
        for path, value in schemas.iter_pattern(data, pattern):
            if isinstance(value, str) and (latest is None or value > latest[0]):
                latest = (value, field_name(path))
    entry.max_date = latest


_PLANS: dict = {}


def _indexed_plan(kind: str) -> list:
    """The schema's x-index fields of ``kind`` as [(name, its steps, None)] for a field and
    [(list name, None, [(item field, its steps)])] for the fields of a list's items (grouped
    where the list is first named: each item is visited once), worked out once a kind."""
    if kind not in _PLANS:
        plan, lists = [], {}
        for name in schemas.info(kind).indexed:
            list_name, star, item_name = name.partition(".*.")
            if not star:
                plan.append((name, tuple(name.split(".")), None))
            elif list_name in lists:
                lists[list_name].append((item_name, tuple(item_name.split("."))))
            else:
                lists[list_name] = [(item_name, tuple(item_name.split(".")))]
                plan.append((list_name, None, lists[list_name]))
        _PLANS[kind] = plan
    return _PLANS[kind]


def _get(data, steps: tuple):
    for step in steps:
        data = data.get(step) if isinstance(data, dict) else None
    return data


# ids defined inside the list files: pattern -> (kind, the sibling field stored as "extra")
DEFINES = {
    "coordinators": {("coordinators", "*", "id"): ("coordinator", None)},
    "regions": {("regions", "*", "code"): ("region", "level")},
}


def schema_problems(ctx: FileContext, odd: list = ()) -> list[Problem]:
    """The schema's problems, and the values the reader set aside (``odd``: NaN, infinity, an
    integer beyond 64 bits, a key that is not text) in their stead: those are None in the data,
    and "expected an integer, found None" would only say it again."""
    aside = [(path_to(ctx.root, node), node, code, params) for node, code, params in odd]
    found = _schema_problems(ctx, schemas.validator(ctx.kind).iter_errors(ctx.data))
    if aside:
        paths = {field_name(path) for path, *_ in aside}
        found = [p for p in found if p.field not in paths]
    return [make(code, ctx.path, node.start_mark.line + 1, node.start_mark.column + 1,
                 record=ctx.rid, field=field_name(path), **_quoting(ctx, path, params.get("value"), **params))
            for path, node, code, params in aside] + found


def _plaintext_errors(ctx: FileContext, path: tuple):
    """A sensitive field that is neither ENC[…] nor valid plaintext: the plaintext constraints'
    errors, so the message says what a valid value looks like (not "anyOf failed")."""
    import jsonschema_rs

    value = _instance(ctx.data, path)
    node = schemas.subschema(ctx.kind, path) or {}
    if isinstance(value, str) and value.startswith("ENC["):
        return [("AM206", {"value": value[:40] + "…", "detail": "not a well-formed ENC[AES256_GCM,…] value"})]
    inner = (node.get("anyOf") or [{}, {}])[1]
    return [("AM206", {"value": repr(value), "detail": e.message})
            for e in jsonschema_rs.validator_for(inner).iter_errors(value)]


def _quoting(ctx: FileContext, path: tuple, value, /, **params) -> dict:
    """The parameters of a problem that quotes ``value``: a sensitive field's value masked as
    the excerpt is, wherever the message repeats it (ID numbers and mobile numbers anywhere are
    masked when the message is shown: Problem.shown_params)."""
    if value is None or not masking.is_sensitive(ctx.kind, path):
        return params
    step = next((p for p in reversed(path) if isinstance(p, str)), None)
    shown = str(masking.mask(value, step))
    forms = sorted({repr(value), str(value)}, key=len, reverse=True)
    for name, text in params.items():
        if isinstance(text, str):
            for form in forms:
                text = text.replace(form, shown)
            params[name] = text
    return params


def _schema_problems(ctx: FileContext, errors) -> list[Problem]:
    problems = []
    for error in errors:
        path = tuple(error.instance_path)
        kind = type(error.kind).__name__
        if kind == "AnyOf" and schemas.pattern_of(path) in schemas.info(ctx.kind).sensitive:
            value = _instance(ctx.data, path)
            problems.extend(ctx.problem(code, path, **_quoting(ctx, path, value, **params))
                            for code, params in _plaintext_errors(ctx, path))
            continue
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
            problems.append(ctx.problem(code, path, **_quoting(ctx, path, value, expected=expected,
                                                               value=repr(value))))
        elif kind == "Enum":
            allowed = ", ".join(map(str, error.kind.options))
            value = _instance(ctx.data, path)
            problems.append(ctx.problem("AM205", path, **_quoting(ctx, path, value, value=repr(value),
                                                                  allowed=allowed)))
        elif kind in ("Pattern", "MinLength", "MaxLength", "Minimum", "Maximum", "MinItems",
                      "MaxItems", "UniqueItems", "Constant"):
            value = _instance(ctx.data, path)
            problems.append(ctx.problem("AM206", path, **_quoting(ctx, path, value, value=repr(value),
                                                                  detail=error.message)))
        else:
            problems.append(ctx.problem("AM209", path, **_quoting(ctx, path, _instance(ctx.data, path),
                                                                  detail=error.message)))
    return problems


def _instance(data, path):
    for step in path:
        data = data[step]
    return data


def analyse_file(root: str, path: str, checks: FileChecks, sealed: bool = False,
                 reader: layout.Reader | None = None) -> Entry | None:
    """:func:`analyse` on the file at ``root/path`` (read by ``reader``, when many are read);
    None when it has gone.  What is not a regular file, or is larger than the limit, is
    reported and never read (layout.read_file)."""
    try:
        raw = reader.read(path) if reader is not None else layout.read_file(Path(root), path, file_limit(root))
    except FileNotFoundError:
        return None  # removed while we looked: it is not part of the records any more
    except layout.Unread as exc:
        return _unread(path, checks, sealed, make(exc.code, path, **exc.params))
    except OSError as exc:  # unreadable (permissions, a broken disk): report it, go on
        return _unread(path, checks, sealed, make("AM109", path, detail=exc.strerror or str(exc)))
    return analyse(path, raw, checks, sealed)


def _unread(path: str, checks: FileChecks, sealed: bool, problem: Problem) -> Entry:
    entry = Entry(path, layout.classify(path)[0])
    entry.problems.extend(checks.file_name(path, sealed))  # its name can leak all the same
    entry.problems.append(problem)
    return entry

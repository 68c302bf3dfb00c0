"""Reporters for check results, picked by ``--format``."""

from __future__ import annotations

import functools
import json
import unicodedata

from aimama_cli.core.i18n import t
from aimama_cli.core.problems import ERROR, WARNING
from aimama_cli.core.text import for_terminal
from aimama_cli.rules.checker import Result
from aimama_cli.store import excerpts, schemas
from aimama_cli.store.analysis import digest_bytes, field_path, file_limit
from aimama_cli.store.layout import Reader, Unread, classify
from aimama_cli.store.sealing.leaks import scrub
from aimama_cli.store.sealing.masking import is_sensitive, mask


def text(result: Result) -> str:
    """``file:line:col: CODE severity: message``, the line with a ``^`` under the column, then
    what to do about it, like compilers and hledger."""
    return "\n".join(problem_lines(result.problems, result.root, result.texts, result.index)
                     + [summary(result)])


def problem_lines(problems, root, texts=None, index=None) -> list[str]:
    """The text report of ``problems`` (``texts``: content not yet on disk, by path; ``index``:
    the record index the problems were judged from, which keeps the lines quoted)."""
    lines = []
    severities = {}
    with _Sources(root, texts, index) as sources:
        for p in problems:
            message, hint = p.texts()
            severity = severities.get(p.severity) or severities.setdefault(p.severity, t("severity." + p.severity))
            lines.append(for_terminal(f"{p.file}:{p.line}:{p.column}: {p.code} {severity}: "
                                      f"{message}" + (f" [{p.field}]" if p.field else "")))
            excerpt = sources.line(p.file, p.line)
            if excerpt is not None:  # a CI log is read by many: no ID or phone number in it
                excerpt = scrub(_sensitive_masked(p, excerpt))
            if excerpt is not None:  # a file's line is shown, never obeyed (a raw ESC is a YAML error)
                lines.append(f"  {p.line:>4} | {for_terminal(excerpt)}")
                lines.append("       | " + " " * _width(for_terminal(excerpt[:p.column - 1])) + "^")
            if hint:
                lines.append(f"    {hint}")
    return lines


def _sensitive_masked(p, excerpt: str) -> str:
    """The excerpt with the value of a sensitive field masked from the problem's column on,
    whatever its shape (a phone number a digit short is no number scrub() knows)."""
    if not p.field or p.column < 1:
        return excerpt
    sensitive, step = _sensitivity(classify(p.file)[0], p.field)
    if not sensitive:
        return excerpt
    head, rest = excerpt[:p.column - 1], excerpt[p.column - 1:]
    return head + str(mask(rest, step)) if rest.strip() else excerpt


@functools.lru_cache(maxsize=4096)
def _sensitivity(kind: str | None, field: str) -> tuple[bool, str | None]:
    """Whether ``field`` of a record of ``kind`` is sensitive, and the name masking goes by:
    asked once a kind and field (11,000 warnings at a province name a few dozen)."""
    if kind not in schemas.KINDS:
        return False, None
    path = field_path(field)
    if not is_sensitive(kind, path):
        return False, None
    return True, next((s for s in reversed(path) if isinstance(s, str)), None)


class _Sources:
    """The lines of the files that have problems, read once each — or kept in the index from
    the last report, while their files are unchanged (store/excerpts.py)."""

    def __init__(self, root, texts=None, index=None):
        self.root, self.index = root, index if root is not None else None
        self.files = {path: text.splitlines() for path, text in (texts or {}).items()}
        self.reader = Reader(root, file_limit(root)) if root is not None else None
        self.kept = excerpts.kept(index.db) if self.index is not None else {}
        self.digests: dict[str, str] = {}  # of the files read here, to keep their lines
        self.new: list[tuple[str, int, str, str]] = []

    def __enter__(self) -> "_Sources":
        return self

    def __exit__(self, *_exc) -> None:
        if self.reader is not None:
            self.reader.__exit__()
        if self.index is not None:
            excerpts.keep(self.index.db, self.new)

    def line(self, path: str, number: int) -> str | None:
        if self.root is None:
            return None
        if path not in self.files and (path, number) in self.kept:
            return self.kept[path, number]
        if path not in self.files:
            try:  # never through a link, from a FIFO or beyond the size limit (AM111, AM112)
                raw = self.reader.read(path)
                self.files[path] = raw.decode("utf-8").splitlines()
                self.digests[path] = digest_bytes(raw)
            except (OSError, UnicodeDecodeError, Unread):
                self.files[path] = []
        found = self.files[path]
        text = found[number - 1].rstrip() if 0 < number <= len(found) else None
        if text is not None and path in self.digests:
            self.new.append((path, number, self.digests[path], text))
        return text


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    if text.isascii():  # nearly every line's start: "volunteer: "
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def summary(result: Result) -> str:
    errors = sum(p.severity == ERROR for p in result.problems)
    warnings = sum(p.severity == WARNING for p in result.problems)
    if not errors and not warnings:
        return t("check.summary.ok", files=result.files, records=result.records)
    return t("check.summary", files=result.files, records=result.records, errors=errors,
             warnings=warnings)


def as_json(result: Result) -> str:
    return json.dumps({
        "ok": result.ok,
        "files": result.files,
        "records": result.records,
        "problems": [p.as_dict() for p in result.problems],
    }, ensure_ascii=False, indent=2)


def github(result: Result) -> str:
    """GitHub workflow commands: annotations on the right file and line of a pull request."""
    lines = []
    for p in result.problems:
        level = "error" if p.severity == ERROR else "warning"
        message, hint = p.texts()  # (once: at 30,000 problems, making the texts is most of the report)
        message += f" ({hint})" if hint else ""
        lines.append(f"::{level} file={_escape_prop(p.file)},line={p.line},col={p.column},"
                     f"title={p.code}::{_escape(message)}")
    lines.append(summary(result))
    return "\n".join(lines)


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(value: str) -> str:
    return _escape(value).replace(":", "%3A").replace(",", "%2C")


REPORTERS = {"text": text, "json": as_json, "github": github}

KEPT = "check-report"  # the index's memo of the last whole check's report (one, whatever its day)


def kept(index, key: str, report) -> tuple[str, bool]:
    """``report()`` — (the report of a whole check, whether it passed) — or the last one's,
    when ``key`` (format, language, day, --strict) is the same and no file has changed since:
    a province's warm check printed its 11,000 warnings anew each time (0.3 s of 0.6)."""
    generation = index.memo_generation()  # taken before: a change meanwhile makes the report stale
    last = index.recall(KEPT, generation)
    if last is not None and last[0] == key:
        return last[1], last[2]
    found, ok = report()
    index.keep(KEPT, [key, found, ok], generation)
    return found, ok

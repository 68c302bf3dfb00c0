"""Reporters for check results, picked by ``--format``."""

from __future__ import annotations

import json

from .checker import Result
from .i18n import t
from .problems import ERROR, WARNING


def text(result: Result) -> str:
    """``file:line:col: CODE severity: message`` then the hint, like compilers and hledger."""
    lines = []
    for p in result.problems:
        lines.append(f"{p.file}:{p.line}:{p.column}: {p.code} {t('severity.' + p.severity)}: "
                     f"{p.message}" + (f" [{p.field}]" if p.field else ""))
        if p.hint:
            lines.append(f"    {p.hint}")
    lines.append(summary(result))
    return "\n".join(lines)


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
        message = p.message + (f" ({p.hint})" if p.hint else "")
        lines.append(f"::{level} file={_escape_prop(p.file)},line={p.line},col={p.column},"
                     f"title={p.code}::{_escape(message)}")
    lines.append(summary(result))
    return "\n".join(lines)


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(value: str) -> str:
    return _escape(value).replace(":", "%3A").replace(",", "%2C")


REPORTERS = {"text": text, "json": as_json, "github": github}

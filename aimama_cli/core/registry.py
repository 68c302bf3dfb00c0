"""The rule registry: every problem aimama reports has a stable code registered here.

Two scopes, like beancount's plugins and yamllint's rules:

* ``file`` rules look at one parsed record and need nothing else.  They run when a file is
  (re)indexed, and their problems are cached with the file in the record index.
* ``repository`` rules look across records (ids, references, capacities) and run on the index on
  every check; they give a field path, and the checker turns it into a line.

Rules marked ``timed`` report what only the passing of time causes (a child turning 18, a check
expiring): warnings, errors under ``--strict``.  Codes without a function are reported by the
reader or the schema validator; they are registered so that ``check --list-rules`` lists all.

A leaf: rule modules (aimama_cli/rules/) import it to register; ``aimama_cli.rules`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from aimama_cli.core.problems import ERROR, WARNING

FILE = "file"
REPOSITORY = "repository"


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    func: Callable | None = None
    kinds: tuple = ()
    severity: str = ERROR
    timed: bool = False


REGISTRY: dict[str, Rule] = {}


def register(code: str, scope: str, func=None, kinds=(), severity=ERROR, timed=False) -> None:
    if code in REGISTRY:
        raise ValueError(f"rule code {code} registered twice")
    REGISTRY[code] = Rule(code, scope, func, tuple(kinds), WARNING if timed else severity, timed)


def rule(*codes: str, scope: str, kinds=(), severity=ERROR, timed=False):
    """Register the decorated function for ``codes`` (the first one runs it; the others are
    codes the same function may report)."""

    def decorate(func):
        for i, code in enumerate(codes):
            register(code, scope, func if i == 0 else None, kinds, severity, timed)
        return func

    return decorate


def file_rules(kind: str) -> list[Rule]:
    return [r for r in REGISTRY.values()
            if r.scope == FILE and r.func and (not r.kinds or kind in r.kinds)]


def repository_rules() -> list[Rule]:
    return [r for r in REGISTRY.values() if r.scope == REPOSITORY and r.func]


# Codes reported by the YAML reader and the schema validator.
for _code in ("AM101", "AM102", "AM103", "AM104", "AM105", "AM106", "AM107", "AM108", "AM109"):
    register(_code, FILE)
for _code in ("AM201", "AM202", "AM203", "AM204", "AM205", "AM206", "AM209"):
    register(_code, FILE)
register("AM001", FILE)  # a rule that crashed

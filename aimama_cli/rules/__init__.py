"""The rules ``aimama check`` runs, one module per concern, listed explicitly below as
yamllint lists its rules; importing this package registers every rule in
:mod:`aimama_cli.core.registry`.  :data:`FILE_CHECKS` is what the record index runs on each file
it parses (the index is given it: the store knows nothing of rules).
"""

from __future__ import annotations

from aimama_cli.core.registry import REGISTRY, file_rules, repository_rules  # noqa: F401  (the rules' public face)
from aimama_cli.rules import (  # noqa: F401  (they register their rules)
    activities,
    cases,
    consent,
    duties,
    files,
    history,
    identity,
    leaks,
    merging,
    pairing,
    pledges,
    records,
    references,
    roster,
    sealing,
    teamwork,
    vetting,
)
from aimama_cli.store.analysis import FileChecks


def rules_for(kind: str) -> list:
    """The file rules of ``kind`` (a function of this package, so that a worker process that
    receives it by name imports the package, and with it every rule)."""
    return file_rules(kind)


FILE_CHECKS = FileChecks(rules_for, leaks.file_name_problems)

"""How every command gets at a repository: the records to read, or a change to make.

The one place where the store (index, :class:`Change`) is put together with the rules that
judge it: a change is judged by the same rules as ``aimama check`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a command opens the records, not by every command's --help
    from aimama_cli.store.change import Change, Records
    from aimama_cli.store.index import Index


def open_index(root: Path, use_cache: bool = True) -> Index:
    """``rules.checker.open_index`` without importing the rules first: they are imported the
    moment a file must be parsed again. A repository that has not changed since its last
    command is read without them (importing every rule costs more than showing a record)."""
    from aimama_cli.store import transaction
    from aimama_cli.store.index import Index

    transaction.settle(root)
    return Index(root, use_cache, _file_checks()).refresh()


def _file_checks():
    from aimama_cli.store.analysis import FileChecks

    return FileChecks(_rules_for, _file_name_problems)


def _rules_for(kind: str) -> list:  # module-level functions: they reach worker processes by name
    from aimama_cli.rules import FILE_CHECKS

    return FILE_CHECKS.rules_for(kind)


def _file_name_problems(path: str, sealed: bool) -> list:
    from aimama_cli.rules import FILE_CHECKS

    return FILE_CHECKS.file_name(path, sealed)


def _narrowed(records: Records) -> Records:
    """``aimama --in REGION`` (a code or a name): records named in this region only."""
    from aimama_cli.core.errors import UsageError
    from aimama_cli.domain.places import Places
    from aimama_cli.store import naming

    region = naming.narrowing()
    if region:
        records.within = tuple(Places(records.index).prefixes(region))
        if not records.within:
            raise UsageError("place.unknown", value=region)
    return records


def records(root: Path, *, as_of: dt.date | None = None, index: Index | None = None) -> Records:
    """The records of ``root`` for reading (listing, showing, suggesting): nothing is written."""
    from aimama_cli.store.change import Records

    return _narrowed(Records(root, index or open_index(root), as_of=as_of))


def change(root: Path, command: str, *, as_of: dt.date | None = None,
           index: Index | None = None) -> Change:
    """A change to the records of ``root`` made by ``command``, judged before it is written.
    The repository's write lock is held from here to the command's end: what was judged is
    what gets committed."""
    from aimama_cli.rules.checker import change_problems, open_index
    from aimama_cli.store import transaction
    from aimama_cli.store.change import Change

    transaction.hold(root, command)
    return _narrowed(Change(root, command, index=index or open_index(root), judge=change_problems,
                            as_of=as_of))

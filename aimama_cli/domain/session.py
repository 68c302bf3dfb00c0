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


# The index cli/naming.py opened to look up the names (and ids) on the command line, with the
# write lock's stamp from just before, kept for the command that runs next: a command opens
# the repository once (bringing the index up to date costs a stat of every file).
_handed: dict[Path, tuple[Index, tuple | None]] = {}


def for_names(root: Path, change: bool = False) -> Records:
    """The records the command line's names are looked up in; their index is handed over to
    the command itself (:func:`open_index`, :func:`records`, :func:`change`: for a ``change``,
    the write lock's stamp is read first)."""
    from aimama_cli.store import transaction

    seen = transaction.stamp(root) if change else None
    found = records(root)
    _handed[Path(root).resolve()] = (found.index, seen)
    return found


def forget() -> None:
    """A command has ended: what it was handed is not the next one's."""
    _handed.clear()


def _taken(root: Path) -> tuple[Index, tuple | None] | None:
    return _handed.pop(Path(root).resolve(), None)


def open_index(root: Path, use_cache: bool = True) -> Index:
    """``rules.checker.open_index`` without importing the rules first: they are imported the
    moment a file must be parsed again. A repository that has not changed since its last
    command is read without them (importing every rule costs more than showing a record).
    The index the command line's names were looked up in, if any, is taken as it is."""
    from aimama_cli.store import transaction
    from aimama_cli.store.index import Index

    taken = _taken(root) if use_cache else None
    if taken is not None:
        return taken[0]
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
    if index is None:  # the names' index, if no other writer came between it and the lock
        taken = _taken(root)
        index = taken[0] if taken and transaction.unchanged_since(root, taken[1]) else open_index(root)
    return _narrowed(Change(root, command, index=index, judge=change_problems, as_of=as_of))

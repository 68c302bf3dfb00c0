"""How every command gets at a repository: the records to read, or a change to make.

The one place where the store (index, :class:`Change`) is put together with the rules that
judge it: a change is judged by the same rules as ``aimama check`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aimama_cli.rules.checker import change_problems, open_index
from aimama_cli.store import transaction
from aimama_cli.store.change import Change, Records
from aimama_cli.store.index import Index


def records(root: Path, *, as_of: dt.date | None = None, index: Index | None = None) -> Records:
    """The records of ``root`` for reading (listing, showing, suggesting): nothing is written."""
    return Records(root, index or open_index(root), as_of=as_of)


def change(root: Path, command: str, *, as_of: dt.date | None = None,
           index: Index | None = None) -> Change:
    """A change to the records of ``root`` made by ``command``, judged before it is written.
    The repository's write lock is held from here to the command's end: what was judged is
    what gets committed."""
    transaction.hold(root, command)
    return Change(root, command, index=index or open_index(root), judge=change_problems,
                  as_of=as_of)

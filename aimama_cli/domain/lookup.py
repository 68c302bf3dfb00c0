"""``aimama find``: children, volunteers, teams, coordinators and cases as a coordinator
remembers them — part of a name, its pinyin or initials (``zxm`` for 周小满), the start of an
id, or the village.  The index keeps every name with its pinyin (store/index_rows.py), so a
search reads one table, never the records: under a second at 100,000 children."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.core.text import normalised
from aimama_cli.domain.places import Places
from aimama_cli.store.naming import NAMED_KINDS

if TYPE_CHECKING:  # annotations only: the list and add commands' --help stay clear of the index
    from aimama_cli.store.change import Records


@dataclass
class Found:
    kind: str
    id: str
    name: str
    village: str | None  # a region code: a person's village, a team's region, a coordinator's first
    village_name: str
    about: str | None  # a child's birth year, a volunteer's team, a team's level, a case's kind

    def as_json(self) -> dict:
        return asdict(self)


def find(records: Records, text: str, kinds=None, limit: int = 50) -> tuple[list[Found], bool]:
    """The records ``text`` may mean, best matches first, at most ``limit``; and whether there
    were more."""
    text = normalised(text).strip()
    kinds = list(kinds or NAMED_KINDS)
    unknown = [k for k in kinds if k not in NAMED_KINDS]
    if not text or unknown:
        raise UsageError("find.kind_unknown", value=", ".join(unknown) or "-")
    places = Places(records.index)
    villages = [code for code, level in places.level.items()  # records in a village named so
                if level == "village" and len(text) > 1 and any(text in n for n in places.full_names(code))]
    rows = records.index.search_names(text, kinds, villages, records.within, limit + 1)
    teams = records.index.names(about for kind, _r, _n, _p, about in rows if kind == "volunteer" and about)
    found = [Found(kind, rid, name, place, places.path(place) if place else "",
                   about[:4] if kind == "child" and about else teams.get(about) or about if about else about)
             for kind, rid, name, place, about in rows]
    return found[:limit], len(found) > limit


def resolver(records):
    """``lookup`` for :func:`values.coerce`: a region's name as its code, a record's name as its
    id.  ``records``: the records, or a function that opens them (only when a name is given)."""
    opened: list[Records] = []

    def get() -> Records:
        if not opened:
            opened.append(records() if callable(records) else records)
        return opened[0]

    def lookup(kind: str, text: str):
        if kind == "region":
            return text if text.isdigit() else Places(get().index).code(text)
        if kind in NAMED_KINDS and not ids.ID_SHAPE.match(text):
            return get().id_of(text, kind)
        return text

    return lookup

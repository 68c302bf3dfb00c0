"""Records named as coordinators name them: wherever a command takes the id of a child, a
volunteer, a team, a coordinator or a case, the record's exact name does too (trimmed, NFC; a
case goes by its child's name).  A name several records share is a usage error that lists them,
with what tells them apart, rather than a guess.
"""

from __future__ import annotations

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.core.text import for_terminal, normalised

# the kinds a name can stand for
NAMED_KINDS = ("child", "volunteer", "team", "coordinator", "case")
SHOWN = 20  # candidates listed, at most
# ``aimama --in REGION``: the region (a code or a name) in which this command looks records up
# by name, set by the command line for each command (domain/session.py applies it)
_within: str | None = None


def narrow(region: str | None) -> None:
    """Look records up by name only in ``region`` (None: everywhere) from now on."""
    global _within
    _within = region


def narrowing() -> str | None:
    return _within


class Ambiguous(UsageError):
    """Several records go by the name given: exit 2, the candidates listed before the message."""

    def __init__(self, name: str, kind: str | None, lines: list[str], more: int):
        super().__init__(_key("name.ambiguous", kind), name=name, kind=kind, count=len(lines) + more)
        self.lines, self.more = lines, more

    def details(self) -> list[str]:
        from aimama_cli.core.i18n import t

        return self.lines + ([t("name.more", count=self.more)] if self.more else [])


def resolve(index, text: str, kind: str | None, within=()) -> str:
    """The id of the record of ``kind`` (any named kind if None) that ``text`` names: ``text``
    itself when it is an id, else the one record of that exact name — of those in ``within``
    (region code prefixes) when several have it.  Exit 2 when none or several are."""
    if index.defined(text, kind) or (kind not in NAMED_KINDS and kind is not None):
        return text
    name = normalised(text).strip()
    if not name or ids.ID_SHAPE.match(name):
        raise UsageError("id.unknown", id=text, kind=kind or "record")
    found = index.named(name, [kind] if kind else NAMED_KINDS)
    if not found:
        raise UsageError(_key("name.unknown", kind), name=name, kind=kind)
    if len(found) > 1 and within:  # --in chooses among several; a name only one record has needs none
        found = [row for row in found if any((row[3] or "").startswith(w) for w in within)] or found
    if len(found) > 1:  # a person entered twice and merged is one person: the record kept
        found = [row for row in found if not merged_into(index, row[1], row[0])] or found
    if len(found) > 1:
        places = place_names(index)
        raise Ambiguous(name, kind, [candidate_line(row, places) for row in found[:SHOWN]],
                        max(0, len(found) - SHOWN))
    return found[0][1]


def _key(key: str, kind: str | None) -> str:
    """The message for ``kind``: the kinds errors show by their label share one."""
    return key if kind in ("child", "volunteer", "team", "case") else f"{key}.{kind or 'record'}"


def place_names(index) -> dict[str, str]:
    """{region code: name} of records/regions.yaml."""
    regions = (index.singleton("regions") or {}).get("regions") or []
    return {str(r.get("code")): str(r.get("name", "")) for r in regions if isinstance(r, dict)}


def candidate_line(row: tuple, places: dict[str, str]) -> str:
    """``  C430621-7AATAX0P  周小满  东塘村 430621101203  2016``: id, name, where, and the
    birth year, team, level or kind that tells it apart."""
    kind, rid, name, place, about = row
    about = about[:4] if kind == "child" and about else about
    where = f"{places.get(place or '', '')} {place or ''}".strip()
    return for_terminal("  " + "  ".join(str(v) for v in (rid, name, where, about or "") if v is not None).rstrip())


# the kinds ``child|volunteer merge`` closes a duplicate of, pointing at the record kept
MERGED_KINDS = ("child", "volunteer")
MERGED_INTO = "closed.merged_into"


def merged_into(index, rid: str, kind: str | None = None) -> str | None:
    """The record that ``rid``, a child or volunteer entered twice, was merged into (a chain of
    merges followed to its end); None when ``rid`` was not merged."""
    kinds = (kind,) if kind in MERGED_KINDS else MERGED_KINDS if kind is None else ()
    seen = [rid]
    for each in kinds:
        fields = index.fields_of(rid, each)
        while fields and isinstance(fields.get(MERGED_INTO), str) and fields[MERGED_INTO] not in seen:
            seen.append(fields[MERGED_INTO])
            fields = index.fields_of(seen[-1], each)
        if len(seen) > 1:
            return seen[-1]
    return None

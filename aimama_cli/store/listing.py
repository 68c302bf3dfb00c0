"""The listing line: the fields a listing (``child list``, ``volunteer list --format csv``)
shows or filters by, kept by the index as one line of text a record, so that a province's
100,000 children are listed from lines split in Python, not from each record's JSON.  Light on
purpose: the list commands' modules import it, and ``--help`` must stay quick."""

from __future__ import annotations

import json

LISTED = {
    "child": ("name", "gender", "birth_date", "village", "categories", "guardianship", "risk_level",
              "status"),
    "volunteer": ("name", "gender", "kind", "team", "village", "vetting.status", "capacity", "status"),
    "team": ("name", "level", "kind", "region", "parent", "status"),
}
_AS_JSON = "\x00"  # begins a listed value kept as JSON: not a text, or a text with a tab in it


def listing_line(fields: dict, names: tuple) -> str:
    """The values of ``names`` joined by tabs, read back by :func:`listed_value`: a text as it
    is, a missing value (or null) as "", anything else (a number, a list, an empty text) as JSON
    after a NUL."""
    values = []
    for name in names:
        value = fields.get(name)
        if value is None:
            values.append("")
        elif type(value) is str and value and "\t" not in value and not value.startswith(_AS_JSON):
            values.append(value)
        else:
            values.append(_AS_JSON + json.dumps(value, ensure_ascii=False))
    return "\t".join(values)


def listed_value(text: str):
    """A value of a listing line as the record holds it (None for a missing one)."""
    if not text:
        return None
    return json.loads(text[1:]) if text[0] == _AS_JSON else text


def picked(lines, kind: str, names: tuple) -> dict[str, dict]:
    """{id: {name: value}} of the fields ``names`` (some of LISTED[kind]) from (path, id,
    listing line) rows, missing ones left out, as the index's fields would give them."""
    at = [(name, LISTED[kind].index(name)) for name in names]
    found = {}
    for _path, rid, line in lines:
        values = line.split("\t")
        found[rid] = {name: values[i] if values[i][:1] != _AS_JSON else listed_value(values[i])
                      for name, i in at if values[i]}
    return found

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
    is, a missing value as "", anything else (a number, a list) as JSON after a NUL."""
    values = []
    for name in names:
        value = fields.get(name)
        if value is None:
            values.append("")
        elif type(value) is str and "\t" not in value and not value.startswith(_AS_JSON):
            values.append(value)
        else:
            values.append(_AS_JSON + json.dumps(value, ensure_ascii=False))
    return "\t".join(values)


def listed_value(text: str):
    """A value of a listing line as the record holds it ("" for a missing one)."""
    return json.loads(text[1:]) if text.startswith(_AS_JSON) else text

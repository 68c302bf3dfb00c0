"""Values typed on a command line or read from a roster, made into what the schema asks for.

The schema decides: an enum takes its English code or its Chinese label, a list takes items
separated by commas (or 、), a date takes the ways Chinese forms write one, a boolean takes
是/否 as well as yes/no. Text is kept in Unicode's NFC form, every kind of line break as "\n".  What cannot be read is a :class:`ValueProblem` naming the field.
"""

from __future__ import annotations

import datetime as dt
import re

from aimama_cli.core.problems import field_name
from aimama_cli.core.text import normalised
from aimama_cli.store import schemas

DATE_FORMS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
TRUE = {"true", "yes", "y", "1", "是", "已同意", "同意", "有"}
FALSE = {"false", "no", "n", "0", "否", "未同意", "不同意", "无"}


class ValueProblem(Exception):
    """A value that does not fit its field; ``key`` and ``params`` are a catalog message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def parse_date_text(text: str) -> str:
    """'2014/5/12', '2014.05.12', '2014年5月12日' -> '2014-05-12'; a date that does not exist
    (2009/6/31) is refused."""
    match = DATE_FORMS.match(str(text))
    if not match:
        raise ValueProblem("value.date", value=text)
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise ValueProblem("value.no_such_date", value=text) from None


def coerce(kind: str, path: tuple, text, node: dict | None = None, lookup=None):
    """The value for field ``path`` of a ``kind`` record, from ``text`` (a str, or a value
    already typed, e.g. an Excel date cell).  ``lookup(kind, text)``, if given, makes the name
    of a record or a region that a field refers to (its ``x-ref``) its id or code."""
    node = node if node is not None else schemas.subschema(kind, path)
    name = field_name(path)
    if node is None:
        raise ValueProblem("value.unknown_field", field=name, kind=kind)
    kind_of = node.get("type")
    if isinstance(text, (dt.date, dt.datetime)):
        text = text.strftime("%Y-%m-%d")
    if kind_of == "array":
        items = text if isinstance(text, list) else [p for p in LIST_SEPARATORS.split(str(text).strip()) if p]
        return [coerce(kind, path + (i,), item, node.get("items", {}), lookup) for i, item in enumerate(items)]
    if kind_of == "object":
        raise ValueProblem("value.object", field=name)
    if isinstance(text, str):  # NFC, line breaks as "\n": what the name rule (AM308) then judges
        text = normalised(text).strip()
    if "enum" in node:
        return _enum(kind, path, node, text, name)
    if lookup is not None and node.get("x-ref") and isinstance(text, str) and text:
        return lookup(node["x-ref"], text)
    if kind_of == "boolean":
        if isinstance(text, bool):
            return text
        low = str(text).lower()
        if low in TRUE or low in FALSE:
            return low in TRUE
        raise ValueProblem("value.boolean", field=name, value=text)
    if kind_of == "integer":
        try:
            return int(str(text))
        except ValueError:
            raise ValueProblem("value.integer", field=name, value=text) from None
    if node.get("pattern") == schemas.DATE_PATTERN:
        return parse_date_text(text)
    return str(text)


def _enum(kind, path, node, text, name):
    """An enum's code from its code or its Chinese label, or from the start of one, or from
    text that only one label holds (阅读 for 阅读指导); never a guess between several."""
    choices = node["enum"]
    if text in choices:
        return text
    labels = {**node.get("x-labels", {}), **schemas.info(kind).labels.get(schemas.pattern_of(path), {})}
    code = schemas.code_for(kind, schemas.pattern_of(path), str(text))
    if code is None:  # a label defined on the node itself (items of an inlined list)
        code = next((c for c, zh in labels.items() if zh == text), None)
    if code is not None:
        return code
    typed = str(text)
    low = typed.lower()
    named = {c: labels.get(c, c) for c in choices}
    starting = [c for c in choices if typed and (c.startswith(low) or named[c].startswith(typed))]
    holding = [c for c in choices if typed and (low in c or typed in named[c])]
    for found in (starting, holding):
        if len(found) == 1:
            return found[0]
    if holding:
        raise ValueProblem("value.enum_unclear", field=name, value=text,
                           choices=", ".join(_shown(c, named) for c in holding))
    raise ValueProblem("value.enum", field=name, value=text, choices=", ".join(_shown(c, named) for c in choices))


def _shown(code: str, labels: dict) -> str:
    return code if labels.get(code, code) == code else f"{code} ({labels[code]})"

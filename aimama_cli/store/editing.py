"""Edits to round-trip YAML documents that keep them readable in a pull request.

Keys go where the schema lists them (a new field lands in its place, not at the end); values
that a YAML reader would take for something else (dates, phone numbers, ``no``) are quoted;
lists of plain values are written inline, as people write them by hand.  Comments and the order
of what is already there are ruamel's to keep.
"""

from __future__ import annotations

import math
import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from aimama_cli.store import schemas
from aimama_cli.store.yamlio import YamlProblem, parse


def _order(node: dict | None) -> list[str]:
    return list((node or {}).get("properties", {}))


def needs_quotes(text: str) -> bool:
    """Whether a plain scalar would be read back as something other than this string, by our
    YAML 1.2 reader or by a YAML 1.1 one (PyYAML: yes/no, 0730, sexagesimals)."""
    import yaml

    if "\n" in text:
        return False  # ruamel picks a block style for these
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return not isinstance(yaml.load(text, Loader=loader), str) or parse(f"v: {text}\n").data["v"] != text
    except (yaml.YAMLError, YamlProblem):
        return True


def styled(value, node: dict | None = None):
    """``value`` as a round-trip object: mappings in schema order, short lists inline."""
    if isinstance(value, dict):
        result = CommentedMap()
        order = _order(node)
        for key in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
            sub = (node or {}).get("properties", {}).get(key)
            result[key] = styled(value[key], sub)
        return result
    if isinstance(value, list):
        items = (node or {}).get("items") if isinstance((node or {}).get("items"), dict) else None
        seq = CommentedSeq(styled(v, items) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and not isinstance(value, SingleQuotedScalarString) and needs_quotes(value):
        return SingleQuotedScalarString(value)
    return value


def new_document(kind: str, data: dict) -> CommentedMap:
    return styled(data, schemas.schema(kind))


def name_comments(doc: CommentedMap, names: dict, indent: int = 0) -> None:
    """``child: C430621-25AZ81EC  # 张雨桐``: the name beside an id or code, as hand-written
    records have it, so a reviewer reads who, not only which id.  ``indent``: the column of
    ``doc``'s keys (4 for an entry of a list); a list of ids is written inline."""
    for key, name in names.items():
        if name and key in doc:
            value = doc[key]
            quotes = 2 if isinstance(value, SingleQuotedScalarString) else 0
            width = len("[" + ", ".join(map(str, value)) + "]") if isinstance(value, list) else len(str(value))
            doc.yaml_add_eol_comment(name, key, column=indent + len(key) + 2 + width + quotes + 2)


def insert_dated(doc: CommentedMap, kind: str, key: str, item: dict, names: dict) -> int:
    """Insert ``item`` into the list ``key`` of ``doc`` (log entries, case steps) after the last
    one dated on or before it, so hand-written items and comments stay where they are and the
    diff is the new lines only; its position.  ``names``: comments beside its ids."""
    items = doc.get(key)
    if not isinstance(items, list):
        set_path(doc, kind, (key,), [])
        items = doc[key]
    if not items:
        items.fa.set_block_style()  # `key: []` of a new record: items go one per line
    position = dated_position(items, item["date"])
    styled_item = styled(item, schemas.subschema(kind, (key, 0)))
    name_comments(styled_item, names, indent=ITEM_INDENT)
    items.insert(position, styled_item)
    return position


def dated_position(items: list, day: str) -> int:
    """Where an item dated ``day`` goes in ``items``: after the last one dated on or before it."""
    return next((i + 1 for i in range(len(items) - 1, -1, -1)
                 if isinstance(items[i], dict) and str(items[i].get("date", "")) <= day), 0)


ITEM_INDENT = 4  # the column of a list item's keys (``  - date: ...``)


def insert_dated_text(text: str, kind: str, key: str, item: dict, names: dict) -> tuple[str, int] | None:
    """:func:`insert_dated` on a file's text: the item's lines spliced in where the round trip
    would put them, every other byte kept as it is; (the new text, the item's position).  A
    round trip reads and writes a log of a hundred entries in some 60 ms, this in about one,
    which is what a sheet of a thousand visits into a thousand logs costs.  None when the list
    is not laid out as aimama writes it (flow style, empty, a dash on a line of its own …) or
    the result would not read back as the list with the item inserted: the caller then goes
    the round trip."""
    if "\r" in text or not text.endswith("\n"):
        return None
    try:
        parsed = parse(text)
    except YamlProblem:
        return None
    items = parsed.data.get(key)
    node = next((v for k, v in parsed.root.value if k.value == key), None)
    if not items or not isinstance(items, list) or not all(isinstance(i, dict) and i for i in items) \
            or getattr(node, "flow_style", True) or len(node.value) != len(items):
        return None
    lines = text.splitlines(keepends=True)
    first = node.value[0].start_mark
    prefix = lines[first.line][:first.column]
    if not re.fullmatch(r" *- +", prefix):
        return None
    position = dated_position(items, item["date"])
    styled_item = styled(item, schemas.subschema(kind, (key, 0)))
    name_comments(styled_item, names, indent=first.column)
    block: list[str] = []
    try:
        _emit_mapping(styled_item, first.column, block, first_prefix=prefix)
    except _Unsupported:
        return None
    at = node.value[position].start_mark.line if position < len(items) else _last_line(node.value[-1]) + 1
    spliced = "".join(lines[:at]) + "\n".join(block) + "\n" + "".join(lines[at:])
    expected = dict(parsed.data, **{key: items[:position] + [item] + items[position:]})
    try:
        return (spliced, position) if parse(spliced).data == expected else None
    except YamlProblem:
        return None


def _last_line(node) -> int:
    """The (0-based) line of the last character of ``node``'s value."""
    while getattr(node, "value", None) and isinstance(node.value, list):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    mark = node.end_mark
    return mark.line if mark.column > 0 else mark.line - 1


def set_path(doc: CommentedMap, kind: str, path: tuple, value) -> None:
    """Set ``path`` (keys and list indexes) in ``doc`` to ``value``, creating the mappings on
    the way; a new key is placed where the schema lists it."""
    node = schemas.schema(kind)
    parent = doc
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        child_node = schemas.subschema(kind, path[:depth + 1])
        if isinstance(step, int):
            if not isinstance(parent, list) or not -len(parent) <= step <= len(parent):
                raise KeyError(step)
            if step == len(parent):
                parent.append(styled(value if last else {}, child_node))
            elif last:
                parent[step] = styled(value, child_node)
            parent = parent[step]
        else:
            if not isinstance(parent, dict):
                raise KeyError(step)
            if last:
                _put(parent, step, styled(value, child_node), node)
            elif not isinstance(parent.get(step), (dict, list)):
                _put(parent, step, CommentedMap() if isinstance(path[depth + 1], str) else CommentedSeq(), node)
            parent = parent[step]
        node = child_node


def _put(mapping: CommentedMap, key: str, value, node: dict | None) -> None:
    if key in mapping:
        mapping[key] = value
        return
    order = _order(node)
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for i, existing in enumerate(mapping):
        if (order.index(existing) if existing in order else len(order)) > rank:
            position = i
            break
    mapping.insert(position, key, value)


def remove_path(doc, path: tuple) -> bool:
    """Remove the value at ``path``; False when there was none."""
    parent = doc
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        del parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


get_path = schemas.get_path


# --- a fast writer for new records ----------------------------------------------------------------

_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`")


def emit(doc) -> str | None:
    """``doc`` (a new record, as :func:`new_document` builds it) as YAML text in the style ruamel
    writes, about fifty times faster; None when it holds something this writer does not do
    (ruamel then writes it).  The caller checks the text reads back as the same data."""
    lines: list[str] = []
    try:
        _emit_mapping(doc, 0, lines)
    except _Unsupported:
        return None
    return "\n".join(lines) + "\n"


class _Unsupported(Exception):
    pass


def _emit_mapping(mapping, indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(mapping.items()):
        prefix = first_prefix if (i == 0 and first_prefix is not None) else pad
        comment = _eol_comment(mapping, key)
        if isinstance(value, dict) and value:
            lines.append(f"{prefix}{key}:{comment}")
            _emit_mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and v for v in value):
            lines.append(f"{prefix}{key}:{comment}")
            for item in value:
                _emit_mapping(item, indent + 4, lines, first_prefix=" " * (indent + 2) + "- ")
        else:
            lines.append(f"{prefix}{key}: {_inline(value)}{comment}")


def _eol_comment(mapping, key) -> str:
    items = getattr(getattr(mapping, "ca", None), "items", {})
    token = items.get(key, [None, None, None])[2] if items else None
    if token is None:
        return ""
    text = token.value.rstrip("\n")
    return "  " + text.lstrip() if text.strip() else ""


def _inline(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)  # 0.5, as ruamel writes it (hours of a log entry)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, dict):  # only empty ones reach here
        return "{}"
    return _scalar(value)


def _scalar(value, flow: bool = False) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise _Unsupported
    if isinstance(value, (bool, int, float)):
        return _inline(value)
    if not isinstance(value, str) or "\n" in value or not value:
        raise _Unsupported
    quoted = isinstance(value, SingleQuotedScalarString) or needs_quotes(value)
    unsafe = (value[0] in _PLAIN_UNSAFE_START or value != value.strip() or ": " in value
              or " #" in value or value.endswith(":") or (flow and any(c in value for c in ",[]{}")))
    if quoted or unsafe:
        return "'" + value.replace("'", "''") + "'"
    return value


# --- removing a list item, its neighbours' comments kept -------------------------------------------

def remove_item(seq, position: int):
    """Remove item ``position`` of round-trip list ``seq`` (a log entry) and return it.  Its own
    end-of-line comments go with it; full-line comments around it (a heading over the next
    entries, a note after it), which ruamel hangs on the item itself, are moved to its
    neighbour, so a hand-written comment outlives the entry it happened to sit next to."""
    kept = _comment_before(seq, position) + _comment_after(seq[position])
    item = seq.pop(position)  # ruamel shifts the comments of the items after it
    if not kept.strip():
        return item
    if position > 0:
        _append_after(seq[position - 1], kept)
    elif seq:
        tokens = [CommentToken(line.lstrip(" "), CommentMark(len(line) - len(line.lstrip(" "))), None)
                  for line in kept.splitlines(True)]
        slot = seq.ca.items.get(0) or [None, None, None, None]
        seq.ca.items[0] = [None, tokens + list(slot[1] or []), None, None]
    return item


def _last_key(node):
    """(mapping, key) whose end-of-line comment slot holds what follows ``node`` in the file."""
    while isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        if not (isinstance(node[key], CommentedMap) and node[key]):
            return node, key
        node = node[key]
    return None, None


def _comment_before(seq, position: int) -> str:
    slot = seq.ca.items.get(position)
    tokens = slot[1] if slot and len(slot) > 1 and slot[1] else []
    return "".join(" " * t.column + t.value if t.value.strip() else t.value for t in tokens)


def _comment_after(item) -> str:
    holder, key = _last_key(item)
    slot = holder.ca.items.get(key) if holder is not None else None
    token = slot[2] if slot and len(slot) > 2 else None
    return token.value.partition("\n")[2] if token is not None else ""


def _append_after(item, text: str) -> None:
    holder, key = _last_key(item)
    if holder is None:
        return
    slot = holder.ca.items.setdefault(key, [None, None, None, None])
    if slot[2] is None:
        slot[2] = CommentToken("\n" + text, CommentMark(0), None)
    else:
        value = slot[2].value
        slot[2].value = value + ("" if value.endswith("\n") else "\n") + text

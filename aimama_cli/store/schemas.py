"""The JSON Schemas in ``schemas/``: the single source of field names, enum codes and their
Chinese labels, sensitive fields and references between records.

Schemas are bundled once (every ``$ref`` inlined), so one compiled validator per kind serves
every file, and the walkers below can read the annotations (``x-ref``, ``x-sensitive``,
``x-labels``, ``x-title-zh``) without resolving references.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass, field

from aimama_cli.core.resources import SCHEMAS
from aimama_cli.store.sealing.sealed import ENCRYPTED

SCHEMA_DIR = SCHEMAS

KINDS = ("config", "regions", "coordinators", "programme", "team", "volunteer", "child",
         "pairing", "team_pairing", "pledge", "activity", "case", "team_activity", "training", "support")
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@functools.lru_cache(maxsize=None)
def raw_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _resolve_pointer(doc: dict, pointer: str):
    node = doc
    for part in pointer.strip("/").split("/"):
        if part:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _inline(node, doc_name: str):
    """Replace every ``$ref`` by the schema it points to; sibling keywords win."""
    if isinstance(node, list):
        return [_inline(item, doc_name) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target_file, _, pointer = node["$ref"].partition("#")
        target_doc = target_file.removesuffix(".json") if target_file else doc_name
        target = _inline(copy.deepcopy(_resolve_pointer(raw_schema(target_doc), pointer)), target_doc)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, doc_name) if k not in target else v for k, v in merged.items()}
    return {k: _inline(v, doc_name) for k, v in node.items() if k != "$defs"}


# what an encrypted value must look like (sealed.ENCRYPTED, as a JSON Schema pattern)
ENC_SCHEMA = {"type": "string", "pattern": ENCRYPTED.pattern}
# the constraints an ENC[…] value cannot meet: checked on the plaintext, with the key
PLAINTEXT_ONLY = ("pattern", "minLength", "maxLength", "enum", "const", "format")


def _accept_encrypted(node):
    """Every ``x-sensitive`` field also accepts its ENC[…] form: its plaintext-only constraints
    move into ``anyOf: [ENC, constraints]`` (a free-text field needs no change)."""
    if isinstance(node, list):
        return [_accept_encrypted(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("x-sensitive"):
        inner = {k: v for k, v in node.items() if k in PLAINTEXT_ONLY}
        if not inner:
            return node
        return {**{k: v for k, v in node.items() if k not in PLAINTEXT_ONLY},
                "anyOf": [ENC_SCHEMA, inner]}
    return {k: _accept_encrypted(v) for k, v in node.items()}


@functools.lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    """The bundled schema of ``kind`` (no ``$ref`` left; sensitive fields accept ENC[…])."""
    bundled = _accept_encrypted(_inline(raw_schema(kind), kind))
    bundled["$schema"] = raw_schema(kind)["$schema"]
    return bundled


@functools.lru_cache(maxsize=None)
def validator(kind: str):
    """One compiled validator per kind: jsonschema-rs (about 60 times faster than jsonschema)."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(kind))


def digest() -> str:
    """Changes whenever a schema file changes (part of the index cache key)."""
    h = hashlib.sha1()
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


# --- annotations --------------------------------------------------------------------------------

@dataclass
class KindInfo:
    """What the schema of one kind says about its fields, by path pattern (``*`` = any item)."""

    refs: list = field(default_factory=list)  # (pattern, target kind)
    sensitive: list = field(default_factory=list)  # patterns
    dates: list = field(default_factory=list)  # patterns
    ahead: list = field(default_factory=list)  # date patterns that may lie ahead (x-future)
    labels: dict = field(default_factory=dict)  # pattern -> {code: Chinese label}
    titles: dict = field(default_factory=dict)  # pattern -> (English, Chinese)
    indexed: list = field(default_factory=list)  # top-level fields kept in the record index


def _walk(node: dict, path: tuple, info: KindInfo) -> None:
    if "title" in node:
        info.titles[path] = (node["title"], node.get("x-title-zh", node["title"]))
    if node.get("x-ref"):
        info.refs.append((path, node["x-ref"]))
    if node.get("x-sensitive"):
        info.sensitive.append(path)
    if node.get("pattern") == DATE_PATTERN:
        info.dates.append(path)
        if node.get("x-future"):
            info.ahead.append(path)
    if "x-labels" in node:
        info.labels[path] = node["x-labels"]
    for name, sub in node.get("properties", {}).items():
        _walk(sub, path + (name,), info)
    if isinstance(node.get("items"), dict):
        _walk(node["items"], path + ("*",), info)


@functools.lru_cache(maxsize=None)
def info(kind: str) -> KindInfo:
    result = KindInfo()
    _walk(schema(kind), (), result)
    result.indexed = list(schema(kind).get("x-index", []))
    return result


def label(kind: str, path: tuple, code, lang: str) -> str:
    """The display label of an enum ``code`` at ``path`` of ``kind`` (the code itself in English)."""
    labels = info(kind).labels.get(path, {})
    if lang == "zh" and code in labels:
        return labels[code]
    return str(code)


def code_for(kind: str, path: tuple, text: str) -> str | None:
    """Accept either the English code or its Chinese label; None when neither matches."""
    labels = info(kind).labels.get(path, {})
    if text in labels:
        return text
    return next((code for code, zh in labels.items() if zh == text), None)


def iter_pattern(data, pattern: tuple, prefix: tuple = ()) -> list[tuple[tuple, object]]:
    """(concrete path, value) for every value in ``data`` matching ``pattern``, in document
    order.  A step at a time over a list, not nested generators: a cold index runs it some 50
    times a file (a year's visit log, a pattern per field of each entry)."""
    found = [(prefix, data)]
    for step in pattern:
        if step == "*":
            found = [(path + (i,), item) for path, value in found if isinstance(value, list)
                     for i, item in enumerate(value)]
        else:
            found = [(path + (step,), value[step]) for path, value in found
                     if isinstance(value, dict) and step in value]
        if not found:
            break
    return found


def get_path(data, path: tuple, default=None):
    """The value at ``path`` (keys and list indexes) in ``data``; ``default`` where there is none."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return default
    return data


def subschema(kind: str, path: tuple) -> dict | None:
    """The schema of the value at ``path`` (keys and list indexes) in a record of ``kind``."""
    node = schema(kind)
    for step in path:
        if isinstance(step, int) or step == "*":
            node = node.get("items") if isinstance(node.get("items"), dict) else None
        else:
            node = node.get("properties", {}).get(step)
        if node is None:
            return None
    return node


def pattern_of(path: tuple) -> tuple:
    """('guardian', 'phone') stays; list indexes become '*', as in :class:`KindInfo`."""
    return tuple("*" if isinstance(step, int) else step for step in path)

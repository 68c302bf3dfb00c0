"""The one place that reads and writes YAML.

Two readers, for two jobs:

* ``parse`` is the fast one every check uses: libyaml's C composer gives nodes with line marks,
  and a small walker turns them into plain values by the YAML 1.2 core schema (``no`` stays a
  string, ``0730`` is not octal, dates stay strings), refusing duplicate keys, aliases and unknown
  tags.  A value no record can hold (``.nan``, ``.inf``, an integer beyond 64 bits) or a key that
  is not text is set aside, not fatal: it becomes a located problem (:attr:`Parsed.odd`) and the
  rest of the record is still checked.  Most records are read first by a native reader
  (:mod:`aimama_cli.store.quick_yaml`, five times faster) where it is sure to give the same values;
  the node tree, which only locating a problem needs, is then composed when first asked for.
* ``load_roundtrip``/``dump_roundtrip`` use ruamel.yaml (YAML 1.2) for the few records a command
  edits, so hand-written comments and key order survive.

Writes are atomic: a temporary file in the same folder, fsync, rename.
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from aimama_cli.store import quick_yaml

try:  # libyaml is what makes checking fast; fall back to the pure parser if it is missing
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _BaseLoader

STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = {yaml.ScalarNode: STR_TAG, yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}


class _NodeLoader(_BaseLoader):
    """The composer calls the resolver for every node; ours resolves in the walker instead,
    so these are the cheapest possible no-ops (a third of the parse time otherwise)."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

_STANDARD_TAGS = {
    STR_TAG: "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
}

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = {".nan", ".NaN", ".NAN"}
_NUMBER_START = frozenset("0123456789+-.")
INT_LIMIT = quick_yaml.INT_LIMIT


class YamlProblem(Exception):
    """A file that cannot be read as a record. ``code`` is a problem code of the AM1xx family."""

    def __init__(self, code: str, line: int = 1, column: int = 1, **params):
        super().__init__(code)
        self.code, self.line, self.column, self.params = code, line, column, params


def decode(raw: bytes) -> str:
    """Bytes to text, refusing what is not UTF-8 text."""
    if not raw.strip():
        raise YamlProblem("AM103")
    if b"\x00" in raw:
        raise YamlProblem("AM102", **_line_col(raw, raw.index(b"\x00")))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = _line_col(raw, exc.start)
        gbk = _looks_gbk(raw)
        raise YamlProblem("AM101", byte=f"0x{raw[exc.start]:02X}", gbk=gbk, **where) from None


def _line_col(raw: bytes, offset: int) -> dict:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return {"line": raw.count(b"\n", 0, offset) + 1, "column": offset - line_start + 1}


def _looks_gbk(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
        return "yes"
    except UnicodeDecodeError:
        return "no"


@dataclass
class Parsed:
    data: dict
    tree: object  # the yaml node tree, for locating problems; None until asked for (``root``)
    odd: list = field(default_factory=list)  # [(node, code, params)]: values set aside (None)
    text: str = ""

    @property
    def root(self):
        if self.tree is None:
            self.tree = node_tree(self.text)
        return self.tree

    def locate(self, path) -> tuple[int, int]:
        return locate(self.root, path)


def parse(text: str) -> Parsed:
    """Parse one record: a single YAML document whose top level is a mapping."""
    data = quick_yaml.values(text)
    if data is not None:
        return Parsed(data, None, [], text)
    return parse_slowly(text)


def parse_slowly(text: str) -> Parsed:
    """:func:`parse` by libyaml alone: the reader that says what is wrong, and where."""
    root = node_tree(text)
    builder = _Builder()
    try:
        data = builder.value(root)
    except RecursionError:  # a record is a few levels deep; thousands of brackets are not one
        raise YamlProblem("AM104", *_mark(root), detail="nested too deeply") from None
    return Parsed(data, root, builder.odd, text)


def node_tree(text: str):
    """The node tree of one record (a mapping), with the lines of its values: what locating
    a field needs, without the values built (a year's visit log is thousands of nodes)."""
    try:
        loader = _NodeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem("AM104", line, col, detail=exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("AM104", detail=str(exc).splitlines()[0]) from None
    if root is None:
        raise YamlProblem("AM103")
    if not isinstance(root, yaml.MappingNode):
        kind = "list" if isinstance(root, yaml.SequenceNode) else "scalar"
        raise YamlProblem("AM106", *_mark(root), found=kind)
    return root


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Node tree to plain Python values, by YAML 1.2 core rules."""

    def __init__(self):
        self.seen: set[int] = set()
        self.odd: list = []  # (node, code, params) of what was set aside

    def value(self, node):
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.seen:  # an alias: records are trees, and aliases can explode in size
            raise YamlProblem("AM107", *_mark(node))
        self.seen.add(id(node))
        self.check_tag(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item) for item in node.value]
        result = {}
        for key_node, value_node in node.value:
            noted = len(self.odd)
            key = self.value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):  # 1:, true:, ~: or [a, b]: no field has such a name
                del self.odd[noted:]  # the key is the problem, not the number it spells
                text = key_node.value if isinstance(key_node, yaml.ScalarNode) else \
                    ("[…]" if isinstance(key_node, yaml.SequenceNode) else "{…}")
                self.odd.append((key_node, "AM208", {"key": text[:40]}))
                continue
            if key in result:
                raise YamlProblem("AM105", *_mark(key_node), key=key)
            result[key] = self.value(value_node)
        return result

    @staticmethod
    def check_tag(node) -> None:
        tag = node.tag
        if tag and tag not in _STANDARD_TAGS and tag not in ("!", "?"):
            raise YamlProblem("AM108", *_mark(node), tag=tag)

    def scalar(self, node):
        text, tag = node.value, node.tag
        if tag != STR_TAG:  # an explicit tag: only the standard ones are allowed
            self.check_tag(node)
            if _STANDARD_TAGS.get(tag) == "str" or tag == "!":
                return text
        if node.style:  # quoted and block scalars are strings ('' or None means plain)
            return text
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if text[0] not in _NUMBER_START:  # most values: names, codes, ids
            return text
        if _INT.match(text):  # 20 digits are past any 64-bit integer: not converted at all
            return self.number(node, int(text) if len(text) < 21 else INT_LIMIT)
        if _OCT.match(text):
            return self.number(node, int(text[2:], 8))
        if _HEX.match(text):
            return self.number(node, int(text[2:], 16))
        if _FLOAT.match(text):
            return self.number(node, float(text))
        if _INF.match(text) or text in _NAN:
            return self.number(node, math.nan)
        return text

    def number(self, node, value):
        """``value``, or None (and a problem) when no record can hold it: NaN, infinity, or an
        integer beyond 64 bits (the index could not keep it, a JSON reader would choke)."""
        if isinstance(value, float) and math.isfinite(value) or \
                isinstance(value, int) and -INT_LIMIT <= value < INT_LIMIT:
            return value
        text = node.value if len(node.value) <= 40 else f"{node.value[:20]}…({len(node.value)} characters)"
        self.odd.append((node, "AM207", {"value": text}))
        return None


def locate(root, path) -> tuple[int, int]:
    """Line and column of the value at ``path`` (keys and list indexes); where the path leaves
    the tree, the deepest node reached (a missing field is reported on its parent)."""
    node = root
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    child = key_node if value_node is None else value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if 0 <= step < len(node.value):
                child = node.value[step]
        if child is None:
            break
        node = child
    return _mark(node)


def path_to(root, target) -> tuple:
    """The field path of ``target``, a node of the tree (a key node: the path of its field,
    named by the key's text); () when it is not found.  For the rare odd value, so a walk."""
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                if key_node is target or value_node is target:
                    return path + (name,)
                stack.append((value_node, path + (name,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                if item is target:
                    return path + (i,)
                stack.append((item, path + (i,)))
    return ()


def locate_key(root, path) -> tuple[int, int]:
    """Line and column of the key at the end of ``path`` (for unknown or duplicate fields)."""
    parent = root
    for step in path[:-1]:
        found = None
        if isinstance(parent, yaml.MappingNode):
            found = next((v for k, v in parent.value if k.value == step), None)
        elif isinstance(parent, yaml.SequenceNode) and isinstance(step, int) and step < len(parent.value):
            found = parent.value[step]
        if found is None:
            return _mark(parent)
        parent = found
    if isinstance(parent, yaml.MappingNode) and path:
        for key_node, _ in parent.value:
            if key_node.value == path[-1]:
                return _mark(key_node)
    return _mark(parent)


# --- round trip (editing) -------------------------------------------------------------------

def _roundtrip_yaml():
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.version = None  # read as 1.2 (ruamel's default) but do not write a %YAML directive
    rt.allow_duplicate_keys = False
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def load_roundtrip(path: Path):
    """Load a record for editing: comments, key order and quoting are kept."""
    text = decode(Path(path).read_bytes())
    parse(text)  # same refusals (duplicate keys, aliases, top level) as a check
    return _roundtrip_yaml().load(text)


def load_roundtrip_text(text: str):
    """:func:`load_roundtrip` of a text not (yet) in a file."""
    parse(text)
    return _roundtrip_yaml().load(text)


def dump_roundtrip(data) -> str:
    stream = io.StringIO()
    _roundtrip_yaml().dump(data, stream)
    return stream.getvalue()


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either the old or the new content, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)  # mkstemp's file is 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def file_mode(path: Path) -> int:
    """The mode to write ``path`` with: its own if it exists, else what a new file gets (0644
    under the usual umask), as git would check it out."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask

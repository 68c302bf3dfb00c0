"""A native YAML reader for the records it reads exactly as :func:`yamlio.parse_slowly` does.

``yaml_rs`` (Rust) builds a record's values about five times faster than libyaml's composer and
our walker (20 against 100 µs for a typical record): a province's first index reads 489,000
files.  But the two readers part ways at the edges: ``yaml_rs`` reads ``1_000``, ``_9``, ``0X1F``
and ``0b1`` as numbers, follows aliases, accepts ``[a: b]`` and keys that are not text, keeps
NaN, and recurses (a text nested 20,000 deep crashes the process).  So it is asked only when
none of that can be in the text (an encrypted record's ``ENC[…]`` values are text to both), and
its values are used only when they are plain (text keys, 64-bit integers, finite floats);
anything else, including every file with an error, goes to the slow reader, which says what is
wrong and where.

Both readers agree on every record of a generated province and on hundreds of thousands of
fuzzed texts (tests/test_yaml_reader.py, benchmarks/yaml_agreement.py).  Without ``yaml_rs``
installed, every text is read slowly.
"""

from __future__ import annotations

import math
import re

_UNLOADED = object()
_loads = _UNLOADED  # yaml_rs.loads once a text is read (its import is 6 ms: a warm check reads none)

INT_LIMIT = 2 ** 63  # what SQLite (the index) and every JSON reader keep exactly

# anchors, aliases, tags, directives, reserved indicators, block scalars, escapes, complex keys,
# flow mappings: none in a generated record, rare in a hand-written one
_ODD_ASCII = '&*!%@`|>"\\?{}'
# any other character than these: tabs, and what one reader takes for a line break or refuses
_UNSURE_CHAR = re.compile("[^\n" + "".join(re.escape(c) for c in map(chr, range(0x20, 0x7F)) if c not in _ODD_ASCII)
                          + "\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# a scalar that only yaml_rs reads as a number: 0X1F, 0b1, -0x1F, _9, 1_000, 1e_3 (a character
# that can begin a number, at the start of a scalar, then an underscore or a radix letter)
_ONLY_NATIVE_NUMBER = re.compile(r"[-+._0-9](?<![^\s\[,][-+._0-9])(?:(?<=_)|[-+.\w]*_|(?<=[-+])0[xXbBoO]|(?<=0)[xXbBoO])")
# a line led by 200 spaces and dashes: a block node starts at most there, so a record nests at
# most about 400 deep; yaml_rs recurses, and a text 20,000 deep ("- - - …") crashes the process
# (led by a newline, not ^ with re.M: 1 µs a record, not 6)
_DEEP = re.compile(r"\n[ -]{200}")
# a flow list of plain items on one line ("kinds: [visit, call]"): read alike; any other is not
_FLOW = re.compile(r"\[[^\]\[:#'\n,]*(?:,[^\]\[:#'\n,]*)*\]")
# a sealed value, whole to the end of its line, quoted or not ("phone: 'ENC[AES256_GCM,data:…]'",
# "notes: ENC[AES256_GCM,…]"): its brackets are text to both readers (a pattern led by a
# character class: a quoted value in general, led by a lookbehind, cost 30 µs a record)
_SEALED_VALUE = re.compile(r"[:-] '?ENC\[[\w+/=:,]*\]'?(?= *(?:#[^\n]*)?$)", re.M)


def values(text: str) -> dict | None:
    """The record's values, or None when the slow reader must read it."""
    loads = _loads if _loads is not _UNLOADED else _load()
    if loads is None or _UNSURE_CHAR.search(text) or _ONLY_NATIVE_NUMBER.search(text) \
            or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text \
            or _DEEP.search(text) or _DEEP.match("\n" + text[:200]):
        return None
    if ("[" in text or "]" in text) and not _simple_flows(text) \
            and not ("ENC[" in text and _simple_flows(_SEALED_VALUE.sub("", text))):
        return None
    try:
        data = loads(text, parse_datetime=False)
    except Exception:  # broken YAML, duplicate keys: the slow reader reports it with its line
        return None
    try:
        return data if type(data) is dict and _plain(data) else None
    except RecursionError:
        return None


def _simple_flows(text: str) -> bool:
    """Whether every bracket of ``text`` belongs to a flow list of plain items on one line."""
    brackets = text.count("[")
    return brackets == text.count("]") and len(_FLOW.findall(text)) == brackets


def _load():
    global _loads
    try:
        from yaml_rs import loads as _loads
    except ImportError:  # a platform without its wheel: every text is read slowly
        _loads = None
    return _loads


def _plain(value) -> bool:
    """Whether a dict or list holds only what the slow reader would give unchanged."""
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            return False
        items = value.values()
    else:
        items = value
    for item in items:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is dict or kind is list:
            if not _plain(item):
                return False
        elif kind is int:
            if not -INT_LIMIT <= item < INT_LIMIT:
                return False
        elif kind is not float or not math.isfinite(item):
            return False
    return True

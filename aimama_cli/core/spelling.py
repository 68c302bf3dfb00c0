"""Names as a coordinator types them on a Latin keyboard: 周小满 as ``zhouxiaoman`` and as its
initials ``zxm``, so that ``aimama find`` finds her either way.

The readings come from pypinyin's table of characters (pinyin_dict.json), read as a file: importing
pypinyin itself costs 0.4 s (its phrase dictionary), the table alone 0.05 s, and a name is read
one character at a time — the most common reading, except for a surname whose reading as a
surname differs (曾 zeng, 单 shan), which is what a person's name needs.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

# surnames read otherwise than the character's most common reading
SURNAMES = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
            "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "尉": "yu", "秘": "bi",
            "长": "chang", "种": "chong", "繁": "po", "黑": "he", "员": "yun", "召": "shao", "柏": "bai"}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """{code point: readings} of pypinyin, without importing it ({} when it is missing)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return {}
    try:
        raw = json.loads((Path(spec.origin).parent / "pinyin_dict.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {int(k): v for k, v in raw.items()}


@lru_cache(maxsize=20000)
def _reading(char: str) -> str:
    """The most common reading of ``char``, without tones (ü typed as v); a character with no
    reading (a Latin letter, a digit) as itself, lower case."""
    readings = _table().get(ord(char))
    if not readings:
        return char.lower() if char.isascii() and char.isalnum() else ""
    first = readings.split(",")[0].replace("ü", "v")
    return unicodedata.normalize("NFD", first).encode("ascii", "ignore").decode()


def spelled(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``name``: 周小满 -> ("zhouxiaoman", "zxm")."""
    parts = [SURNAMES.get(c) if i == 0 and c in SURNAMES else _reading(c) for i, c in enumerate(name)]
    parts = [p for p in parts if p]
    return "".join(parts), "".join(p[0] for p in parts)

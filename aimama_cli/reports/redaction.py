"""Pseudonymised exports for sharing upward (``export … --redact``, issue 8): a county or city
needs the figures and the shape of the roster, not who the children are.

What a redacted export keeps and drops is listed in docs/redaction.md:
names are reduced to the family name (张小明 → 张**), ID numbers, phone numbers, addresses,
schools and notes are dropped, the village is kept, a birth date becomes its year.  The record
id stays: it is random beyond its county code, and lets the coordinator who shared the file find
the record again.
"""

from __future__ import annotations

import datetime as dt

# two-character family names (复姓) common enough to meet in a roster
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 "
    "百里 呼延 澹台 万俟 闻人 申屠 太史 钟离 宗政 濮阳 淳于 单于 公冶 赫连 拓跋".split())


def reduced_name(name) -> str:
    """The family name and a star for each other character: 张小明 → 张**, 欧阳娜娜 → 欧阳**.
    A transliterated name (阿依古丽·买买提) has no family name first: its first character and
    two stars."""
    name = str(name or "").strip()
    if not name:
        return ""
    if "·" in name or "•" in name:
        return name[0] + "**"
    family = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]
    return family + "*" * max(1, len(name) - len(family))


def reduced_names(text, sep: str = "、") -> str:
    """Each of several names joined by ``sep`` reduced."""
    return sep.join(reduced_name(n) for n in str(text or "").split(sep) if n) if text else ""


def birth_year(value):
    """A birth date reduced to its year (an int; "" when unknown)."""
    if isinstance(value, dt.date):
        return value.year
    text = str(value or "")
    return int(text[:4]) if text[:4].isdigit() else ""


def redact_rows(rows: list[list], headers: list[str], rules: dict) -> list[list]:
    """``rows`` under ``headers`` with each column treated as ``rules`` says: a function of the
    value, or ``None`` to drop the column; columns not named stay as they are."""
    kept = [i for i, h in enumerate(headers) if rules.get(h, _KEEP) is not None]
    result = []
    for row in rows:
        result.append([rules.get(headers[i], _KEEP)(row[i]) for i in kept])
    return result


def redacted_headers(headers: list[str], rules: dict, renamed: dict | None = None) -> list[str]:
    """The headers ``redact_rows`` keeps, renamed where ``renamed`` says."""
    return [(renamed or {}).get(h, h) for h in headers if rules.get(h, _KEEP) is not None]


def _KEEP(value):
    return value

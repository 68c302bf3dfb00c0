"""What a statistical division code (统计用区划代码) says by its shape: 12 digits, province 2,
city 2, county 2, township 3, village 3; a division's own digits are followed by zeros, so the
level is read from where the zeros begin and the parent is the code cut one level up.

Shared by the rule that holds records/regions.yaml to it (AM406) and the commands that add
regions (domain/regions.py).
"""

from __future__ import annotations

import re

LENGTH = 12
LEVELS = {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}
DIGITS = {level: n for n, level in LEVELS.items()}
PREFIX = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}")


def full(prefix: str) -> str:
    """'430621' -> '430621000000': a code or prefix (2, 4, 6, 9 or 12 digits) as 12 digits."""
    return prefix.ljust(LENGTH, "0")


def level_of(code: str) -> str:
    """The level a 12-digit code's shape gives: the first level whose digits end the code
    before zeros only."""
    return next((LEVELS[n] for n in (2, 4, 6, 9) if code[n:] == "0" * (LENGTH - n)), "village")


def own_digits(code: str) -> str:
    """'430621101000' -> '430621101': the digits up to its level (a coordinator's region)."""
    return code[:DIGITS[level_of(code)]]


def parent_of(code: str) -> str | None:
    """The 12-digit code of the division one level up; None for a province."""
    length = DIGITS[level_of(code)]
    above = max((n for n in LEVELS if n < length), default=None)
    return full(code[:above]) if above else None


def is_code(text: str) -> bool:
    return isinstance(text, str) and len(text) == LENGTH and text.isdigit()

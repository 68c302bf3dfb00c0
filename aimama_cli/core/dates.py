"""Dates as records hold them (quoted ISO strings) and the arithmetic of ages."""

from __future__ import annotations

import datetime as dt


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday(birth: dt.date, age: int) -> dt.date:
    """The day one turns ``age`` (1 March for those born on 29 February, in common years)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return dt.date(birth.year + age, 3, 1)


def active_on(span: dict, day: str) -> bool:
    """A pairing (or anything with ``started_on`` and ``ended_on``) in force on ``day`` (ISO):
    begun on or before it and not ended by then."""
    ended = span.get("ended_on")
    return (span.get("started_on") or "") <= day and (not ended or ended > day)

"""Volunteer service hours, as the logs write them: decimals, so that 0.3 + 0.2 is 0.5, not
0.5000000000000001."""

from __future__ import annotations

from decimal import Decimal


def decimal_hours(value) -> Decimal | None:
    """The hours of an entry as the decimal written in the file (0.3 stays 0.3)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Decimal(str(value))


def served(entry: dict) -> bool:
    """An entry counts when contact was made (or not said otherwise) and hours are given."""
    hours = decimal_hours(entry.get("hours"))
    return entry.get("contact") != "attempted" and hours is not None and hours > 0


def logged_hours(entries) -> Decimal:
    """The hours of the entries ``served`` counts, added exactly.  A log holds many entries but
    few distinct numbers of hours: each number is read as a decimal once and multiplied by how
    often it occurs (1 and 1.0 kept apart, as their decimals are: 1 and 1.0)."""
    times: dict = {}
    for e in entries if isinstance(entries, list) else ():
        if isinstance(e, dict) and e.get("contact") != "attempted":
            hours = e.get("hours")
            if type(hours) in (int, float) and hours > 0:  # not a bool, as decimal_hours
                key = (type(hours), hours)
                times[key] = times.get(key, 0) + 1
    return sum((decimal_hours(hours) * count for (_type, hours), count in times.items()), Decimal(0))

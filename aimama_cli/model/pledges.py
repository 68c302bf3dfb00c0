"""The pledge's service term (``aimama.yaml`` ``pledge.term_years``, three years by default)."""

from __future__ import annotations

DEFAULT_TERM_YEARS = 3


def term_years(index) -> int:
    """The years of a service term: ``aimama.yaml`` ``pledge.term_years``, else three."""
    years = ((index.singleton("config") or {}).get("pledge") or {}).get("term_years")
    return years if isinstance(years, int) and not isinstance(years, bool) and years > 0 \
        else DEFAULT_TERM_YEARS


"""Region reports kept in the record index until a file changes (``Index.remembered``): the
coverage and volunteers reports of a province count every record, and a coordinator (or the
dashboard) asks for the same figures again and again between changes.

The figures go in as JSON and always come out of it — also the first time — so that a report
read back is the very one computed, never a near copy (tests/test_report_cache.py holds the
two to each other through ``--no-cache``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from aimama_cli.store.index import Index


def remembered(index: Index, name: str, compute, report_cls, row_cls, cache: bool = True):
    """``compute()`` — a ``report_cls`` whose rows are ``row_cls`` — or the one kept under
    ``name`` in the index since no file changed."""
    if not cache or not index.use_cache:
        return compute()
    return decode(index.remembered(f"report:{name}", lambda: encode(compute())), report_cls, row_cls)


def decode(data: dict, report_cls, row_cls):
    """The report :func:`encode` made ``data`` of."""
    return report_cls(dt.date.fromisoformat(data["as_of"]), data["level"], data["region"],
                      [_figures(row_cls, f) for f in data["regions"]], _figures(row_cls, data["total"]),
                      **data["extra"])


def encode(report) -> dict:
    extra = {k: v for k, v in vars(report).items() if k not in ("as_of", "level", "region", "regions", "total")}
    return {"as_of": report.as_of.isoformat(), "level": report.level, "region": report.region,
            "regions": [_state(f) for f in report.regions], "total": _state(report.total), "extra": extra}


def _state(figures) -> dict:
    return {k: str(v) if isinstance(v, Decimal) else dict(v) if isinstance(v, Counter) else v
            for k, v in vars(figures).items()}


def _figures(cls, state: dict):
    """A row of ``cls`` from its state: counters and decimals as they were."""
    figures = cls(state["code"])
    for k, v in state.items():
        now = getattr(figures, k)
        setattr(figures, k, Counter(v) if isinstance(now, Counter) else Decimal(v) if isinstance(now, Decimal) else v)
    return figures

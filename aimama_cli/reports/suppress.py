"""``--min-cell N``: small counts suppressed in a federation report that leaves the federation.

A row (a region, or a professional team) whose base count — its children (coverage), volunteers
(volunteers), pairings (duties) or cases (the more of opened and open) — is at least 1 and below
N has every figure withheld: ``<N`` in a table, CSV or workbook, ``null`` in JSON with
``"suppressed": true``. The totals are summed from all the data; the totals row is withheld too
when exactly one row is, since it would give that row away by subtraction. Rows with nothing
(0) are shown: an empty region tells nothing about a child.
"""

from __future__ import annotations

from decimal import Decimal

BASES = ("children", "volunteers", "pairings")  # the first a region row has is its base
NAMES = ("code", "name", "team", "kind")  # what a row is, never withheld


def _base(row: dict) -> int:
    if "team" in row:
        return max(row.get("opened") or 0, row.get("open") or 0)
    return next(row[key] for key in BASES if key in row)


def _rows(data: dict) -> tuple[list[dict], str]:
    return (data["teams"], "team") if "teams" in data else (data["regions"], "code")


def withheld(data: dict, min_cell: int) -> tuple[set[str], bool]:
    """The ids of the rows to withhold in report ``data`` (``as_dict()``), and whether the totals
    row is withheld too."""
    rows, key = _rows(data)
    ids = {row[key] for row in rows if 0 < _base(row) < min_cell}
    return ids, len(ids) == 1


def _blank(value):
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    return None if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _blanked(row: dict) -> dict:
    return {k: v if k in NAMES else _blank(v) for k, v in row.items()} | {"suppressed": True}


def suppress_dict(data: dict, min_cell: int) -> dict:
    """``data`` with its small rows (and the totals, where they would tell) withheld."""
    ids, total = withheld(data, min_cell)
    rows, key = _rows(data)
    out = {**data, "min_cell": min_cell,
           "teams" if key == "team" else "regions": [
               _blanked(r) if r[key] in ids else {**r, "suppressed": False} for r in rows]}
    out["total"] = _blanked(data["total"]) if total else {**data["total"], "suppressed": False}
    return out


def suppress_sheets(sheets: list, data: dict, min_cell: int) -> list:
    """The sheets with the figures of the withheld rows (first cell their code or team) shown as
    ``<N``; the totals row too when ``suppress_dict`` withholds it."""
    ids, total = withheld(data, min_cell)
    mark = f"<{min_cell}"

    def hide(row):
        return [mark if v is None or (isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)) else v
                for v in row]

    for sheet in sheets:
        last = len(sheet.rows) - 1 if sheet.total else -1
        sheet.rows = [hide(row) if row and (row[0] in ids or (total and i == last)) else row
                      for i, row in enumerate(sheet.rows)]
    return sheets

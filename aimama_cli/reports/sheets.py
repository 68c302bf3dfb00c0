"""One way to lay out every supervision report: each report is one or more sheets (a title,
headers and rows, a totals row last where it has one), shown as a table, CSV or a workbook.

A figure that cannot be worked out (a rate with nothing to divide by) is ``None`` in a row:
"—" in a table, an empty cell in CSV and in the workbook.

Whatever the records hold, a cell is shown and never run: on a terminal its control characters
are written out, in CSV (one sheet, header first) a text starting like a formula gets a leading ``'``, in a workbook it is
a text cell (``append``). Every CSV and workbook aimama writes goes through these.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.text import for_terminal, inert_cell, looks_like_formula

BLANK = "—"


@dataclass
class Sheet:
    name: str  # the worksheet's name (ASCII, short)
    title: str
    keys: list[str]  # column codes: CSV headers for scripts
    headers: list[str]  # column headers for people, in the current language
    rows: list[list]
    total: bool = False  # the last row is a totals row
    frozen: str = "C3"  # the workbook's frozen corner: titles and the first columns stay in view


def by_name(sheets: list[Sheet], programmes: dict[str, str], cell=lambda text, code: text) -> list[Sheet]:
    """The sheets as a person reads them (issue 21): a programme by its name (``programmes``:
    id -> name), a duty by its name alone, not by ids such as ``yueyang-village`` or
    ``regular_visit``.  ``cell(text, id)`` makes each named cell: the text alone on a terminal;
    the dashboard keeps the id for a tooltip."""
    shown = []
    for sheet in sheets:
        if "programme" not in sheet.keys or "duty" not in sheet.keys:
            shown.append(sheet)
            continue
        at, duty, label = (sheet.keys.index(k) for k in ("programme", "duty", "label"))
        rows = []
        for row in sheet.rows:
            row = list(row)
            if row[at] in programmes:
                row[at] = cell(programmes[row[at]] or row[at], row[at])
            if row[duty]:
                row[label] = cell(row[label] or row[duty], row[duty])
            rows.append(row[:duty] + row[duty + 1:])
        keep = [i for i in range(len(sheet.keys)) if i != duty]
        shown.append(replace(sheet, keys=[sheet.keys[i] for i in keep], headers=[sheet.headers[i] for i in keep],
                             rows=rows))
    return shown


def text(sheets: list[Sheet]) -> str:
    from tabulate import tabulate

    return "\n\n".join(
        for_terminal(sheet.title) + "\n" + tabulate(
            [[BLANK if v is None else for_terminal(v) if isinstance(v, str) else v for v in row]
             for row in sheet.rows],
            headers=sheet.headers, tablefmt="simple", disable_numparse=True)
        for sheet in sheets)


def csv_text(sheets: list[Sheet], people: bool, name: str | None = None) -> str:
    """One sheet, header first (no title line: a spreadsheet or a script reads it as it is):
    the first, or the one called ``name``. Codes as headers for scripts, or the headers people
    read (``people``)."""
    sheet = pick(sheets, name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(sheet.headers if people else sheet.keys)
    writer.writerows([["" if v is None else inert_cell(v) for v in row] for row in sheet.rows])
    return buffer.getvalue().rstrip("\n")


def pick(sheets: list[Sheet], name: str | None) -> Sheet:
    if not name:
        return sheets[0]
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    raise UsageError("report.sheet.unknown", sheet=name, names=", ".join(s.name for s in sheets))


def xlsx(sheets: list[Sheet], path: Path) -> None:
    """A worksheet a sheet: its title, the header frozen below it, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append([sheet.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(sheet.headers)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            append(ws, row)
        if sheet.total and sheet.rows:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        ws.freeze_panes = sheet.frozen
    book.save(path)


def append(ws, row: list) -> None:
    """Add ``row`` to worksheet ``ws``; a text that starts like a formula stays text (a
    string cell, shown with Excel's quote prefix), where openpyxl would write a formula."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def rate(part: int, whole: int) -> float | None:
    """A percentage to one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None

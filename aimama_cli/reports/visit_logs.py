"""Visit logs shown and handed out: ``log list`` as a table, JSON or CSV, and the form
volunteers fill in (templates/visit-log.xlsx and .csv), whose export ``import logs`` takes as is.

The form is made from the schema, so its drop-down lists follow the kinds and labels there:
``python -m aimama_cli.reports.visit_logs [FOLDER]`` writes both files again (default:
templates/ of the checkout).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal, inert_cell, json_text
from aimama_cli.domain.activities import ENTRY
from aimama_cli.domain.log_import import choices, template_headers
from aimama_cli.reports.views import shown
from aimama_cli.store.sealing.masking import masked

COLUMNS = ["date", "n", "volunteer", "about", "kinds", "contact", "hours"]
CSV_COLUMNS = ["date", "volunteer", "volunteer_name", "n", "child", "child_name", "pairing", "kinds",
               "contact", "hours"]


def ids_named(rows: list[dict]) -> set[str]:
    """The ids whose names a listing shows: volunteers and children."""
    found = set()
    for row in rows:
        found.add(row["volunteer"])
        found.update(_children(row))
    return found


def _children(row: dict) -> list[str]:
    return list(row.get("children") or []) or ([row["child"]] if row.get("child") else [])


def render(rows: list[dict], fmt: str, names: dict[str, str]) -> str:
    if fmt == "json":
        return json_text([masked("activity", row, ENTRY) for row in rows])
    if fmt == "csv":
        return _csv(rows, names)
    from tabulate import tabulate

    table = [[row["date"], row["n"], shown("activity", (), row["volunteer"], names),
              _about(row, names), shown("activity", ENTRY + ("kinds",), row.get("kinds"), {}),
              shown("activity", ENTRY + ("contact",), row.get("contact"), {}),
              "" if row.get("hours") is None else str(row["hours"])] for row in rows]
    headers = [t(f"log.list.col.{c}") for c in COLUMNS]
    return tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True) + "\n" + \
        t("log.list.count", count=len(rows))


def _about(row: dict, names: dict[str, str]) -> str:
    children = _children(row)
    if children:
        return "、".join(for_terminal(names.get(c) or c) for c in children)
    return for_terminal(str(row.get("pairing") or ""))


def _csv(rows: list[dict], names: dict[str, str]) -> str:
    """Ids and codes, with the names beside them: what a script reads, and what ``import
    logs`` takes back (it skips the entries already logged)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        children = _children(row)
        cells = [row["date"], row["volunteer"], names.get(row["volunteer"], ""), row["n"],
                 ",".join(children), "、".join(names.get(c, "") for c in children), row.get("pairing", ""),
                 ",".join(row.get("kinds") or []), row.get("contact", ""),
                 "" if row.get("hours") is None else row["hours"]]
        writer.writerow([inert_cell(str(c)) for c in cells])
    return buffer.getvalue().rstrip("\n")


# --- the form -------------------------------------------------------------------------------------
# The form is a Chinese document handed to volunteers, whatever the coordinator's language: its
# words are the form's content, not messages of aimama.

NOTES = [
    "每行填写一次走访或联系；填好后交给协调员，用 aimama import logs 文件名 导入。",
    "日期：如 2026-04-18 或 2026/4/18。",
    "志愿者、儿童：填完整姓名或编号；一次集体活动的多名儿童用顿号（、）隔开。",
    "方式：从下拉列表选择；做了几件事可填多个，用顿号隔开，如 入户走访、做一顿饭。",
    "联系情况：已联系上 或 未联系上（电话没打通时填未联系上）。",
    "时长（小时）：数字，如 1.5。",
    "内容：走访情况，属敏感信息，只有协调员可见。",
]
ROWS = 500  # rows the drop-down lists cover


def write_form(folder: Path) -> list[Path]:
    """templates/visit-log.xlsx (the headers, drop-down lists of kinds and contact, notes) and
    templates/visit-log.csv (the headers, UTF-8 with a BOM so that Excel reads the Chinese)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = template_headers()
    book = Workbook()
    sheet = book.active
    sheet.title = "走访记录"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (12, 10, 14, 20, 12, 12, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    lists = book.create_sheet("选项")
    for column, (name, title) in enumerate((("kinds", "方式"), ("contact", "联系情况")), start=1):
        labels = choices(name)
        lists.cell(1, column, title)
        for row, label in enumerate(labels, start=2):
            lists.cell(row, column, label)
        letter = "AB"[column - 1]
        # a warning, not a stop: several kinds in one cell (入户走访、做一顿饭) are not on the list
        check = DataValidation(type="list", formula1=f"=选项!${letter}$2:${letter}${len(labels) + 1}",
                               allow_blank=True, errorStyle="warning", showErrorMessage=True,
                               error="不在列表中：多个方式请用顿号隔开", errorTitle="方式")
        target = "DE"[column - 1]
        check.add(f"{target}2:{target}{ROWS + 1}")
        sheet.add_data_validation(check)
    lists.sheet_state = "hidden"
    notes = book.create_sheet("填写说明")
    for line in NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, text = folder / "visit-log.xlsx", folder / "visit-log.csv"
    book.properties.creator = "aimama"
    book.save(xlsx)
    _fixed_times(xlsx)
    text.write_text(",".join(headers) + "\n", encoding="utf-8-sig")
    return [xlsx, text]


def _fixed_times(path: Path) -> None:
    """The same bytes every time it is made (openpyxl stamps the time of writing): the file in
    the repository changes only when the form does."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = [(info.filename, book.read(info.filename)) for info in book.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", data)
            book.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


if __name__ == "__main__":
    import sys

    from aimama_cli.core.resources import CHECKOUT

    write_form(Path(sys.argv[1]) if len(sys.argv) > 1 else CHECKOUT / "templates")

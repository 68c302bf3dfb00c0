"""Volunteer service hours (志愿服务时长) from the activity logs, in the columns the national
volunteer service information system (全国志愿服务信息系统) imports: one row per volunteer and
entry, calls that did not get through and entries without hours left out.

The entries come from the record index (dates, kinds, contact and hours are projected there);
a log is read from its file only for the titles of its books and micro-wishes.  The free-text
``details`` of an entry are sensitive and never exported.  Hours are added as decimals, so
0.3 + 0.2 is 0.5, not 0.5000000000000001.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aimama_cli.core.hours import decimal_hours, served
from aimama_cli.core.text import inert_cell
from aimama_cli.domain.keys import readable
from aimama_cli.reports.redaction import redact_rows, reduced_name
from aimama_cli.reports.roster_export import _date, _read, _text, display_width, export_index, sheet_title
from aimama_cli.reports.sheets import append
from aimama_cli.store import schemas
from aimama_cli.store.index import Index
from aimama_cli.store.sealing.masking import mask, unsealed

HEADERS = ["姓名", "证件类型", "证件号码", "服务日期", "服务时长（小时）", "服务内容", "组织单位"]
ID_TYPE = "居民身份证"
DATE_COLUMN, HOURS_COLUMN = 3, 4
TITLED = {"book": ("book", "title"), "micro_wish": ("micro_wish", "wish")}  # kind -> its title
MAX_WIDTH = 40
# --redact: the name reduced to the family name, the ID columns left blank (the layout stays the
# one the national system imports; see docs/redaction.md)
REDACTION = {"姓名": reduced_name, "证件类型": lambda v: "", "证件号码": lambda v: ""}


@dataclass
class Hours:
    year: int
    region: str | None
    rows: list[list] = field(default_factory=list)  # HEADERS, the date a date, hours a Decimal
    counted: int | None = None  # volunteers, counted before redaction blanked what tells them apart

    @property
    def volunteers(self) -> int:
        if self.counted is not None:
            return self.counted
        return len({(r[0], r[2], r[6]) for r in self.rows})

    @property
    def total(self) -> Decimal:
        return sum((r[HOURS_COLUMN] for r in self.rows), Decimal(0))


def hours_text(value: Decimal) -> str:
    """1.50 -> '1.5', 10 -> '10'."""
    return format(value.normalize(), "f")


def build_hours(root: Path, *, year: int, region: str | None, reveal: bool = False,
                redact: bool = False, index: Index | None = None) -> Hours:
    index = export_index(root, region, reveal, redact, index)
    logs = [(path, fields) for path, _rid, fields in index.fields("activity")
            if fields.get("year") == year]
    people = _volunteers(index, {f.get("volunteer") for _p, f in logs}, region or "")
    teams = {rid: f.get("name", "") for _p, rid, f in index.fields("team", ("name",))}
    result = Hours(year, region)
    for path, fields in logs:
        person = people.get(fields.get("volunteer"))
        if person is None:
            continue  # another region's volunteer (or an unknown one: AM401)
        entries = [(i, e) for i, e in enumerate(fields.get("entries") or []) if served(e)]
        titles = _titles(root, path) if any(set(e.get("kinds") or ()) & TITLED.keys()
                                            for _i, e in entries) else {}
        number = person.get("id_number") or ""
        for i, entry in entries:
            result.rows.append([
                person.get("name", ""), ID_TYPE if number else "",
                unsealed(number) if reveal else mask(number, "id_number"),
                _date(entry.get("date")), decimal_hours(entry["hours"]),
                content(entry.get("kinds") or [], titles.get(i, {})),
                teams.get(person.get("team"), person.get("team") or ""),
            ])
    result.rows.sort(key=lambda r: (r[6], r[0], r[2], str(r[DATE_COLUMN])))
    if redact:
        result.counted = result.volunteers
        result.rows = redact_rows(result.rows, HEADERS, REDACTION)
    return result


def _volunteers(index: Index, wanted: set, region: str) -> dict[str, dict]:
    """id -> indexed fields of the volunteers ``wanted`` whose village lies in ``region``."""
    rows = index.db.execute(
        "SELECT rid, fields FROM files WHERE kind = 'volunteer' AND rid IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted(v for v in wanted if isinstance(v, str))),))
    found = {rid: readable(index, "volunteer", json.loads(fields), rid) for rid, fields in rows}
    return {rid: f for rid, f in found.items() if str(f.get("village") or "").startswith(region)}


def _titles(root: Path, path: str) -> dict[int, dict]:
    """entry index -> {kind: title} of the books and micro-wishes of the log at ``path``."""
    entries = _read(root, path).get("entries")
    found = {}
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict):
            found[i] = {kind: str(entry[key].get(name) or "") for kind, (key, name) in TITLED.items()
                        if isinstance(entry.get(key), dict)}
    return found


def content(kinds: list, titles: dict) -> str:
    """服务内容: the kinds' Chinese labels, a book's or a wish's title beside its kind
    (入户走访、微心愿（一个足球）)."""
    parts = []
    for kind in kinds:
        label = schemas.label("activity", ("entries", "*", "kinds", "*"), kind, "zh") or str(kind)
        parts.append(f"{label}（{titles[kind]}）" if titles.get(kind) else label)
    return "、".join(parts)


def _cell_text(value) -> str:
    return hours_text(value) if isinstance(value, Decimal) else _text(value)


# --- writing ----------------------------------------------------------------------------------

def write_csv(hours: Hours, handle) -> None:
    """The caller opens ``handle`` with ``utf-8-sig`` (the BOM makes Excel read UTF-8)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in hours.rows:
        writer.writerow([inert_cell(_cell_text(v)) for v in row])


def write_xlsx(hours: Hours, path: Path) -> None:
    """One sheet, the header frozen, ID numbers as text, dates as dates, hours as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet_title(f"{hours.year}年志愿服务时长", set())
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in hours.rows:
        append(ws, [float(v) if isinstance(v, Decimal) else v for v in row])
    ws.freeze_panes = "A2"
    for column, header in enumerate(HEADERS, start=1):
        texts = [header] + [_cell_text(r[column - 1]) for r in hours.rows]
        ws.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(map(display_width, texts)) + 2)
        number_format = {DATE_COLUMN: "yyyy-mm-dd", HOURS_COLUMN: "General"}.get(column - 1, "@")
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    book.save(path)

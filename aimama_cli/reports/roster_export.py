"""The roster as coordinators hand it on: 爱心妈妈+留守困境儿童名册, one row per active child with
the volunteers paired with her or him on the day, Chinese headers and labels, ID numbers and
phone numbers masked unless revealed.

Children and pairings are found through the record index; only the records that go into the
roster are read from their files (the fast reader), for the fields the index does not keep.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.text import inert_cell
from aimama_cli.domain.keys import key_to_reveal, readable
from aimama_cli.domain.roster_import import Places
from aimama_cli.reports.redaction import birth_year, redact_rows, redacted_headers, reduced_name, reduced_names
from aimama_cli.reports.sheets import append
from aimama_cli.rules.checker import open_index
from aimama_cli.store import schemas
from aimama_cli.store.index import Index
from aimama_cli.store.sealing.masking import mask, unsealed
from aimama_cli.store.yamlio import YamlProblem, decode, parse

TITLE = "爱心妈妈+留守困境儿童名册"
HEADERS = ["序号", "乡镇（街道）", "所在村（社区）", "姓名", "性别", "出生日期", "身份证号",
           "儿童类别", "风险等级", "监护人", "与儿童关系", "监护人电话", "就读学校", "年级",
           "监护人同意结对", "是否结对", "结对爱心妈妈", "爱心妈妈电话", "结对方式", "儿童编号"]
DATE_COLUMNS = {"出生日期"}
# --redact (see redaction.py and docs/redaction.md): what each column becomes; None drops it
REDACTION = {"姓名": reduced_name, "出生日期": birth_year, "身份证号": None, "监护人": reduced_name,
             "监护人电话": None, "就读学校": None, "结对爱心妈妈": reduced_names, "爱心妈妈电话": None}
REDACTED_HEADERS = ["序号"] + redacted_headers(HEADERS[1:], REDACTION, {"出生日期": "出生年份"})
REDACTED_MARK = "（脱敏）"
MAX_WIDTH = 40  # columns wider than this wrap rather than stretch
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
REGION_PREFIX = re.compile(r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$")


@dataclass
class Roster:
    as_of: dt.date
    region: str | None
    # village code -> rows (without 序号), in roster order
    villages: dict[str, list[list]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # village code -> sheet title text
    headers: list[str] = field(default_factory=lambda: list(HEADERS))
    redacted: bool = False

    @property
    def rows(self) -> list[list]:
        return [row for rows in self.villages.values() for row in rows]


def _zh(kind: str, path: tuple, code) -> str:
    return schemas.label(kind, path, code, "zh") if code is not None else ""


def _read(root: Path, path: str) -> dict:
    try:
        data = parse(decode((root / path).read_bytes())).data
    except (OSError, YamlProblem):
        return {}  # `check` reports it; the roster shows what the index knows
    return data if isinstance(data, dict) else {}


def _active_pairings(index: Index, children: list[str], day: str) -> dict[str, list[tuple]]:
    """child id -> [(volunteer id, role)] of the pairings active on ``day``."""
    found: dict[str, list[tuple]] = defaultdict(list)
    rows = index.db.execute(
        """SELECT r.target, json_extract(p.fields, '$.volunteer'), json_extract(p.fields, '$.role'),
                  json_extract(p.fields, '$.started_on'), json_extract(p.fields, '$.ended_on')
           FROM refs r JOIN files p ON p.path = r.path
           WHERE r.field = 'child' AND p.kind = 'pairing'
             AND r.target IN (SELECT value FROM json_each(?))
           ORDER BY json_extract(p.fields, '$.started_on'), p.path""", (json.dumps(children),))
    for child, volunteer, role, start, end in rows:
        if (start or "") <= day and (not end or end > day):
            found[child].append((volunteer, role))
    return found


def _active_on(record: dict, day: str) -> bool:
    """Active, or closed (withdrawn) only after ``day``."""
    closed = record.get("closed") if isinstance(record.get("closed"), dict) else {}
    return record.get("status") == "active" or str(closed.get("on") or "") > day


def _active_volunteers(index: Index, root: Path, wanted: set[str], day: str) -> dict[str, dict]:
    """volunteer id -> her record, for those among ``wanted`` who served on ``day``."""
    rows = index.db.execute(
        "SELECT rid, path FROM files WHERE kind = 'volunteer' AND rid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(wanted)),))
    found = {rid: readable(index, "volunteer", _read(root, path)) for rid, path in rows}
    return {rid: data for rid, data in found.items() if _active_on(data, day)}


def export_index(root: Path, region: str | None, reveal: bool, redact: bool,
                 index: Index | None) -> Index:
    """The index an export reads, once its options are known to make sense (a region code,
    not --reveal with --redact, the key at hand for --reveal)."""
    if region is not None and not REGION_PREFIX.match(region):
        raise UsageError("export.bad_region", region=region)
    if reveal and redact:
        raise UsageError("export.reveal_redact")
    if reveal:
        key_to_reveal(root)
    return index or open_index(root)


def build_roster(root: Path, *, region: str | None, as_of: dt.date, reveal: bool = False,
                 redact: bool = False, index: Index | None = None) -> Roster:
    index = export_index(root, region, reveal, redact, index)
    places = Places(index)
    day = as_of.isoformat()
    children = index.db.execute(  # on the roster that day: active, or closed only later
        """SELECT path, rid, fields FROM files WHERE kind = 'child'
             AND (json_extract(fields, '$.status') = 'active'
                  OR json_extract(fields, '$."closed.on"') > ?3)
             AND substr(json_extract(fields, '$.village'), 1, ?1) = ?2
           ORDER BY json_extract(fields, '$.village'), json_extract(fields, '$.name'), rid""",
        (len(region or ""), region or "", day)).fetchall()
    pairings = _active_pairings(index, [rid for _, rid, _ in children], day)
    volunteers = _active_volunteers(index, root, {v for links in pairings.values() for v, _ in links},
                                    day)
    shown = (lambda value, name: unsealed(value)) if reveal else (lambda value, name: mask(value, name))
    roster = Roster(as_of, region)
    for path, rid, fields in children:
        fields = readable(index, "child", json.loads(fields), rid)  # with the key: to be masked or revealed
        record = readable(index, "child", _read(root, path))
        village = fields.get("village", "")
        guardian = record.get("guardian") if isinstance(record.get("guardian"), dict) else {}
        school = record.get("school") if isinstance(record.get("school"), dict) else {}
        consent = (guardian.get("consent") or {}).get("given") if isinstance(guardian.get("consent"), dict) else None
        links = [(volunteers[v], role) for v, role in pairings.get(rid, []) if v in volunteers]
        birth = fields.get("birth_date")
        row = [
            places.named(village[:9], "township"), places.name.get(village, village),
            fields.get("name", ""), _zh("child", ("gender",), fields.get("gender")),
            _date(birth), shown(fields.get("id_number") or "", "id_number"),
            "、".join(_zh("child", ("categories", "*"), c) for c in fields.get("categories") or []),
            _zh("child", ("risk_level",), fields.get("risk_level")),
            guardian.get("name", ""), _zh("child", ("guardian", "relation"), guardian.get("relation")),
            shown(guardian.get("phone") or "", "phone"),
            school.get("name", ""), school.get("grade", ""),
            "是" if consent is True else "否",
            "是" if links else "否",
            "、".join(str(v.get("name", "")) for v, _ in links),
            "、".join(shown(str(v.get("phone", "")), "phone") for v, _ in links),
            "、".join(_zh("pairing", ("role",), role) for _, role in links),
            rid,
        ]
        roster.villages.setdefault(village, []).append(row)
        roster.names.setdefault(village, places.name.get(village) or village)
    return redacted(roster) if redact else roster


def redacted(roster: Roster) -> Roster:
    """The roster pseudonymised for sharing upward (``--redact``)."""
    roster.villages = {v: redact_rows(rows, HEADERS[1:], REDACTION) for v, rows in roster.villages.items()}
    roster.headers, roster.redacted = list(REDACTED_HEADERS), True
    return roster


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- writing ----------------------------------------------------------------------------------

def write_csv(roster: Roster, handle) -> None:
    """One table, a 村（社区） column to tell villages apart; the caller opens ``handle`` with
    ``utf-8-sig`` (the BOM makes Excel read UTF-8)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(roster.headers)
    for number, row in enumerate(roster.rows, start=1):
        writer.writerow([number] + [inert_cell(_text(v)) for v in row])


def display_width(text: str) -> int:
    """Columns Excel needs: Chinese characters count as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = SHEET_NAME_BAD.sub("_", name).strip("'") or "sheet"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f"({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_xlsx(roster: Roster, path: Path) -> None:
    """One sheet per village: a title row, the header frozen below it, widths that fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    sheets = roster.villages or {"": []}
    for village, rows in sheets.items():
        name = roster.names.get(village, "")
        ws = book.create_sheet(sheet_title(name or TITLE, taken))
        title = f"{name}{TITLE}（截至{roster.as_of.isoformat()}）" + (REDACTED_MARK if roster.redacted else "")
        append(ws, [title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(roster.headers))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append(roster.headers)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for number, row in enumerate(rows, start=1):
            append(ws, [number] + row)
        ws.freeze_panes = "A3"
        for index, header in enumerate(roster.headers, start=1):
            letter = get_column_letter(index)
            texts = [header] + [_text(r[index - 2]) if index > 1 else str(n)
                                for n, r in enumerate(rows, start=1)]
            ws.column_dimensions[letter].width = min(MAX_WIDTH, max(map(display_width, texts)) + 2)
            if header in DATE_COLUMNS:
                for (cell,) in ws.iter_rows(min_row=3, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
            elif header != "序号":
                for (cell,) in ws.iter_rows(min_row=3, min_col=index, max_col=index):
                    cell.number_format = "@"  # text: Excel must not turn ID numbers into numbers
    book.save(path)

"""``aimama import logs FILE``: visit logs from a sheet — an online form's export (问卷星, 腾讯问卷,
金数据), a WeChat group's tally typed into a spreadsheet, ``templates/visit-log.xlsx`` filled in —
made into entries of the volunteers' logs.

The table is read as a roster is (domain/roster_import.py: header row found by its names, a
title line, blank rows and a 合计 line passed over, ``--mapping`` for other headers).  Each row
is one entry: volunteer and child by id or by exact name (a child's name first among the
children paired with the volunteer that day), kinds and contact as codes or labels.  Rows that
repeat an entry already logged (same day, children, kinds and contact: what AM817 calls one entry
entered twice) or an earlier row are skipped and counted.  The rest are judged together like
any change and written in one commit, or nothing is: every bad row is named with its column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import AimamaError
from aimama_cli.core.i18n import t
from aimama_cli.domain import activities, session
from aimama_cli.domain.log_entries import People
from aimama_cli.domain.roster_import import (
    SKIP,
    Mapping,
    Row,
    Table,
    cell_text,
    find_columns,
    is_data,
    load_mapping,
    read_table,
    save_rows,
)
from aimama_cli.model.activities import DETAILS, sameness
from aimama_cli.store import layout, schemas, values
from aimama_cli.store.analysis import field_path

KIND = "activity"
# headers (as roster_import.normal_header makes them) -> field of an entry ("volunteer": whose log)
HEADERS = {
    "日期": "date", "活动日期": "date", "走访日期": "date", "服务日期": "date", "关爱日期": "date",
    "志愿者": "volunteer", "爱心妈妈": "volunteer", "志愿者姓名": "volunteer",
    "爱心妈妈姓名": "volunteer", "志愿者编号": "volunteer",
    "儿童": "child", "儿童姓名": "child", "儿童编号": "child", "结对儿童": "child",
    "关爱对象": "child", "结对对象": "child", "结对编号": "pairing",
    "方式": "kinds", "活动方式": "kinds", "关爱方式": "kinds", "服务方式": "kinds", "形式": "kinds",
    "活动类型": "kinds", "类型": "kinds",
    "联系情况": "contact", "是否联系上": "contact",
    "时长（小时）": "hours", "时长": "hours", "服务时长": "hours", "服务时长（小时）": "hours",
    "小时": "hours", "小时数": "hours",
    "内容": "details", "活动内容": "details", "情况记录": "details", "走访情况": "details",
    "备注": "details", "走访清单": "checklist", "微心愿": "micro_wish.wish",
    "心愿实现日期": "micro_wish.fulfilled_on", "共读图书": "book.title", "书名": "book.title",
    "发现的问题": "concern", "问题风险程度": "concern_risk",
    # what online forms add, and what `log list --format csv` writes beside the ids
    "序号": SKIP, "编号": SKIP, "提交答卷时间": SKIP, "提交时间": SKIP, "所用时间": SKIP,
    "来源": SKIP, "来源详情": SKIP, "来自ip": SKIP, "总分": SKIP, "填写人": SKIP,
    "volunteer_name": SKIP, "child_name": SKIP, "n": SKIP,
    # English, as forms in English and `log list --format csv` write them
    "date": "date", "volunteer": "volunteer", "child": "child", "children": "child",
    "pairing": "pairing", "kind": "kinds", "kinds": "kinds", "mode": "kinds", "contact": "contact",
    "hours": "hours", "duration": "hours", "details": "details", "content": "details",
    "notes": "details",
}
TABLE = Table(HEADERS, required="date", no_header="logs.no_header", no_required="logs.no_date_column")
# words forms use for a kind or a contact besides the code and the label in the schema
SYNONYMS = {
    "kinds": {"入户": "home_visit", "家访": "home_visit", "走访": "home_visit", "上门走访": "home_visit",
              "电话": "phone_call", "打电话": "phone_call", "视频": "video_call", "微信": "wechat",
              "联系学校": "school_contact", "做饭": "meal", "读书": "book", "共读": "book",
              "过生日": "birthday", "过节": "festival", "陪伴": "emotional_support"},
    "contact": {"是": "made", "已联系": "made", "联系上": "made", "否": "attempted",
                "未联系": "attempted", "没联系上": "attempted"},
}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # a date cell read as a number counts days from here
SERIALS = range(36526, 73051)  # the serial numbers of 2000-01-01 .. 2099-12-31
HOURS_UNIT = re.compile(r"\s*(小时|个小时|h|hr|hrs|hours?)\s*$", re.I)
MIDNIGHT = re.compile(r"^(.*?\d)[ T]0?0:00(:00(\.0+)?)?$")  # '2026-04-18 00:00:00', as exports write a date cell


def is_field(name: str) -> bool:
    """What ``--mapping`` may map a column to: the volunteer, or a field of an entry."""
    return name == "volunteer" or schemas.subschema(KIND, activities.ENTRY + field_path(name)) is not None


@dataclass
class LogRow(Row):
    kind: str = KIND
    headers: dict | None = field(default_factory=lambda: HEADERS)
    entry: dict = field(default_factory=dict)
    volunteer: str | None = None
    names: dict = field(default_factory=dict)  # id -> name of the volunteer and children, to say what was logged

    @property
    def name(self) -> str:
        """How a row is named in messages: whose visit, which day."""
        date = self.entry.get("date") or cell_text(self.data.get("date"))
        return " ".join(filter(None, (cell_text(self.data.get("volunteer")), date)))


@dataclass
class Outcome:
    added: list[LogRow]
    skipped: list[LogRow]
    unused: list[str]
    logs: set[str] = field(default_factory=set)
    commit: str | None = None


class RowReader:
    """Makes the entry of one row: volunteer and date first (a child's name is looked for
    among the children paired with her that day), then the rest, then the mapping's defaults."""

    def __init__(self, change, columns, mapping: Mapping):
        self.change, self.columns, self.defaults = change, columns, dict(mapping.defaults)
        self.volunteers, self.children = People(change, "volunteer"), People(change, "child")

    def read(self, number: int, cells: list) -> LogRow:
        row = LogRow(number)
        given = {}
        for column in self.columns:
            raw = cells[column.index] if column.index < len(cells) else None
            if column.target != SKIP:
                row.columns[column.target] = column.header
                if cell_text(raw) or isinstance(raw, (dt.date, bool)):
                    given[column.target] = raw
        for name, raw in self.defaults.items():
            given.setdefault(name, raw)
        row.data = {k: raw for k, raw in given.items() if k in ("volunteer", "date")}
        order = sorted(given, key=lambda k: (k != "volunteer", k != "date"))
        for name in order:
            try:
                self._set(row, name, given[name])
            except values.ValueProblem as exc:
                row.failed.add(name)
                row.problems.append((row.column_of(name), t(exc.key, **exc.params)))
            except AimamaError as exc:  # hours, checklist: the messages of `log add`
                row.failed.add(name)
                row.problems.append((row.column_of(name), exc.render()))
        self._complete(row)
        return row

    def _set(self, row: LogRow, name: str, raw) -> None:
        entry = row.entry
        if name == "volunteer":
            row.volunteer = self.volunteers.find(cell_text(raw))
        elif name == "date":
            entry["date"] = date_of(raw)
        elif name == "pairing":
            entry["pairing"] = layout.stem(self.change.path_of(cell_text(raw), "pairing"))
        elif name == "child":
            paired = self._paired(row)
            found = [rid for text in values.LIST_SEPARATORS.split(cell_text(raw)) if text
                     for rid in self._children(text, paired)]
            found = list(dict.fromkeys(found))
            if len(found) == 1:
                entry["child"] = found[0]
            elif found:
                entry["children"] = found
        elif name == "hours":
            entry["hours"] = activities.hours(HOURS_UNIT.sub("", cell_text(raw)))
        elif name == "checklist":
            if row.volunteer and "date" in entry:
                entry["checklist"] = activities.checklist(self.change, row.volunteer, int(entry["date"][:4]),
                                                          [cell_text(raw)])
        else:
            _put(entry, name, values.coerce(KIND, activities.ENTRY + field_path(name), _words(name, raw)))

    def _children(self, text: str, paired) -> list[str]:
        """The children one part of a cell names: a name, or names typed with spaces between
        (朱晨曦 邓可欣), as a phone's keyboard separates them; the whole text first, so that a name
        with a space in it is still one child."""
        try:
            return [self.children.find(text, paired)]
        except values.ValueProblem:
            words = text.split()
            if len(words) < 2:
                raise
            try:
                return [self.children.find(word, paired) for word in words]
            except values.ValueProblem:
                pass
            raise  # the whole text, as the coordinator typed it, is what is named

    def _paired(self, row: LogRow) -> list[tuple[str, str]]:
        if not row.volunteer or "date" not in row.entry:
            return []
        return [(rid, name) for rid, name, _village in
                self.change.index.children_paired_with(row.volunteer, row.entry["date"])]

    def _complete(self, row: LogRow) -> None:
        """Kinds the details imply (a wish: micro_wish), then what must be there."""
        entry = row.entry
        kinds = entry.get("kinds") if "kinds" not in row.failed else None
        implied = [kind for kind, (key, _needed) in DETAILS.items() if key in entry]
        if kinds is not None or implied:
            entry["kinds"] = list(dict.fromkeys((kinds or []) + implied))
        needed = [("volunteer", row.volunteer), ("date", entry.get("date")), ("kinds", entry.get("kinds")),
                  ("child", entry.get("child") or entry.get("children") or entry.get("pairing"))]
        for name, value in needed:
            if not value and name not in row.failed and not (name == "child" and "pairing" in row.failed):
                row.problems.append((row.column_of(name), t("import.empty")))


def _words(name: str, raw):
    """A form's own words for a kind or a contact made codes; the rest as the cell has it."""
    words = SYNONYMS.get(name.split(".")[0])
    if not words:
        return raw if isinstance(raw, (dt.date, bool)) else cell_text(raw)
    parts = [p for p in values.LIST_SEPARATORS.split(cell_text(raw)) if p]
    return [words.get(p, p) for p in parts] if name == "kinds" else words.get(cell_text(raw), cell_text(raw))


def date_of(raw) -> str:
    """A date as sheets hold one: a date cell, a number (a date cell formatted as a number:
    days since 1899-12-30), '2026-04-18 00:00:00' (a date cell in a CSV export), or the forms
    :func:`values.parse_date_text` reads."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() and int(raw) in SERIALS:
        return (EXCEL_EPOCH + dt.timedelta(days=int(raw))).isoformat()
    text = cell_text(raw)
    midnight = MIDNIGHT.match(text)
    return values.parse_date_text(midnight.group(1) if midnight else text)


def _put(data: dict, name: str, value) -> None:
    steps = name.split(".")
    for step in steps[:-1]:
        data = data.setdefault(step, {})
    data[steps[-1]] = value


class Logged:
    """The entries already in the volunteers' logs (their indexed fields: what tells two entries
    apart is indexed, so no log is read), and those of earlier rows: what makes a row one
    already logged."""

    def __init__(self, index):
        self.index = index
        self.known: dict[tuple, dict[tuple, int | None]] = {}  # (volunteer, year) -> sameness -> row (None: on record)

    def same(self, volunteer: str, entry: dict) -> int | None | bool:
        """None: on record; a row number: an earlier row; False: new."""
        return self._of(volunteer, entry).get(sameness(entry), False)

    def add(self, volunteer: str, entry: dict, row: int) -> None:
        self._of(volunteer, entry).setdefault(sameness(entry), row)

    def _of(self, volunteer: str, entry: dict) -> dict:
        year = int(entry["date"][:4])
        if (volunteer, year) not in self.known:
            for _rid, log in self.index.naming(volunteer, "activity", "volunteer"):
                seen = self.known.setdefault((volunteer, log.get("year")), {})
                for logged in log.get("entries") or []:
                    if isinstance(logged, dict):
                        seen.setdefault(sameness(logged), None)
            self.known.setdefault((volunteer, year), {})
        return self.known[(volunteer, year)]


def import_logs(root: Path, file: Path, *, mapping: Path | None = None, sheet: str | None = None,
                as_of: dt.date, dry_run: bool = False, commit: bool = True, progress=None) -> Outcome:
    """Read ``file`` and put one entry per new row into its volunteer's log, in one change.
    Raises :class:`roster_import.RowsRefused` naming every bad row."""
    spec = load_mapping(mapping, KIND, is_field) if mapping else Mapping()
    table = read_table(file, sheet)
    header, columns, unused = find_columns(table, KIND, spec, TABLE)
    change = session.change(root, "import logs", as_of=as_of)
    reader = RowReader(change, columns, spec)
    logged = Logged(change.index)
    outcome = Outcome([], [], unused)
    names: dict[str, str | None] = {}
    placed: dict[str, list] = {}  # log -> [row, position of its entry now], for _locator
    body = [(n, cells) for n, cells in table[header + 1:] if is_data(cells)]
    with (progress(body) if progress else contextlib.nullcontext(body)) as rows:
        for number, cells in rows:
            row = reader.read(number, cells)
            if row.problems:
                outcome.added.append(row)
                continue
            earlier = logged.same(row.volunteer, row.entry)
            if earlier is not False:
                row.same_as = t("logs.same_row", row=earlier) if earlier else t("logs.logged")
                outcome.skipped.append(row)
                continue
            logged.add(row.volunteer, row.entry, number)
            if row.volunteer not in names:
                names[row.volunteer] = change.indexed(row.volunteer, "volunteer").get("name")
            row.names = {row.volunteer: names[row.volunteer],
                         **{c: change.indexed(c, "child").get("name") for c in _children(row.entry)}}
            row.path, position = activities.put(change, row.volunteer, names[row.volunteer], row.entry,
                                                _names(row.names, row.entry))
            _place(placed.setdefault(row.path, []), row, position)
            outcome.added.append(row)
            outcome.logs.add(row.path)
    if outcome.added:
        summary = t("commit.logs_imported", count=len(outcome.added), file=file.name)
        outcome.commit = save_rows(change, outcome.added, summary, commit=commit, dry_run=dry_run,
                                   locate=_locator(placed)).commit
    return outcome


def _children(entry: dict) -> list[str]:
    return [entry["child"]] if entry.get("child") else list(entry.get("children") or [])


def _names(known: dict, entry: dict) -> dict:
    """The names written beside the ids of a new entry (``known``: id -> name)."""
    if entry.get("child"):
        return {"child": known.get(entry["child"])}
    if entry.get("children"):
        return {"children": "、".join(known.get(c) or c for c in entry["children"])}
    return {}


def _place(placed: list, row: LogRow, position: int) -> None:
    """Row ``row``'s entry went in at ``position``: the entries after it moved one down."""
    for earlier in placed:
        if earlier[1] >= position:
            earlier[1] += 1
    placed.append([row, position])


def _locator(placed: dict[str, list]):
    """(row, field of its entry) of a problem at ``entries[i].field`` of a log written."""
    by_position = {(path, position): row for path, rows in placed.items() for row, position in rows}

    def locate(file: str, name: str | None):
        steps = field_path(name)
        if len(steps) < 2 or steps[0] != "entries" or not isinstance(steps[1], int):
            return None
        row = by_position.get((file, steps[1]))
        return (row, ".".join(str(s) for s in steps[2:])) if row else None

    return locate


def template_headers() -> list[str]:
    """The columns of templates/visit-log.*: the first header of each field the form asks for."""
    return ["日期", "志愿者", "儿童", "方式", "联系情况", "时长（小时）", "内容"]


def choices(name: str) -> list[str]:
    """The Chinese labels a drop-down offers for ``name`` (kinds, contact), in schema order."""
    path = activities.ENTRY + ((name, 0) if name == "kinds" else (name,))
    node = schemas.subschema(KIND, path) or {}
    return [schemas.label(KIND, schemas.pattern_of(path), code, "zh") for code in node.get("enum", [])]


"""Rosters (花名册) in CSV or XLSX, as civil affairs and women's federations hand them out, made
into new child or volunteer records.

A roster is read as a table: the header row is the first whose cells are known column names
(a title line above it and merged title cells are passed over), blank rows and a 合计 or 填表人
line at the bottom are skipped.  Each row becomes one record through :class:`store.Change`, so
the batch is judged by the same rules as ``check`` and written in one commit, or not at all:
every bad row is reported with its row number and column, and nothing is written.  Rows that
are already on record (same ID number, or same name and birth date) are skipped, not added twice.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core import ids
from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.core.i18n import t
from aimama_cli.core.text import one_line
from aimama_cli.domain import session
from aimama_cli.domain.places import Places
from aimama_cli.store import editing, schemas, values
from aimama_cli.store.analysis import field_path
from aimama_cli.store.change import record_path
from aimama_cli.store.layout import FOLDER_OF
from aimama_cli.store.yamlio import YamlProblem, decode, parse

KINDS = ("child", "volunteer")
COUNTY, TOWNSHIP = "@county", "@township"  # columns that only help find the village
SKIP = "-"  # a column known and deliberately not imported
HEADER_SEARCH = 30  # rows looked at for the header
FOOTER = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|填表|制表|审核人|负责人|备注[:：]|注[:：]|说明[:：])")
YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")

# Column headers as rosters write them (after :func:`normal_header`) -> field path.
SHARED_HEADERS = {
    "序号": SKIP, "编号": SKIP, "年龄": SKIP, "民族": SKIP,
    "县（市、区）": COUNTY, "县（市）": COUNTY, "县（区）": COUNTY, "县市区": COUNTY, "县": COUNTY,
    "所在县（市、区）": COUNTY,
    "乡镇（街道）": TOWNSHIP, "乡镇": TOWNSHIP, "乡（镇）": TOWNSHIP, "镇（乡、街道）": TOWNSHIP,
    "所在乡镇（街道）": TOWNSHIP, "所在乡镇": TOWNSHIP, "街道": TOWNSHIP,
    "所在村（社区）": "village", "村（社区）": "village", "所在村": "village", "村（居）": "village",
    "所在村（居）": "village", "村居": "village", "村": "village", "社区": "village",
    "所属村（社区）": "village",
    "姓名": "name", "性别": "gender",
    "出生日期": "birth_date", "出生年月": "birth_date", "出生年月日": "birth_date",
    "身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number",
    "身份证": "id_number", "居民身份证号码": "id_number",
    "家庭住址": "address", "住址": "address", "备注": "notes",
}
HEADERS = {
    "child": {
        **SHARED_HEADERS,
        "儿童姓名": "name", "儿童性别": "gender", "儿童身份证号码": "id_number",
        "儿童身份证号": "id_number",
        "监护人姓名": "guardian.name", "监护人": "guardian.name",
        "与儿童关系": "guardian.relation", "监护人关系": "guardian.relation",
        "监护人与儿童关系": "guardian.relation", "与监护人关系": "guardian.relation",
        "监护人电话": "guardian.phone", "联系电话": "guardian.phone",
        "监护人联系电话": "guardian.phone", "监护人手机": "guardian.phone",
        "儿童类别": "categories", "类别": "categories", "儿童类型": "categories",
        "监护情况": "guardianship", "父母外出务工及监护情况": "parents", "父母情况": "parents",
        "风险等级": "risk_level", "风险评估等级": "risk_level",
        "学校": "school.name", "就读学校": "school.name", "年级": "school.grade",
        "就读年级": "school.grade", "班级": "school.grade", "班主任": "school.teacher",
        "需求": "needs", "关爱需求": "needs", "主要需求": "needs",
        "监护人是否同意": "guardian.consent.given", "同意结对": "guardian.consent.given",
        "监护人是否同意结对": "guardian.consent.given", "是否同意结对": "guardian.consent.given",
        "监护人同意结对": "guardian.consent.given",
        "同意日期": "guardian.consent.date", "同意书编号": "guardian.consent.evidence",
        "信息来源": "roster.source", "确认日期": "roster.confirmed_on",
    },
    "volunteer": {
        **SHARED_HEADERS,
        "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone",
        "电话": "phone",
        "类型": "kind", "志愿者类型": "kind", "爱心妈妈类型": "kind",
        "所属队伍": "team", "队伍": "team", "所在队伍": "team",
        "工作单位": "unit", "单位": "unit", "特长": "skills", "专长": "skills",
        "可结对人数": "capacity", "可结对儿童数": "capacity",
        "加入日期": "joined_on", "加入时间": "joined_on",
    },
}
# Words rosters use for an enumerated value besides its code and its label in the schema.
SYNONYMS = {
    ("child", ("guardian", "relation")): {
        "爸爸": "father", "父": "father", "妈妈": "mother", "母": "mother",
        "爷爷": "grandfather", "奶奶": "grandmother", "外公": "maternal_grandfather",
        "外婆": "maternal_grandmother", "叔叔": "uncle", "叔父": "uncle", "伯父": "uncle",
        "伯伯": "uncle", "舅舅": "uncle", "舅父": "uncle", "姑姑": "aunt", "姑妈": "aunt",
        "姨妈": "aunt", "姨母": "aunt", "阿姨": "aunt", "婶婶": "aunt", "舅妈": "aunt",
        "伯母": "aunt", "哥哥": "sibling", "姐姐": "sibling", "兄": "sibling", "姐": "sibling",
    },
    ("child", ("categories", "*")): {
        "留守": "left_behind", "残疾": "disabled", "孤儿": "scattered_orphan",
        "事实无人抚养": "unsupported", "困境儿童": "other_difficulty", "单亲": "single_parent",
    },
    ("child", ("risk_level",)): {"红": "red", "橙": "orange", "黄": "yellow", "绿": "green"},
    ("volunteer", ("kind",)): {
        "本地": "local", "村（社区）": "local", "村": "local", "社区": "local",
        "机关": "remote", "企事业单位": "remote", "机关企事业单位": "remote", "专业": "professional",
    },
}
for _kind in KINDS:
    SYNONYMS[(_kind, ("gender",))] = {"男性": "male", "女性": "female"}
# a volunteer's kind, from the level of her team, when the roster does not say
KIND_OF_TEAM_LEVEL = {"village": "local", "agency": "remote", "professional": "professional"}


def normal_header(text) -> str:
    """'所在村(社区) *' -> '所在村（社区）': full-width brackets, no spaces, no required marks;
    'Date' -> 'date' (headers in English, as some forms write them)."""
    text = re.sub(r"\s+", "", str(text or ""))
    return text.replace("(", "（").replace(")", "）").strip("*＊:：").lower()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- reading the table ------------------------------------------------------------------------

def read_table(path: Path, sheet: str | None = None) -> list[tuple[int, list]]:
    """Every row of the file as (row number as the file or sheet shows it, cell values)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError("import.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt") and raw.startswith(b"PK")):
        return _xlsx_rows(path, raw, sheet)
    if suffix == ".xls" or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise UsageError("import.old_excel", path=str(path))
    return _csv_rows(path, raw)


def _csv_rows(path: Path, raw: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes almost anything; kept for safety
        raise UsageError("import.unreadable", path=str(path), detail="encoding")
    if "\x00" in text:
        raise UsageError("import.unreadable", path=str(path), detail="binary")
    head = text[:8192]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    except csv.Error as exc:
        raise UsageError("import.unreadable", path=str(path), detail=str(exc)) from None


def _xlsx_rows(path: Path, raw: bytes, sheet: str | None) -> list[tuple[int, list]]:
    import zipfile

    import openpyxl  # only imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError("import.unreadable", path=str(path), detail=str(exc) or type(exc).__name__) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UsageError("import.no_sheet", sheet=sheet, sheets="、".join(book.sheetnames))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        ws.reset_dimensions()  # some writers store a wrong size; read every cell there is
        return [(number, list(row)) for number, row in
                enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)]
    finally:
        book.close()


# --- the mapping of columns to fields ---------------------------------------------------------

@dataclass
class Mapping:
    """``--mapping FILE.yaml``: header -> dotted field path (null: not imported), and
    ``defaults:`` {field path: value} for what the file does not have."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)


def load_mapping(path: Path, kind: str, is_field=None) -> Mapping:
    """``is_field(dotted name)``: whether a field may be mapped (default: the ``kind``
    record's fields, but its id)."""
    try:
        data = parse(decode(path.read_bytes())).data
    except OSError as exc:
        raise UsageError("import.mapping_bad", path=str(path), detail=exc.strerror or str(exc)) from None
    except YamlProblem as exc:
        raise UsageError("import.mapping_bad", path=str(path),
                         detail=f"{t(exc.code, **exc.params)} (line {exc.line})") from None
    columns = data.get("columns", {k: v for k, v in data.items() if k != "defaults"})
    defaults = data.get("defaults") or {}
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise UsageError("import.mapping_bad", path=str(path), detail="columns, defaults")
    mapping = Mapping({normal_header(h): (SKIP if target in (None, "", SKIP) else str(target))
                       for h, target in columns.items()}, dict(defaults))
    is_field = is_field or (lambda name: schemas.subschema(kind, field_path(name)) is not None and name != "id")
    for name in [p for p in mapping.columns.values() if p not in (SKIP, COUNTY, TOWNSHIP)] + list(defaults):
        if not is_field(name):
            raise UsageError("import.mapping_field", path=str(path), field=name, kind=kind)
    return mapping


@dataclass
class Column:
    index: int
    header: str  # as the file writes it
    target: str  # dotted field path, COUNTY, TOWNSHIP or SKIP


@dataclass
class Table:
    """What a kind of table is: its headers (normalised) -> field, the field it cannot do
    without, and what to say when no header row is found or that field has no column."""

    headers: dict[str, str]
    required: str = "name"
    no_header: str = "import.no_header"
    no_required: str = "import.no_name_column"


def find_columns(rows: list[tuple[int, list]], kind: str, mapping: Mapping, table: Table | None = None):
    """(position of the header row in ``rows``, the columns imported, headers not understood)."""
    table = table or Table(HEADERS[kind])
    known = {**table.headers, **mapping.columns}
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        names = [normal_header(c) for c in cells]
        if sum(1 for n in names if n and n in known and known[n] != SKIP) < 2:
            continue
        columns, unknown, taken = [], [], set()
        for index, (cell, name) in enumerate(zip(cells, names)):
            target = known.get(name)
            if not name:
                continue
            if target is None or (target in taken and target != SKIP):
                unknown.append(cell_text(cell))
                continue
            taken.add(target)
            columns.append(Column(index, cell_text(cell), target))
        if table.required not in taken:
            raise UsageError(table.no_required, headers="、".join(cell_text(c) for c in cells if cell_text(c)))
        return position, columns, unknown
    raise UsageError(table.no_header, kind=kind)


# --- where people live: villages and teams ----------------------------------------------------

class Teams:
    """Teams by id or by name (for the 所属队伍 column)."""

    def __init__(self, index, root: Path):
        self.by_id: dict[str, tuple[str, str | None, str | None]] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for path, rid, fields in index.fields("team"):
            name = fields.get("name")
            if name is None:  # not in the index: read it from the file
                with contextlib.suppress(OSError, YamlProblem):
                    name = parse(decode((root / path).read_bytes())).data.get("name")
            self.by_id[rid] = (str(name or ""), fields.get("level"), fields.get("region"))
            if name:
                self.by_name[re.sub(r"\s+", "", str(name))].append(rid)

    def find(self, text: str) -> str:
        text = re.sub(r"\s+", "", text)
        if ids.ID_RE.match(text):
            return text
        found = self.by_name.get(text, [])
        if len(found) != 1:
            raise values.ValueProblem("import.team_unknown" if not found else "import.team_ambiguous",
                                      value=text, choices=", ".join(found))
        return found[0]


# --- one row, one record ----------------------------------------------------------------------

def header_for(kind: str, name: str, headers: dict | None = None) -> str:
    """The usual column header of field ``name`` (for a field the file has no column for)."""
    return next((h for h, target in (headers or HEADERS[kind]).items() if target == name), name)


@dataclass
class Row:
    number: int  # as the file or sheet numbers it
    kind: str = "child"
    data: dict = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # field path -> header it came from
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    failed: set[str] = field(default_factory=set)  # fields whose value could not be read
    rid: str | None = None
    path: str | None = None
    same_as: str | None = None  # a message: why the row is skipped
    headers: dict | None = None  # the usual headers of its kind of table (default: a roster's)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")

    def column_of(self, name: str | None) -> str:
        """The header of the column that gave field ``name`` (or of its nearest parent)."""
        steps = [s for s in field_path(name or "") if isinstance(s, str)]
        while steps:
            dotted = ".".join(steps)
            if dotted in self.columns:
                return self.columns[dotted]
            steps.pop()
        return header_for(self.kind, name, self.headers) if name else "-"


def _put(data: dict, name: str, value) -> None:
    steps = name.split(".")
    for step in steps[:-1]:
        data = data.setdefault(step, {})
    data[steps[-1]] = value


def _get(data: dict, name: str):
    for step in name.split("."):
        data = data.get(step) if isinstance(data, dict) else None
    return data


SCIENTIFIC = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")  # 4.30621E+17, as a CSV from Excel has it


def stored_as_number(kind: str, name: str, raw) -> bool:
    """Whether a cell for a personal text field (ID number, phone: digits that must be kept as
    written) holds a number: a numeric spreadsheet cell, or a CSV value in scientific notation.
    Its digits cannot be trusted whatever they look like: Excel keeps 15 significant digits, so
    an 18-digit ID number has lost its last three, and a landline its leading zero."""
    node = schemas.subschema(kind, field_path(name)) or {}
    if node.get("type") != "string" or not node.get("x-sensitive"):
        return False
    if isinstance(raw, str):
        return SCIENTIFIC.fullmatch(raw.strip()) is not None
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def clean(kind: str, name: str, raw):
    """A cell value as :func:`values.coerce` takes it: numbers that are really text made text,
    an ID number upper-cased, a roster's own words for an enum value made codes."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, (dt.date, bool)):
        return raw
    path = field_path(name)
    node = schemas.subschema(kind, path) or {}
    text = cell_text(raw).lstrip("'").replace("\u3000", " ").strip()
    if path[-1] == "id_number":
        return re.sub(r"\s+", "", text).upper()
    if path[-1] == "phone":
        digits = re.sub(r"[\s-]", "", text)
        return digits if re.fullmatch(r"1[0-9]{10}", digits) else text
    if node.get("type") == "array":
        words = SYNONYMS.get((kind, schemas.pattern_of(path) + ("*",)), {})
        return [words.get(p, p) for p in values.LIST_SEPARATORS.split(text) if p]
    return SYNONYMS.get((kind, schemas.pattern_of(path)), {}).get(text, text)


class RowBuilder:
    """Makes the record of one row: cells read as the schema says, then the defaults."""

    def __init__(self, kind: str, columns: list[Column], mapping: Mapping, places: Places,
                 teams: Teams | None, *, source: str | None, as_of: dt.date):
        self.kind, self.columns, self.places, self.teams = kind, columns, places, teams
        self.as_of = as_of
        self.defaults = dict(mapping.defaults)
        if source and kind == "child":
            self.defaults["roster.source"] = source
        if kind == "child":
            self.defaults.setdefault("roster.source", "import")

    def check_defaults(self, where: str) -> None:
        """Mapping defaults and --source that cannot be read are a usage error, once."""
        row = Row(0, self.kind)
        for name, raw in self.defaults.items():
            self._set(row, name, raw, where)
        if row.problems:
            column, message = row.problems[0]
            raise UsageError("import.bad_default", field=column, detail=message)

    def build(self, number: int, cells: list) -> Row:
        row = Row(number, self.kind)
        context = {COUNTY: "", TOWNSHIP: ""}
        village = None
        # the ID number before the birth date: '2014.05' takes its day from the ID number
        for column in sorted(self.columns, key=lambda c: c.target == "birth_date"):
            raw = cells[column.index] if column.index < len(cells) else None
            if column.target in context:
                context[column.target] = cell_text(raw)
            elif column.target != SKIP:
                row.columns[column.target] = column.header
                if column.target == "village":
                    village = raw
                elif cell_text(raw) or isinstance(raw, bool):
                    self._set(row, column.target, raw, column.header)
        if cell_text(village):
            self._set_village(row, cell_text(village), context, row.columns["village"])
        for name, raw in self.defaults.items():
            if _get(row.data, name) is None and name not in row.failed:
                if name == "village":
                    self._set_village(row, cell_text(raw), context, name)
                else:
                    self._set(row, name, raw, name)
        self._derived(row)
        return row

    def _set(self, row: Row, name: str, raw, column: str) -> None:
        if stored_as_number(self.kind, name, raw):
            row.failed.add(name)
            row.problems.append((column, t("import.number_cell")))  # no digits shown: they are personal
            return
        try:
            if name == "team" and self.teams is not None and isinstance(raw, str):
                value = self.teams.find(raw)
            else:
                value = values.coerce(self.kind, field_path(name), clean(self.kind, name, raw))
        except values.ValueProblem as exc:
            if name == "birth_date" and exc.key == "value.date":
                self._year_month(row, raw, column)
                return
            row.failed.add(name)
            row.problems.append((column, t(exc.key, **exc.params)))
            return
        _put(row.data, name, value)

    def _set_village(self, row: Row, text: str, context: dict, column: str) -> None:
        try:
            _put(row.data, "village", self.places.find(text, context[COUNTY], context[TOWNSHIP]))
        except values.ValueProblem as exc:
            row.failed.add("village")
            row.problems.append((column, t(exc.key, **exc.params)))

    def _year_month(self, row: Row, raw, column: str) -> None:
        """出生年月 written as '2014.05': the day comes from the ID number, if it agrees."""
        match = YEAR_MONTH.match(cell_text(raw))
        birth = _birth_from_number(clean(self.kind, "id_number", row.data.get("id_number", "")))
        if match and birth and (birth.year, birth.month) == tuple(map(int, match.groups())):
            row.data["birth_date"] = birth.isoformat()
            return
        row.failed.add("birth_date")
        row.problems.append((column, t("value.date", value=cell_text(raw))))

    def _derived(self, row: Row) -> None:
        data = row.data
        number = data.get("id_number")
        birth = _birth_from_number(number) if isinstance(number, str) else None
        if birth and "birth_date" not in data and "birth_date" not in row.failed:
            data["birth_date"] = birth.isoformat()
        if birth and "gender" not in data and "gender" not in row.failed:
            data["gender"] = ids.id_number_gender(number)
        data.setdefault("status", "active")
        if self.kind == "child":
            if isinstance(data.get("guardian"), dict):
                data["guardian"].setdefault("consent", {}).setdefault("given", False)
            return
        team = self.teams.by_id.get(data.get("team")) if self.teams else None
        if team and "kind" not in data and "kind" not in row.failed and team[1] in KIND_OF_TEAM_LEVEL:
            data["kind"] = KIND_OF_TEAM_LEVEL[team[1]]
        if team and "village" not in data and "village" not in row.failed and team[1] == "village":
            data["village"] = team[2]
        data.setdefault("skills", [])
        data.setdefault("capacity", 1)
        data.setdefault("joined_on", self.as_of.isoformat())
        data.setdefault("vetting", {"status": "pending", "checks": []})


def _birth_from_number(number) -> dt.date | None:
    if not isinstance(number, str) or not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return None
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


# --- the same person twice ----------------------------------------------------------------------

def _person_key(data: dict) -> tuple | None:
    name, birth = re.sub(r"\s+", "", str(data.get("name") or "")), data.get("birth_date")
    return (name, birth) if name and birth else None


class Seen:
    """People already on record, and those of earlier rows, by ID number and by name + birth
    date (the index holds both).  Values: (record id or None, row number or None)."""

    def __init__(self, index, kind: str):
        self.numbers: dict[str, tuple] = {}
        self.people: dict[tuple, tuple] = {}
        # an encrypted repository: numbers on record are known by their blind index, so a row's
        # number is compared through it (with the key; without one the import is refused anyway)
        self.number_key = index.sealer.blind if index.sealer else str
        for rid, number, name, birth in index.identities(kind):
            self._remember(number, _person_key({"name": name, "birth_date": birth}), (rid, None), known=True)

    def _remember(self, number, key, where: tuple, known: bool = False) -> None:
        if number:
            self.numbers.setdefault(number if known else self.number_key(number), where)
        if key:
            self.people.setdefault(key, where)

    def same(self, row: Row) -> str | None:
        """Why ``row`` is someone already seen (a message), or None."""
        number, key = row.data.get("id_number"), _person_key(row.data)
        number = self.number_key(number) if number else None
        how = "import.by_number" if number in self.numbers else "import.by_name"
        found = self.numbers.get(number) or self.people.get(key)
        if found is None:
            return None
        rid, earlier = found
        if rid:
            return t("import.same_record", id=rid, how=t(how))
        return t("import.same_row", row=earlier, how=t(how))

    def add(self, row: Row) -> None:
        self._remember(row.data.get("id_number"), _person_key(row.data), (None, row.number))


# --- the whole file -----------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    added: list[Row]
    skipped: list[Row]
    unused: list[str]  # headers not imported
    commit: str | None = None
    village_names: dict[str, str] = field(default_factory=dict)


class RowsRefused(Refused):
    """Rows that cannot be imported; nothing was written."""

    def __init__(self, lines: list[str], count: int):
        super().__init__("import.refused", rows=count)
        self.lines = lines

    def details(self) -> list[str]:
        return self.lines


def import_roster(root: Path, kind: str, file: Path, *, mapping: Path | None = None,
                  source: str | None = None, sheet: str | None = None, as_of: dt.date,
                  dry_run: bool = False, commit: bool = True, progress=None) -> Outcome:
    """Read ``file`` and add one ``kind`` record per new row, all in one change.

    ``progress``: a function that wraps the list of rows for a progress bar (a context manager
    yielding an iterable), or None.  Raises :class:`RowsRefused` naming every bad row.
    """
    spec = load_mapping(mapping, kind) if mapping else Mapping()
    table = read_table(file, sheet)
    header, columns, unused = find_columns(table, kind, spec)
    change = session.change(root, f"import {FOLDER_OF[kind]}", as_of=as_of)
    places = Places(change.index)
    teams = Teams(change.index, change.root) if kind == "volunteer" else None
    builder = RowBuilder(kind, columns, spec, places, teams, source=source, as_of=as_of)
    builder.check_defaults(str(mapping or "--source"))
    seen = Seen(change.index, kind)
    added, skipped = [], []
    body = [(n, cells) for n, cells in table[header + 1:] if is_data(cells)]
    with (progress(body) if progress else contextlib.nullcontext(body)) as rows:
        for number, cells in rows:
            row = builder.build(number, cells)
            row.same_as = seen.same(row)
            if row.same_as:
                skipped.append(row)
                continue
            seen.add(row)
            added.append(row)
            if isinstance(row.data.get("village"), str) and len(row.data["village"]) == 12:
                row.rid = change.create(kind, row.data)
                row.path = record_path(kind, {"id": row.rid, **row.data})
                _comment(change.docs[row.path], places, teams)
            elif "village" not in row.failed:  # no village, no county for the id: say so
                row.problems.append((row.column_of("village"), t("import.empty")))
    outcome = Outcome(kind, added, skipped, unused,
                      village_names={c: places.path(c) for c in places.level})
    if not added:
        return outcome
    summary = t(f"commit.imported.{kind}", count=len(added), file=file.name)
    outcome.commit = save_rows(change, added, summary, commit=commit, dry_run=dry_run).commit
    return outcome


def save_rows(change, rows: list[Row], summary: str, *, commit: bool, dry_run: bool, locate=None):
    """Save the change the ``rows`` made, all or nothing: :class:`RowsRefused` naming every
    row and column with a problem, its own or one the rules find (``locate``: see
    :func:`refusal`)."""
    if any(r.problems for r in rows):
        raise refusal(rows, change.problems() if change.docs else [], locate)
    try:
        return change.save(summary, commit=commit, dry_run=dry_run)
    except Refused as exc:
        if not exc.problems:
            raise
        raise refusal(rows, exc.problems, locate) from None


def is_data(cells: list) -> bool:
    texts = [cell_text(c) for c in cells if cell_text(c)]
    return bool(texts) and not FOOTER.match(texts[0])


def _comment(doc, places: Places, teams: Teams | None) -> None:
    """``village: '430621101201'  # 湖滨村``, as hand-written records have it."""
    names = {"village": places.name.get(doc.get("village"))}
    if teams is not None and doc.get("team") in teams.by_id:
        names["team"] = teams.by_id[doc["team"]][0]
    editing.name_comments(doc, names)


def refusal(rows: list[Row], problems, locate=None) -> RowsRefused:
    """Every problem, at the row and column it came from (a problem in another file: there).
    ``locate(file, field)``: (the row, its field) that gave the field of a file written, or
    None (default: each row made one file)."""
    by_path = {r.path: r for r in rows if r.path}
    locate = locate or (lambda file, name: (by_path[file], name) if file in by_path else None)
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    elsewhere = []
    for row in rows:
        found[row.number].extend(row.problems)
    for p in problems:
        name = p.field
        if p.code == "AM202":  # a required field left empty
            name = ".".join(filter(None, (p.field, dict(p.params).get("name"))))
        located = locate(p.file, name)
        if located is None:
            elsewhere.append(f"{p.file}:{p.line}: {p.code} {p.message}")
            continue
        row, name = located
        if name in row.failed or (name or "").split(".")[0] in row.failed:
            continue  # already said: the value could not be read
        message = t("import.empty") if p.code == "AM202" else f"{p.message} ({p.code})"
        found[row.number].append((row.column_of(name), message))
    names = {r.number: r.name for r in rows}
    lines = []
    for number in sorted(n for n in found if found[n]):
        for column, message in dict.fromkeys(found[number]):
            lines.append(t("import.row_problem", row=number, name=one_line(names[number] or "-"),
                           column=column, message=message))
    lines += elsewhere
    return RowsRefused(lines, count=sum(1 for n in found if found[n]) + len(elsewhere))

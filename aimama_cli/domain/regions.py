"""``aimama region add|list|import``: the divisions a repository covers, in records/regions.yaml.

A region is written where its code sorts, one line each (``- {code: …, name: …, level: …}``)
as the file is written by hand, so a pull request shows the new lines only and the comments
that head a county's lines stay with them.  Its level comes from its code (model/regions.py);
a township needs its county listed, a village its township (AM407); the repository takes the
regions within its own (``region`` of aimama.yaml) and the province and city above it.

An import takes the division codes as the statistics bureau publishes them (统计用区划代码,
a code and a name column, CSV or XLSX, perhaps a level and a parent column): the rows within
the repository's region are added, every other row is counted and passed over, and a bad row
refuses the whole file, named by its row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.core.i18n import language, t
from aimama_cli.core.text import normalised, unfit_in_name
from aimama_cli.domain import session
from aimama_cli.domain.roster_import import RowsRefused, cell_text, normal_header, read_table
from aimama_cli.model import regions as divisions
from aimama_cli.store import editing, layout, schemas, values

REGIONS = f"{layout.RECORDS}/regions.yaml"
# what the statistics bureau's tables (and the usual reposts of them) call their columns
HEADERS = {
    "code": {"统计用区划代码", "区划代码", "行政区划代码", "代码", "编码", "code", "区划编码"},
    "name": {"名称", "区划名称", "单位名称", "行政区划名称", "name"},
    "level": {"层级", "级别", "区划级别", "level"},
    "parent": {"上级代码", "上级区划代码", "父级代码", "上级编码", "parent", "pcode", "parent_code"},
}
# the bureau names a village by its committee: 东塘村委会 is the village 东塘村
COMMITTEE = [(re.compile(r"村(民委员会|委会)$"), "村"), (re.compile(r"社区(居民委员会|居委会)$"), "社区"),
             (re.compile(r"街道办事处$"), "街道")]
# a level column's words: the schema's codes and labels, the bureau's 1-5, the short names
LEVEL_WORDS = {"1": "province", "2": "city", "3": "county", "4": "township", "5": "village",
               "省": "province", "市": "city", "县": "county", "乡": "township", "乡镇": "township",
               "村": "village", "社区": "village"}


@dataclass
class Region:
    code: str
    name: str
    level: str


class Listed:
    """The regions of records/regions.yaml, by code."""

    def __init__(self, index):
        regions = (index.singleton("regions") or {}).get("regions") or []
        self.by_code = {r["code"]: Region(r["code"], str(r.get("name", "")), str(r.get("level", "")))
                        for r in regions if isinstance(r, dict) and divisions.is_code(r.get("code"))}
        config = index.singleton("config") or {}
        own = config.get("region")
        self.own = own if isinstance(own, str) and divisions.PREFIX.fullmatch(own) else ""

    def within_repository(self, code: str) -> bool:
        """A region below the repository's own, or the repository's region and those above it
        (its province and city, listed for their names)."""
        return code.startswith(self.own) or divisions.own_digits(code) == self.own[:len(divisions.own_digits(code))]

    def under(self, code: str) -> bool:
        """Strictly below the repository's region: what an import takes."""
        return code.startswith(self.own) and len(divisions.own_digits(code)) > len(self.own)


def code_of(text: str, option: str) -> str:
    """A code or prefix as typed (2, 4, 6, 9 or 12 digits) in its 12-digit form; else exit 2."""
    text = str(text).strip()
    if not divisions.PREFIX.fullmatch(text):
        raise UsageError("region.bad_code", code=text, option=option)
    return divisions.full(text)


def clean_name(text: str) -> str:
    name = normalised(str(text)).strip()
    for pattern, ending in COMMITTEE:
        name = pattern.sub(ending, name)
    return name


# --- add ------------------------------------------------------------------------------------------

def new_region(listed: Listed, code: str, name: str, parent: str | None = None) -> Region:
    """The region ``code`` ``name`` as it would be added (its code in full, its level), or exit
    2 when the code, the name or ``parent`` (which may stand before a code of its children's
    own digits: ``--parent 430621101 205``) cannot be read."""
    code = str(code).strip()
    if parent is not None:
        above = code_of(parent, "--parent")
        if above not in listed.by_code:
            raise UsageError("region.unknown", code=parent)
        prefix = divisions.own_digits(above)
        short = {2: 2, 4: 2, 6: 3, 9: 3}.get(len(prefix))
        if short and len(code) == short and code.isdigit():
            code = prefix + code
        full = code_of(code, "CODE")
        if divisions.parent_of(full) != above:
            raise UsageError("region.not_child", code=full, parent=above, expected=divisions.parent_of(full) or "-")
    full = code_of(code, "CODE")
    name = clean_name(name)
    if not name or unfit_in_name(name):
        raise UsageError("region.bad_name", name=name)
    return Region(full, name, divisions.level_of(full))


def by_name(*groups) -> dict[tuple, str]:
    """{(parent code, name): code} of the regions in ``groups`` (dicts by code), the first
    group's first: how a region added under a parent is told from its siblings."""
    found: dict[tuple, str] = {}
    for group in groups:
        for code, region in group.items():
            found.setdefault((divisions.parent_of(code), region.name), code)
    return found


def refusal(listed: Listed, region: Region, taking: dict[str, Region] | None = None,
            names: dict[tuple, str] | None = None) -> tuple[str, dict] | None:
    """Why ``region`` cannot be added (a catalog key and its parameters), or None.  ``taking``:
    regions added with it (an import's other rows); ``names``: :func:`by_name` of both."""
    taking = taking or {}
    names = by_name(listed.by_code, taking) if names is None else names
    there = listed.by_code.get(region.code)
    if there is not None:
        return "region.exists", {"code": region.code, "name": there.name}
    if not listed.within_repository(region.code):
        return "region.outside", {"code": region.code, "own": listed.own}
    parent = divisions.parent_of(region.code)
    if region.level in ("township", "village") and parent not in listed.by_code and parent not in taking:
        return "region.no_parent", {"code": region.code, "level": level_label(region.level), "parent": parent,
                                    "parent_level": level_label(divisions.level_of(parent))}
    sibling = names.get((parent, region.name))
    if sibling and sibling != region.code:
        return "region.same_name", {"name": region.name, "code": sibling}
    return None


def add(root: Path, code: str, name: str, *, parent: str | None = None, commit: bool = True,
        dry_run: bool = False):
    """``aimama region add``: one region, in one commit.  (the region, the saved change)"""
    change = session.change(root, "region add")
    listed = Listed(change.index)
    region = new_region(listed, code, name, parent)
    refused = refusal(listed, region)
    if refused:
        raise Refused("region.refused", reason=t(refused[0], **refused[1]))
    insert(change, [region])
    return region, change.save(f"{region.code} {region.name}", commit=commit, dry_run=dry_run)


def insert(change, regions: list[Region]) -> None:
    """Write ``regions`` into records/regions.yaml, each after the last code before it and in
    its neighbour's style (one line, ``{code: …}``, as written by hand and by ``init``)."""
    doc = change.load_file(REGIONS, regions[0].code if len(regions) == 1 else "regions")
    items = doc["regions"]
    node = schemas.subschema("regions", ("regions", 0))
    for region in sorted(regions, key=lambda r: r.code):
        position = next((i + 1 for i in range(len(items) - 1, -1, -1)
                         if isinstance(items[i], dict) and str(items[i].get("code", "")) < region.code), 0)
        item = editing.styled({"code": region.code, "name": region.name, "level": region.level}, node)
        neighbour = items[position - 1] if position else items[0] if len(items) else None
        if neighbour is None or getattr(neighbour, "fa", None) is None or neighbour.fa.flow_style():
            item.fa.set_flow_style()  # one line a region, as its neighbours are written
        items.insert(position, item)


def level_label(level: str) -> str:
    return schemas.label("regions", ("regions", "*", "level"), level, language())


# --- list -----------------------------------------------------------------------------------------

def listing(root: Path, under: str | None = None) -> list[dict]:
    """The listed regions in code order (within ``under``, a code or prefix), each with its
    parent's code and the number of its listed children."""
    listed = Listed(session.records(root).index)
    prefix = divisions.own_digits(code_of(under, "--under")) if under else ""
    if under and divisions.full(prefix) not in listed.by_code:
        raise UsageError("region.unknown", code=under)
    children: dict[str, int] = {}
    for code in listed.by_code:
        parent = divisions.parent_of(code)
        children[parent] = children.get(parent, 0) + 1
    return [{"code": r.code, "name": r.name, "level": r.level, "parent": divisions.parent_of(r.code),
             "children": children.get(r.code, 0)}
            for code, r in sorted(listed.by_code.items()) if code.startswith(prefix)]


# --- import ---------------------------------------------------------------------------------------

@dataclass
class Imported:
    added: list[Region] = field(default_factory=list)
    known: int = 0  # rows already listed with the same name
    outside: int = 0  # rows not within the repository's region
    commit: str | None = None


def import_file(root: Path, file: Path, *, sheet: str | None = None, commit: bool = True,
                dry_run: bool = False) -> Imported:
    """``aimama region import``: the rows of ``file`` within the repository's region, all in
    one commit, or nothing (:class:`RowsRefused` names every bad row)."""
    table = read_table(file, sheet)
    header, columns = _columns(table)
    change = session.change(root, "region import")
    listed = Listed(change.index)
    outcome, taking, bad = Imported(), {}, []
    rows = []
    for number, cells in table[header + 1:]:
        code = divisions.PREFIX.fullmatch(re.sub(r"\s+", "", _cell(cells, columns["code"])))
        if code and divisions.full(code[0]) not in listed.by_code and not listed.under(divisions.full(code[0])):
            outcome.outside += 1  # a province's table: most rows are other counties', passed over unread
            continue
        cell = {what: _cell(cells, i) for what, i in columns.items()}
        if not any(cell.values()):
            continue  # a blank row
        region, problem = _read_row(cell)
        if problem:
            bad.append((number, t("import.row_problem", row=number, name=cell.get("name") or "-",
                                  column=_header(table[header][1], columns[problem[0]]), message=problem[1])))
            continue
        there = listed.by_code.get(region.code)
        if there is not None and there.name == region.name:
            outcome.known += 1
            continue
        if not listed.under(region.code):
            outcome.outside += 1
            continue
        rows.append((number, region, cell))
        taking[region.code] = region
    names = by_name(listed.by_code, taking)
    for number, region, _cells in rows:
        refused = refusal(listed, region, taking, names)
        if refused:
            bad.append((number, t("import.row_problem", row=number, name=region.name,
                                  column=_header(table[header][1], columns["code"]),
                                  message=t(refused[0], **refused[1]))))
    if bad:
        raise RowsRefused([line for _n, line in sorted(bad)], count=len(bad))
    outcome.added = sorted(taking.values(), key=lambda r: r.code)
    if outcome.added:
        insert(change, outcome.added)
        saved = change.save(t("commit.regions_imported", count=len(outcome.added), file=file.name), commit=commit, dry_run=dry_run)
        outcome.commit = saved.commit
    return outcome


def _columns(table: list[tuple[int, list]]) -> tuple[int, dict[str, int]]:
    """(position of the header row, {what: column index}); a file without code and name
    columns is exit 2."""
    wanted = {normal_header(h).lower(): what for what, names in HEADERS.items() for h in names}
    for position, (_number, cells) in enumerate(table[:30]):
        found: dict[str, int] = {}
        for i, cell in enumerate(cells):
            what = wanted.get(normal_header(cell).lower())
            if what and what not in found:
                found[what] = i
        if "code" in found and "name" in found:
            return position, found
    raise UsageError("region.import.no_header", codes="、".join(sorted(HEADERS["code"])),
                     names="、".join(sorted(HEADERS["name"])))


def _header(cells: list, index: int) -> str:
    return _cell(cells, index) or "-"


def _cell(cells: list, index: int) -> str:
    return cell_text(cells[index]) if index < len(cells) else ""


def _read_row(cell: dict) -> tuple[Region | None, tuple[str, str] | None]:
    """The region of one row, or (None, (column, message)) naming what is wrong."""
    code = re.sub(r"\s+", "", cell["code"])
    if not divisions.PREFIX.fullmatch(code):
        return None, ("code", t("region.import.bad_code", code=code or "-"))
    code = divisions.full(code)
    name = clean_name(cell["name"])
    if not name or unfit_in_name(name):
        return None, ("name", t("region.bad_name", name=name or "-"))
    level = divisions.level_of(code)
    given = cell.get("level", "")
    if given:
        try:
            said = LEVEL_WORDS.get(given) or values.coerce("regions", ("regions", 0, "level"), given)
        except values.ValueProblem as exc:
            return None, ("level", t(exc.key, **exc.params))
        if said != level:
            return None, ("level", t("region.import.level", level=given, shape=level_label(level)))
    parent = re.sub(r"\s+", "", cell.get("parent", ""))
    if parent and (not divisions.PREFIX.fullmatch(parent) or divisions.full(parent) != divisions.parent_of(code)):
        return None, ("parent", t("region.import.parent", parent=parent, expected=divisions.parent_of(code) or "-"))
    return Region(code, name, level), None

"""`aimama export roster`: the 爱心妈妈+留守困境儿童名册 of the demo records, read back with openpyxl
and csv: a sheet per village, frozen header, masked numbers unless --reveal."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from conftest import AS_OF, demo_plain, git, run
from openpyxl import load_workbook
from test_roster_import import imported

from aimama_cli.reports.roster_export import display_width, sheet_title

MASKED_ID = re.compile(r"^[0-9]{4}\*{10}[0-9]{3}[0-9X]$")
MASKED_PHONE = re.compile(r"^1[0-9]{2}\*{4}[0-9]{4}$")


def exported(root: Path, *args) -> object:
    return run("--root", str(root), "export", "roster", "--as-of", AS_OF, *args)


def active_children(root: Path, prefix: str = "") -> dict[str, dict]:
    found = {}
    for path in (root / "records" / "children").glob("*.yaml"):
        data = demo_plain(root, path.relative_to(root).as_posix())  # the demo key opens its fields
        if data["status"] == "active" and data["village"].startswith(prefix):
            found[data["id"]] = data
    return found


def rows_by_id(ws) -> dict[str, dict]:
    headers = [c.value for c in ws[2]]
    return {row[-1]: dict(zip(headers, row)) for row in ws.iter_rows(min_row=3, values_only=True)}


def test_xlsx_has_a_sheet_per_village_a_frozen_header_and_masked_numbers(demo, tmp_path):  # noqa: F811
    target = tmp_path / "名册.xlsx"
    result = exported(demo, "--output", str(target))
    assert result.exit_code == 0, result.stderr
    expected = active_children(demo)
    assert f"{len(expected)} children" in result.output and "masked" in result.stderr
    book = load_workbook(target)
    villages = {c["village"] for c in expected.values()}
    assert len(book.sheetnames) == len(villages) and book.sheetnames[0] == "湖滨村"
    rows = {}
    for ws in book.worksheets:
        assert ws.freeze_panes == "A3"
        assert "爱心妈妈+留守困境儿童名册" in ws["A1"].value and ws["A1"].value.startswith(ws.title)
        headers = [c.value for c in ws[2]]
        assert headers[:4] == ["序号", "乡镇（街道）", "所在村（社区）", "姓名"]
        assert {"身份证号", "儿童类别", "风险等级", "监护人", "监护人电话", "结对爱心妈妈"} <= set(headers)
        sheet_rows = rows_by_id(ws)
        assert [r["序号"] for r in sheet_rows.values()] == list(range(1, len(sheet_rows) + 1))
        assert {r["所在村（社区）"] for r in sheet_rows.values()} == {ws.title}
        rows.update(sheet_rows)
    assert set(rows) == set(expected)
    for rid, row in rows.items():
        if expected[rid].get("id_number"):
            assert MASKED_ID.match(row["身份证号"]), row
        assert MASKED_PHONE.match(row["监护人电话"]), row
    orphan = rows["C430621-ZS7D641F"]  # 刘若曦: a local, a remote and a professional volunteer
    assert orphan["姓名"] == "刘若曦" and orphan["性别"] == "女" and orphan["儿童类别"] == "散居孤儿"
    assert orphan["风险等级"] == "红色" and orphan["是否结对"] == "是"
    assert orphan["结对爱心妈妈"].split("、")[0] == "李秀英" and len(orphan["结对爱心妈妈"].split("、")) == 3
    assert all(MASKED_PHONE.match(p) for p in orphan["爱心妈妈电话"].split("、"))
    assert orphan["结对方式"].startswith("本地")
    assert "杨红霞" not in (rows["C430621-KNXFC41A"]["结对爱心妈妈"] or "")  # that pairing ended
    assert "C430621-D8NB5VXF" not in rows  # a closed child
    ws = book["湖滨村"]
    widths = {ws.cell(row=2, column=i).value: ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width
              for i in range(1, ws.max_column + 1)}
    assert widths["身份证号"] >= 18 and widths["结对爱心妈妈"] >= display_width("李秀英、何丽萍、钟文娟")
    assert widths["监护人同意结对"] >= display_width("监护人同意结对")


def test_reveal_shows_the_numbers_and_as_of_shows_the_pairings_of_that_day(demo, tmp_path):  # noqa: F811
    target = tmp_path / "full.xlsx"
    result = exported(demo, "--region", "430621101", "--reveal", "--as-of", "2025-08-01",
                      "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert "masked" not in result.stderr
    book = load_workbook(target)
    rows = rows_by_id(book["湖滨村"])
    child = demo_plain(demo, "records/children/C430621-ZS7D641F.yaml")  # decrypted with the demo key
    assert rows["C430621-ZS7D641F"]["身份证号"] == child["id_number"]
    assert rows["C430621-ZS7D641F"]["监护人电话"] == child["guardian"]["phone"]
    assert "杨红霞" in rows_by_id(book["桃源村"])["C430621-KNXFC41A"]["结对爱心妈妈"]  # not ended yet


def test_csv_has_a_bom_a_village_column_and_the_region_only(demo, tmp_path):  # noqa: F811
    target = tmp_path / "roster.csv"
    result = exported(demo, "--region", "430626", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0][0] == "序号" and "所在村（社区）" in table[0]
    expected = active_children(demo, "430626")
    assert {row[-1] for row in table[1:]} == set(expected)
    assert {row[table[0].index("所在村（社区）")] for row in table[1:]} <= {"竹山村", "石门村", "枫树村"}
    assert all(MASKED_ID.match(row[table[0].index("身份证号")]) for row in table[1:]
               if expected[row[-1]].get("id_number"))
    stdout = exported(demo, "--region", "430626", "--output", "-")
    assert stdout.exit_code == 0 and stdout.output.splitlines()[0].startswith("序号,")


def test_exported_roster_imports_back_as_people_already_on_record(demo, tmp_path):
    target = tmp_path / "湖滨村.xlsx"
    assert exported(demo, "--region", "430621101201", "--reveal", "--output", str(target)).exit_code == 0
    result = imported(demo, "children", str(target))
    assert result.exit_code == 0, result.stderr
    assert "nothing to import" in result.output and "added" not in result.output
    assert result.output.count("already on record") == len(active_children(demo, "430621101201"))


def test_bad_options_are_usage_errors(demo, tmp_path):  # noqa: F811
    assert exported(demo, "--region", "43062").exit_code == 2
    assert exported(demo, "--format", "pdf").exit_code == 2
    assert exported(demo, "--format", "xlsx", "--output", "-").exit_code == 2
    assert exported(demo, "--output", str(tmp_path / "missing" / "x.xlsx")).exit_code == 2
    assert git(demo, "status", "--porcelain") == ""


def test_an_empty_region_gives_a_sheet_with_headers(demo, tmp_path):  # noqa: F811
    target = tmp_path / "empty.xlsx"
    result = exported(demo, "--region", "11", "--output", str(target))
    assert result.exit_code == 0 and "0 children" in result.output
    ws = load_workbook(target).worksheets[0]
    assert ws["A2"].value == "序号" and ws.max_row == 2


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("湖滨村", taken) == "湖滨村"
    assert sheet_title("湖滨村", taken) == "湖滨村(2)"
    long = sheet_title("一个名字非常非常长的社区居民委员会/第一网格[东区]以及更多的文字在这里", taken)
    assert len(long) <= 31 and not set("[]:*?/\\") & set(long)

"""`aimama import children|volunteers`: the sample rosters (demo/samples/) into a copy of the demo
records, generated rosters, duplicates, --dry-run, --mapping; all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import AS_OF, PROJECT, check_json, demo_plain, git, run

from aimama_cli.core.ids import make_id_number

SAMPLES = PROJECT / "demo" / "samples"  # made by demo/samples/make_samples.py
GBK_CSV = SAMPLES / "children-roster-gbk.csv"
XLSX = SAMPLES / "children-roster.xlsx"
BAD_ROW = "9,平江县,梅岭乡,石门村,孙雅琳,女,2009/6/31,430626200906069940,"
FIXED_ROW = "9,平江县,梅岭乡,石门村,孙雅琳,女,2009/6/6,430626200906069948,"
HEADER = ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "儿童姓名", "性别", "出生日期",
          "身份证号码", "儿童类别", "监护人姓名", "与儿童关系", "监护人联系电话", "风险等级"]


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").strip())


def children(root: Path) -> set[str]:
    return {p.name for p in (root / "records" / "children").iterdir()}


def record(root: Path, rid: str, folder: str = "children") -> dict:
    """The record as written, its encrypted fields (the demo's) decrypted with the demo key."""
    return demo_plain(root, f"records/{folder}/{rid}.yaml")


def imported(root: Path, *args) -> object:
    return run("--root", str(root), "import", *args, "--as-of", AS_OF)


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain") == ""


def fixed_csv(tmp_path: Path) -> Path:
    text = GBK_CSV.read_bytes().decode("gb18030")
    assert BAD_ROW in text
    path = tmp_path / "fixed.csv"
    path.write_bytes(text.replace(BAD_ROW, FIXED_ROW).encode("gbk"))
    return path


def write_xlsx(path: Path, rows: list[list], title: str = "测试花名册") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def id_number(birth: dt.date, sequence: int, county: str = "430621") -> str:
    return make_id_number(county, birth, sequence)


def child_row(n: int, name: str, village: str, birth: dt.datetime, *, number: bool = True,
              **changes) -> list:
    row = [n, "岳阳县", "青松镇", village, name, None, birth,
           id_number(birth, 990 + n) if number else None, "留守儿童",
           "王桂英", "祖母", "13900009000", "黄色"]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


# --- the sample rosters ------------------------------------------------------------------------

def test_gbk_csv_with_a_bad_row_is_refused_naming_the_row_and_nothing_is_written(demo):
    before = (commits(demo), children(demo))
    result = imported(demo, "children", str(GBK_CSV))
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert all(line.startswith("row 11 (孙雅琳)") for line in lines) and len(lines) == 2
    assert "出生日期: '2009/6/31' is not a day of the calendar" in result.stderr
    assert "身份证号码: invalid ID number" in result.stderr and "AM501" in result.stderr
    assert "nothing was written" in result.stderr
    assert (commits(demo), children(demo)) == before and clean(demo)


def test_refusal_in_chinese(demo):
    result = run("--lang", "zh", "--root", str(demo), "import", "children", str(GBK_CSV))
    assert result.exit_code == 1
    assert "第 11 行（孙雅琳），“出生日期”列" in result.stderr and "未写入任何内容" in result.stderr


def test_fixed_csv_imports_in_one_commit_with_a_trailer_per_child(demo, tmp_path):
    before = commits(demo)
    result = imported(demo, "children", str(fixed_csv(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert commits(demo) == before + 1 and clean(demo)
    message = git(demo, "log", "-1", "--format=%B")
    assert message.startswith("aimama import children: 9 children from fixed.csv")
    trailers = [line.split(": ")[1] for line in message.splitlines() if line.startswith("Aimama-Record: ")]
    assert len(trailers) == 9 and "Aimama-Command: import children" in message
    changed = git(demo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted(f"records/children/{rid}.yaml" for rid in trailers)
    first = record(demo, trailers[0])
    assert first["name"] == "李小雨" and first["birth_date"] == "2014-05-12"
    assert first["village"] == "430621101201" and first["gender"] == "female"
    assert first["guardian"] == {"name": "李桂兰", "relation": "grandmother", "phone": "13900001000",
                                 "consent": {"given": False}}
    assert first["categories"] == ["left_behind"] and first["risk_level"] == "yellow"
    assert first["school"] == {"name": "青松镇中心小学", "grade": "五年级"}
    assert first["roster"] == {"source": "import"} and first["status"] == "active"
    text = (demo / "records" / "children" / f"{trailers[0]}.yaml").read_text(encoding="utf-8")
    assert "village: '430621101201'  # 湖滨村" in text
    assert record(demo, trailers[4])["guardian"]["relation"] == "uncle"  # 叔叔
    code, report = check_json(demo)
    assert code == 0 and not [p for p in report["problems"] if p["severity"] == "error"]


def test_xlsx_sample_imports_fully(demo):
    result = imported(demo, "children", str(XLSX), "--source", "民政")
    assert result.exit_code == 0, result.stderr
    added = [line for line in result.output.splitlines() if " added " in line]
    assert len(added) == 10 and added[0].startswith("row 3: added C430621-")
    assert added[-1].startswith("row 13: added C430626-")  # the blank row 8 is skipped
    rid = added[5].split()[3]
    child = record(demo, rid)
    assert child["name"] == "张宇航" and child["birth_date"] == "2015-09-09"  # an Excel date cell
    assert child["roster"]["source"] == "civil_affairs"
    assert record(demo, added[-1].split()[3])["guardian"]["relation"] == "aunt"  # 姑姑
    code, report = check_json(demo)
    assert code == 0 and not [p for p in report["problems"] if p["severity"] == "error"]
    assert clean(demo)


def test_reimport_skips_people_already_on_record(demo, tmp_path):
    assert imported(demo, "children", str(fixed_csv(tmp_path))).exit_code == 0
    before = commits(demo)
    result = imported(demo, "children", str(XLSX))
    assert result.exit_code == 0, result.stderr
    skipped = [line for line in result.output.splitlines() if " skipped " in line]
    assert len(skipped) == 9 and "already on record as C" in skipped[0]
    assert "(same ID number)" in skipped[0]
    assert "row 13: added" in result.output and commits(demo) == before + 1
    again = imported(demo, "children", str(XLSX))
    assert again.exit_code == 0 and "nothing to import" in again.output
    assert commits(demo) == before + 1 and clean(demo)


def test_dry_run_writes_nothing(demo):
    before = (commits(demo), children(demo))
    result = imported(demo, "children", str(XLSX), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.output.count("would add") == 10 and "nothing was written" in result.output
    assert (commits(demo), children(demo)) == before and clean(demo)


def test_no_commit_writes_the_files_only(demo):
    before = commits(demo)
    assert imported(demo, "children", str(XLSX), "--no-commit").exit_code == 0
    assert commits(demo) == before and len(git(demo, "status", "--porcelain").splitlines()) == 10


# --- generated rosters -------------------------------------------------------------------------

def test_generated_xlsx_with_a_bad_row_in_the_middle_is_refused(demo, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", [
        child_row(1, "甲一", "湖滨村", dt.datetime(2015, 3, 1)),
        child_row(2, "乙二", "桃源村", dt.datetime(2016, 4, 2)),
        child_row(3, "丙三", "不存在村", dt.datetime(2017, 5, 3), c8="孤单儿童"),
        child_row(4, "丁四", "新港社区", dt.datetime(2018, 6, 4)),
    ])
    before = (commits(demo), children(demo))
    result = imported(demo, "children", str(path))
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert lines and all(line.startswith("row 5 (丙三)") for line in lines)
    assert "村（社区）: no village or community named '不存在村'" in result.stderr
    assert "儿童类别: '孤单儿童' is not a value of categories" in result.stderr
    assert (commits(demo), children(demo)) == before and clean(demo)


def test_duplicate_rows_in_one_file_are_skipped(demo, tmp_path):
    path = write_xlsx(tmp_path / "twice.xlsx", [
        child_row(1, "甲一", "湖滨村", dt.datetime(2015, 3, 1)),
        child_row(2, "甲一", "湖滨村", dt.datetime(2015, 3, 1), number=False, c6="2015/3/1", c5="女"),
        ["合计", None, None, None, "2人"],
    ])
    result = imported(demo, "children", str(path))
    assert result.exit_code == 0, result.stderr
    assert "row 4: skipped 甲一: same person as row 3 (same name and birth date)" in result.output
    assert result.output.count(" added ") == 1


def test_a_mapping_file_for_another_layout(demo, tmp_path):
    roster = tmp_path / "other.csv"
    roster.write_text("孩子名字,户籍村,证件号,出生年月,家长,家长身份,家长手机,情况,说明\n"
                      f"钱多多,竹山村,{id_number(dt.date(2014, 1, 1), 991, '430626')},2014.01,钱大山,爷爷,13900008000,留守,不导入\n",
                      encoding="utf-8-sig")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("孩子名字: name\n户籍村: village\n证件号: id_number\n出生年月: birth_date\n"
                       "家长: guardian.name\n家长身份: guardian.relation\n家长手机: guardian.phone\n"
                       "情况: categories\n说明: null\n"
                       "defaults:\n  roster.source: 民政\n  roster.confirmed_by: U430600-A9TXK26P\n"
                       "  roster.confirmed_on: '2026-10-20'\n  risk_level: 绿色\n", encoding="utf-8")
    result = imported(demo, "children", str(roster), "--mapping", str(mapping))
    assert result.exit_code == 0, result.stderr
    assert "columns not imported" not in result.stderr
    rid = result.output.split()[3]
    child = record(demo, rid)
    assert rid.startswith("C430626-") and child["village"] == "430626205201"
    assert child["birth_date"] == "2014-01-01" and child["gender"] == "male"  # from the ID number
    assert child["guardian"]["relation"] == "grandfather" and child["categories"] == ["left_behind"]
    assert child["roster"] == {"source": "civil_affairs", "confirmed_by": "U430600-A9TXK26P",
                               "confirmed_on": "2026-10-20"}
    assert child["risk_level"] == "green"


def test_a_bad_mapping_or_file_is_a_usage_error(demo, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("孩子名字: nickname\n", encoding="utf-8")
    result = imported(demo, "children", str(XLSX), "--mapping", str(mapping))
    assert result.exit_code == 2 and "nickname" in result.stderr
    mapping.write_text("defaults:\n  risk_level: 紫色\n", encoding="utf-8")
    result = imported(demo, "children", str(XLSX), "--mapping", str(mapping))
    assert result.exit_code == 2 and "紫色" in result.stderr
    assert imported(demo, "children", str(tmp_path / "missing.csv")).exit_code == 2
    (tmp_path / "notes.csv").write_text("这不是名册\n随便写写\n", encoding="utf-8")
    result = imported(demo, "children", str(tmp_path / "notes.csv"))
    assert result.exit_code == 2 and "no header row" in result.stderr
    assert imported(demo, "children", str(XLSX), "--sheet", "Sheet9").exit_code == 2
    assert imported(demo, "children", str(XLSX), "--bogus").exit_code == 2
    assert clean(demo)


def test_volunteers_from_a_csv_with_team_names(demo, tmp_path):
    roster = tmp_path / "volunteers.csv"
    roster.write_text("湖滨村爱心妈妈名册\n"
                      "姓名,身份证号码,手机,所属队伍,特长,可结对人数,工作单位,所在村（社区）\n"
                      "赵丽华,430621198003049928,139 0000 5001,湖滨村爱心妈妈志愿服务队,烹饪、阅读指导,2,,\n"
                      "孙梅,430621197506019945,13900005002,岳阳县县直机关爱心妈妈志愿服务队,课业辅导,1,县教育局,桃源村\n",
                      encoding="gbk")
    result = imported(demo, "volunteers", str(roster))
    assert result.exit_code == 0, result.stderr
    ids = [line.split()[3] for line in result.output.splitlines() if " added " in line]
    first, second = (record(demo, rid, "volunteers") for rid in ids)
    assert first["kind"] == "local" and first["village"] == "430621101201"  # from the village team
    assert first["phone"] == "13900005001" and first["skills"] == ["cooking", "reading"]
    assert first["vetting"] == {"status": "pending", "checks": []} and first["capacity"] == 2
    assert second["kind"] == "remote" and second["unit"] == "县教育局"
    assert second["team"] == "T430621-0RM7FMY6"
    assert "Aimama-Command: import volunteers" in git(demo, "log", "-1", "--format=%B")
    code, report = check_json(demo)
    assert code == 0, [p for p in report["problems"] if p["severity"] == "error"]


def test_a_volunteer_without_a_village_is_named(demo, tmp_path):
    roster = tmp_path / "volunteers.csv"
    roster.write_text("姓名,身份证号码,手机,所属队伍\n"
                      "孙梅,430621197506019945,13900005002,岳阳县县直机关爱心妈妈志愿服务队\n",
                      encoding="utf-8")
    result = imported(demo, "volunteers", str(roster))
    assert result.exit_code == 1
    assert "row 2 (孙梅), column 所在村（社区）: no value, but one is required" in result.stderr
    assert clean(demo)


def test_help_has_examples():
    for command in (["import", "children"], ["import", "volunteers"], ["export", "roster"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output
    assert "示例" in run("--lang", "zh", "import", "children", "--help").output

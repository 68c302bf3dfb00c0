"""`aimama import logs FILE`: sheets of visits (CSV, XLSX; Chinese or English headers; names or ids)
into the volunteers' logs — one commit, all rows or none, rows already logged skipped and counted,
--dry-run, --mapping, and the shipped form (templates/visit-log.*) importing as is."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import AS_OF, PROJECT, check_json, demo_plain, git, run

from aimama_cli.store.yamlio import decode, parse

LINJING, ZIXUAN, CHENXI = "V430621-6EWXMFTT", "C430621-TRTGBFZR", "C430621-7EBVH5KN"  # demo
HONG, SIQI = "V430626-EK5VZ863", "C430626-RXRG0QR6"  # demo: 邓小红 and 廖思琪
XIULAN, XIAOYU = "V430621-0000V001", "C430621-0000C001"  # the plain test repository
HEADER = "日期,志愿者,儿童,方式,联系情况,时长（小时）,内容"
TEMPLATES = PROJECT / "templates"


def imported(root: Path, file: Path, *args):
    return run("--root", str(root), "import", "logs", str(file), *args, "--as-of", AS_OF)


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain") == ""


def log_of(root: Path, volunteer: str, year: int = 2026) -> list[dict]:
    return demo_plain(root, f"records/activities/{year}/{volunteer}.yaml")["entries"]


def write_csv(path: Path, *lines: str, encoding: str = "utf-8-sig") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_csv_with_chinese_headers_names_and_ids_makes_one_commit(demo, tmp_path):
    sheet = write_csv(tmp_path / "五月走访.csv",
                      "2026年5月爱心妈妈走访记录,,,,,,",  # a title line above the headers
                      HEADER,
                      "2026/5/2,林静,李梓萱,电话联系,已联系上,0.5,问候近况",
                      f"2026-05-03,{LINJING},{CHENXI},入户走访、做一顿饭,,2,一起做饭",
                      "2026年5月9日,林静,李梓萱、朱晨曦,集体活动,已联系上,3,",
                      "2026.5.10, 邓小红 ,廖思琪,入户,是,1.5小时,",
                      "合计,,,,,7,", encoding="gb18030")
    count = commits(demo)
    result = imported(demo, sheet)
    assert result.exit_code == 0, result.output + result.stderr
    assert "imported 4 entries into 2 log(s) from 五月走访.csv" in result.output
    assert "0 row(s) already logged" in result.output
    assert commits(demo) == count + 1 and clean(demo)
    assert git(demo, "log", "-1", "--format=%s") == "aimama import logs: 4 entries from 五月走访.csv\n"
    mine = {e["date"]: e for e in log_of(demo, LINJING) if "2026-05-02" <= e["date"] <= "2026-05-09"}
    assert mine["2026-05-02"] == {"date": "2026-05-02", "child": ZIXUAN, "kinds": ["phone_call"],
                                  "contact": "made", "hours": 0.5, "details": "问候近况"}
    assert mine["2026-05-03"]["kinds"] == ["home_visit", "meal"] and "contact" not in mine["2026-05-03"]
    assert mine["2026-05-09"]["children"] == [ZIXUAN, CHENXI]
    [hers] = [e for e in log_of(demo, HONG) if e["date"] == "2026-05-10"]
    assert hers["child"] == SIQI and hers["kinds"] == ["home_visit"] and hers["hours"] == 1.5
    text = (demo / f"records/activities/2026/{LINJING}.yaml").read_text(encoding="utf-8")
    assert f"    child: {ZIXUAN}  # 李梓萱\n" in text
    code, report = check_json(demo)
    assert [p for p in report["problems"] if p["severity"] == "error"] == []


def test_an_xlsx_with_date_cells_numbers_and_english_headers(repo, tmp_path):
    serial = (dt.date(2026, 9, 20) - dt.date(1899, 12, 30)).days  # a date cell formatted as a number
    sheet = write_xlsx(tmp_path / "visits.xlsx", [
        ["Date", "Volunteer", "Child", "Kinds", "Contact", "Hours", "Details"],
        [dt.datetime(2026, 9, 12), "李秀兰", "王小雨", "phone_call", "made", 0.5, "called after school"],
        [serial, XIULAN, XIAOYU, "入户走访", "已联系上", 2, None],
        ["2026-09-27 00:00:00", "李秀兰", XIAOYU, "tutoring", None, 1.5, None],
        [None, None, None, None, None, None, None],
    ])
    result = imported(repo, sheet)
    assert result.exit_code == 0, result.output + result.stderr
    entries = parse(decode((repo / f"records/activities/2026/{XIULAN}.yaml").read_bytes())).data["entries"]
    new = [e for e in entries if e["date"] in ("2026-09-12", "2026-09-20", "2026-09-27")]
    assert [(e["date"], e["kinds"], e.get("hours")) for e in new] == [
        ("2026-09-12", ["phone_call"], 0.5), ("2026-09-20", ["home_visit"], 2), ("2026-09-27", ["tutoring"], 1.5)]
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)  # each in its place


def test_a_bad_row_refuses_every_row_naming_row_and_column(demo, tmp_path):
    sheet = write_csv(tmp_path / "bad.csv", HEADER,
                      "2026/5/2,林静,李梓萱,电话联系,已联系上,0.5,问候近况",
                      "2026/2/30,林静,李梓萱,电话联系,已联系上,0.5,",
                      "2026/5/4,无名氏,李梓萱,电话联系,已联系上,0.5,",
                      "2026/5/5,林静,李梓萱,阅读,已联系上,30,",
                      "2026/5/6,林静,,电话联系,已联系上,1,",
                      "2026/12/6,林静,李梓萱,电话联系,已联系上,1,",
                      "2026/5/7,林静,李梓萱,微心愿,已联系上,1,")
    count = commits(demo)
    result = imported(demo, sheet)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "row 3 (林静 2026/2/30), column 日期: '2026/2/30' is not a day of the calendar" in lines
    assert any(line.startswith("row 4 (无名氏 2026-05-04), column 志愿者: no volunteer ") and "'无名氏'" in line
               for line in lines)  # named by row, column and the value
    assert any(line.startswith("row 5 (林静 2026-05-05), column 方式: '阅读' is not a value") for line in lines)
    assert "row 5 (林静 2026-05-05), column 时长（小时）: '30' is not a number of hours from 0 to 24" in lines
    assert "row 6 (林静 2026-05-06), column 儿童: no value, but one is required" in lines
    assert any(line.startswith("row 7 (林静 2026-12-06), column 日期:") and "AM505" in line for line in lines)
    assert any(line.startswith("row 8 (林静 2026-05-07), column 方式:") and "AM814" in line for line in lines)
    assert not any(line.startswith("row 2 ") for line in lines)
    assert "refused: 6 row(s) cannot be imported" in lines[-1]
    assert commits(demo) == count and clean(demo)


def test_rows_already_logged_are_skipped_and_counted(demo, tmp_path):
    sheet = write_csv(tmp_path / "again.csv", HEADER,
                      "2026-04-18,林静,李梓萱,微信联系,已联系上,0.5,",  # in the demo already
                      "2026-05-02,林静,李梓萱,电话联系,已联系上,0.5,",
                      "2026/5/2,林静,C430621-TRTGBFZR,phone_call,made,1,")  # the row above, again
    first = imported(demo, sheet)
    assert first.exit_code == 0, first.stderr
    assert "row 2: skipped 林静 2026-04-18: already logged" in first.output
    assert "row 4: skipped 林静 2026-05-02: same entry as row 3" in first.output
    assert "imported 1 entry into 1 log(s)" in first.output and "2 row(s) already logged" in first.output
    count = commits(demo)
    second = imported(demo, sheet)
    assert second.exit_code == 0
    assert "nothing to import: no new entries (3 row(s) already logged, skipped)" in second.output
    assert commits(demo) == count and clean(demo)


def test_dry_run_writes_nothing(demo, tmp_path):
    sheet = write_csv(tmp_path / "dry.csv", HEADER, "2026/5/2,林静,李梓萱,电话联系,已联系上,0.5,")
    count = commits(demo)
    result = imported(demo, sheet, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "row 2: would log 林静 V430621-6EWXMFTT 2026-05-02 李梓萱 C430621-TRTGBFZR phone_call" in result.output
    assert "nothing was written (--dry-run)" in result.output
    assert commits(demo) == count and clean(demo)


def test_a_mapping_reads_other_headers_with_defaults(repo, tmp_path):
    sheet = write_csv(tmp_path / "form.csv", "提交时间,走访时间,妈妈,孩子,做了什么",
                      "2026-10-21 20:15,2026-10-21,李秀兰,王小雨,入户走访、课业辅导")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("走访时间: date\n妈妈: volunteer\n孩子: child\n做了什么: kinds\n"
                       "defaults:\n  contact: made\n  hours: 1\n", encoding="utf-8")
    result = imported(repo, sheet, "--mapping", str(mapping))
    assert result.exit_code == 0, result.output + result.stderr
    entries = parse(decode((repo / f"records/activities/2026/{XIULAN}.yaml").read_bytes())).data["entries"]
    assert [e for e in entries if e["date"] == "2026-10-21"] == [
        {"date": "2026-10-21", "child": XIAOYU, "kinds": ["home_visit", "tutoring"], "contact": "made", "hours": 1}]
    mapping.write_text("走访时间: date\n妈妈: mother\n", encoding="utf-8")
    assert imported(repo, sheet, "--mapping", str(mapping)).exit_code == 2  # not a field of an entry
    assert imported(repo, write_csv(tmp_path / "none.csv", "a,b", "1,2")).exit_code == 2  # no header row


def test_the_shipped_form_imports_as_is_and_offers_every_kind(repo, tmp_path):
    from openpyxl import load_workbook

    from aimama_cli.domain.log_import import choices
    from aimama_cli.reports.visit_logs import write_form

    made = write_form(tmp_path / "made")  # the shipped files are what the script makes
    assert [p.read_bytes() for p in made] == [(TEMPLATES / p.name).read_bytes() for p in made]
    for name in ("visit-log.csv", "visit-log.xlsx"):
        empty = imported(repo, TEMPLATES / name)
        assert empty.exit_code == 0 and "nothing to import" in empty.output, empty.stderr
    book = load_workbook(TEMPLATES / "visit-log.xlsx")
    sheet = book["走访记录"]
    lists = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    offered = [c.value for c in book["选项"]["A"][1:]]
    assert offered == choices("kinds") and "入户走访" in offered and len(offered) == 21
    assert lists == {"D2:D501": "=选项!$A$2:$A$22", "E2:E501": "=选项!$B$2:$B$3"}
    sheet.append([dt.datetime(2026, 10, 24), "李秀兰", "王小雨", "入户走访", "已联系上", 1.5, "走访顺利"])
    sheet.append([dt.datetime(2026, 10, 25), "李秀兰", "王小雨", "电话联系", "未联系上", None, None])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    shutil.copy(TEMPLATES / "visit-log.csv", tmp_path / "filled.csv")
    with (tmp_path / "filled.csv").open("a", encoding="utf-8") as text:
        text.write("2026/10/26,李秀兰,王小雨,微信联系,已联系上,0.5,\n")
    for path, count in ((filled, 2), (tmp_path / "filled.csv", 1)):
        result = imported(repo, path)
        assert result.exit_code == 0, result.output + result.stderr
        assert f"imported {count} {'entry' if count == 1 else 'entries'} into" in result.output


def test_a_listing_as_csv_imports_back_as_already_logged(demo, tmp_path):
    listing = run("--root", str(demo), "log", "list", "--volunteer", LINJING, "--format", "csv").output
    sheet = tmp_path / "listing.csv"
    sheet.write_text(listing + "\n", encoding="utf-8")
    rows = len(listing.splitlines()) - 1
    result = imported(demo, sheet)
    assert result.exit_code == 0, result.output + result.stderr
    assert f"nothing to import: no new entries ({rows} row(s) already logged, skipped)" in result.output


HAND_WRITTEN_LOG = """\
# 李秀兰 2026 年走访记录（手工整理）
volunteer: V430621-0000V001
year: 2026
entries:
  # 上半年
  - date: '2026-02-10'
    child: C430621-0000C001   # 王小雨
    kinds: [home_visit,meal]
    hours: 2
  - date: '2026-07-20'
    pairing: P430621-0000P001
    kinds: [tutoring]
    details: 暑期“四点半课堂”辅导作业。
  # 下半年
  - date: '2026-10-03'
    pairing: P430621-0000P001
    kinds: [ group_activity ]
    hours: 3
# 待补：十一月的电话记录
"""


def test_entries_are_spliced_into_a_log_and_every_other_byte_stays(repo, tmp_path):
    log = repo / f"records/activities/2026/{XIULAN}.yaml"
    log.write_text(HAND_WRITTEN_LOG, encoding="utf-8")
    git(repo, "commit", "-qam", "the log as typed by hand")
    sheet = write_csv(tmp_path / "visits.csv", HEADER,
                      "2026-09-01,李秀兰,王小雨,电话联系,已联系上,0.5,开学问候",
                      "2026-01-05,李秀兰,王小雨,入户走访,已联系上,1,",
                      "2026-10-20,李秀兰,王小雨,微信联系,已联系上,0.5,",
                      "2026-07-20,李秀兰,王小雨,电话联系,,1,")
    result = imported(repo, sheet)
    assert result.exit_code == 0, result.output + result.stderr
    assert "imported 4 entries into 1 log(s)" in result.output
    added, removed, _path = git(repo, "diff", "--numstat", "HEAD~1", "HEAD").split()
    assert (int(added), int(removed)) == (20, 0)  # the new entries' lines, nothing else touched
    after = log.read_text(encoding="utf-8")
    new = ("  - date: '2026-09-01'\n"
           f"    child: {XIAOYU}  # 王小雨\n"
           "    kinds: [phone_call]\n"
           "    contact: made\n"
           "    hours: 0.5\n"
           "    details: 开学问候\n")
    assert new in after
    entries = parse(decode(log.read_bytes())).data["entries"]
    assert [e["date"] for e in entries] == ["2026-01-05", "2026-02-10", "2026-07-20", "2026-07-20",
                                            "2026-09-01", "2026-10-03", "2026-10-20"]
    assert after.index("# 上半年") < after.index("'2026-01-05'") < after.index("'2026-02-10'")
    assert after.endswith("    kinds: [wechat]\n    contact: made\n    hours: 0.5\n# 待补：十一月的电话记录\n")
    assert clean(repo)


def test_a_row_the_rules_refuse_is_named_when_entries_are_spliced(repo, tmp_path):
    before = commits(repo)
    sheet = write_csv(tmp_path / "wish.csv", HEADER,
                      "2026-09-01,李秀兰,王小雨,微心愿,已联系上,0.5,",  # a micro-wish with no wish: AM814
                      "2026-03-01,李秀兰,王小雨,电话联系,已联系上,0.5,",  # goes in before it, in the same log
                      "2026-12-01,李秀兰,王小雨,微心愿,已联系上,1,")
    result = imported(repo, sheet)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("row 2 (李秀兰 2026-09-01), column 方式:") and "AM814" in line for line in lines)
    assert any(line.startswith("row 4 (李秀兰 2026-12-01), column 方式:") and "AM814" in line for line in lines)
    assert not any(line.startswith("row 3 ") for line in lines)
    assert commits(repo) == before and clean(repo)


def test_children_named_with_spaces_between_are_a_group_and_an_unknown_one_is_named_whole(demo, tmp_path):
    """A phone's keyboard separates names with spaces: 李梓萱 朱晨曦 is two children; a name not
    known is reported as the coordinator typed it, not word by word."""
    sheet = write_csv(tmp_path / "群.csv", HEADER, "2026/5/9,林静,李梓萱 朱晨曦,集体活动,已联系上,3,")
    result = imported(demo, sheet)
    assert result.exit_code == 0, result.output + result.stderr
    [entry] = [e for e in log_of(demo, LINJING) if e["date"] == "2026-05-09"]
    assert entry["children"] == [ZIXUAN, CHENXI]
    head = git(demo, "rev-parse", "HEAD")
    bad = write_csv(tmp_path / "错.csv", HEADER, "2026/5/10,林静,李梓萱 赵无名,集体活动,已联系上,3,")
    refused = imported(demo, bad)
    assert refused.exit_code == 1 and "'李梓萱 赵无名'" in refused.stderr
    assert git(demo, "rev-parse", "HEAD") == head

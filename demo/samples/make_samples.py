"""Make the sample rosters and the sheet of visits in this folder: `python demo/samples/make_samples.py [FOLDER]`.

Two rosters shaped like the ones township federations and civil affairs hand coordinators (花名册),
for `aimama import children` to be tried on, in the README's tour and in tests/test_roster_import.py:

- children-roster-gbk.csv: as Excel on a Chinese Windows machine saves CSV: GBK bytes, CRLF line
  ends, a title line above the header, dates typed as `2014/05/12`, a 合计 (total) line at the
  bottom, and one bad row (row 11 of the file: the date 2009/6/31, which no calendar has, and an
  ID number with a wrong check character). An import must name that row and write nothing.
- children-roster.xlsx: a title merged across the sheet, the header on row 2, real Excel date
  cells, ID numbers stored as text, a blank row in the middle; every row valid (the bad row put
  right, and one child more).
- visit-logs-2026-11.csv: a village team's month of visits as an online form exports it, for
  `aimama import logs` (the README's "A coordinator's week"); the demo's volunteers and children.

Everyone in them is made up: the names are invented, the ID numbers are made here with aimama's own
GB 11643 helper (valid check characters, sequence numbers 994/995 that registries rarely reach),
and the phone numbers are 1390000xxxx. The villages are the demo's (records/regions.yaml), so
both rosters import into the demo records.

The output is deterministic: running the script again gives byte-identical files (fixed
timestamps inside the XLSX), and tests/test_samples.py checks that the committed files are what
this script makes. Change the people here, never in the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    from aimama_cli.core.ids import make_id_number
except ImportError:  # run from a source checkout without `pip install -e .`
    sys.path.insert(0, str(HERE.parent.parent))
    from aimama_cli.core.ids import make_id_number

CSV_NAME = "children-roster-gbk.csv"
VISITS_NAME = "visit-logs-2026-11.csv"
XLSX_NAME = "children-roster.xlsx"
CSV_TITLE = "青松镇、梅岭乡留守困境儿童花名册（2025年7月摸排）"
XLSX_TITLE = "岳阳县、平江县留守困境儿童花名册"
STAMP = dt.datetime(2025, 7, 20)  # when the roster was "compiled": the only time in the files

HEADER = ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "儿童姓名", "性别", "出生日期", "身份证号码",
          "儿童类别", "监护人姓名", "与儿童关系", "监护人联系电话", "就读学校", "年级",
          "父母外出务工及监护情况", "风险等级", "备注"]
COUNTIES = {"岳阳县": "430621", "平江县": "430626"}  # county name: its code (the ID numbers' region)

# county, township, village, child, gender, birth date, category, guardian, relation, school,
# grade, situation, risk — all invented
CHILDREN = [
    ("岳阳县", "青松镇", "湖滨村", "李小雨", "女", dt.date(2014, 5, 12), "留守儿童", "李桂兰", "祖母",
     "青松镇中心小学", "五年级", "父母均外出务工（广东）", "黄色"),
    ("岳阳县", "青松镇", "湖滨村", "王思远", "男", dt.date(2012, 11, 3), "留守儿童", "王建国", "祖父",
     "青松镇中学", "初一", "父母均外出务工（浙江）", "绿色"),
    ("岳阳县", "青松镇", "桃源村", "周欣怡", "女", dt.date(2016, 2, 29), "事实无人抚养儿童", "周秀英", "外祖母",
     "桃源村小学", "二年级", "父亲服刑，母亲失联", "红色"),
    ("岳阳县", "青松镇", "桃源村", "陈浩然", "男", dt.date(2010, 8, 21), "残疾儿童", "陈美华", "母亲",
     "岳阳县特殊教育学校", "七年级", "父亲外出务工", "橙色"),
    ("岳阳县", "青松镇", "新港社区", "刘梓涵", "女", dt.date(2013, 1, 17), "散居孤儿", "刘伟", "叔叔",
     "新港小学", "六年级", "父母双亡", "橙色"),
    ("岳阳县", "青松镇", "新港社区", "张宇航", "男", dt.date(2015, 9, 9), "留守儿童", "张红梅", "祖母",
     "新港小学", "三年级", "父母均外出务工（上海）", "绿色"),
    ("平江县", "梅岭乡", "竹山村", "黄诗琪", "女", dt.date(2011, 4, 30), "其他困境儿童", "黄志强", "父亲",
     "梅岭乡中学", "初二", "单亲家庭，父亲患病", "黄色"),
    ("平江县", "梅岭乡", "竹山村", "赵俊杰", "男", dt.date(2017, 12, 1), "留守儿童", "赵春花", "祖母",
     "竹山村教学点", "一年级", "父母均外出务工（广东）", "黄色"),
    ("平江县", "梅岭乡", "石门村", "孙雅琳", "女", dt.date(2009, 6, 6), "留守儿童", "孙德明", "祖父",
     "梅岭乡中学", "初三", "母亲外出务工，父亲去世", "绿色"),
    ("平江县", "梅岭乡", "石门村", "吴一凡", "男", dt.date(2014, 10, 10), "事实无人抚养儿童", "吴桂芳", "姑姑",
     "石门村小学", "四年级", "父母重残", "红色"),
]
CSV_CHILDREN = 9  # the CSV has the first nine; the last of them is its bad row
BLANK_AFTER = 5  # the XLSX has a blank row after its fifth child


def id_number(county: str, birth: dt.date, gender: str) -> str:
    """An odd sequence number is a man's or boy's, an even one a woman's or girl's."""
    return make_id_number(COUNTIES[county], birth, 995 if gender == "男" else 994)


def rows() -> list[list]:
    """One list per child, in HEADER's order: dates as dates, numbers as text."""
    out = []
    for n, (county, township, village, name, gender, birth, category, guardian, relation, school,
            grade, situation, risk) in enumerate(CHILDREN, 1):
        out.append([n, county, township, village, name, gender, birth, id_number(county, birth, gender),
                    category, guardian, relation, f"1390000{1000 + n - 1}", school, grade, situation,
                    risk, None])
    return out


def csv_bytes() -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([CSV_TITLE] + [""] * (len(HEADER) - 1))
    writer.writerow(HEADER)
    for row in rows()[:CSV_CHILDREN]:
        row = ["" if v is None else f"{v:%Y/%m/%d}" if isinstance(v, dt.date) else v for v in row]
        writer.writerow(row)
    bad = CSV_CHILDREN - 1  # the clerk typed 31 for 6, and one digit of the ID number wrong
    lines = text.getvalue().split("\r\n")
    fields = lines[2 + bad].split(",")
    birth = CHILDREN[bad][5]
    fields[6] = f"{birth.year}/{birth.month}/31"
    fields[7] = fields[7][:17] + ("0" if fields[7][17] != "0" else "1")
    lines[2 + bad] = ",".join(fields)
    text = "\r\n".join(lines)
    total = ["合计", "", "", "", f"{CSV_CHILDREN}人"] + [""] * (len(HEADER) - 5)
    return (text + ",".join(total) + "\r\n").encode("gbk")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append([XLSX_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for n, row in enumerate(rows(), 1):
        row[6] = dt.datetime.combine(row[6], dt.time())
        sheet.append(row)
        sheet.cell(sheet.max_row, 7).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 8).number_format = "@"  # text, as a careful clerk formats it
        if n == BLANK_AFTER:
            sheet.append([None] * len(HEADER))
    book.properties.creator = "aimama demo/samples/make_samples.py"
    book.properties.created = STAMP
    saved = io.BytesIO()
    book.save(saved)
    return _fixed_zip(saved.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with every timestamp fixed: openpyxl stamps the time of saving into
    docProps/core.xml and into each zip entry."""
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            info = zipfile.ZipInfo(entry.filename, date_time=STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # the same bytes whichever system runs this
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


# A team leader's month of visits, as an online form (问卷星, 金数据) exports it: UTF-8 with a byte
# order mark, CRLF, a row number and a submission time aimama does not need, dates typed with
# slashes, hours with their unit, two children in one cell for a group activity. The volunteers,
# children and pairings are the demo's (湖滨村爱心妈妈志愿服务队), named as the team knows them.
VISITS = [
    ["序号", "提交时间", "日期", "志愿者", "儿童", "方式", "联系情况", "时长（小时）", "内容"],
    [1, "2026/11/30 20:14", "2026/11/14", "张桂芳", "张雨桐", "入户走访、安全教育", "已联系上", "2",
     "入户走访，讲了冬季防火和防溺水"],
    [2, "2026/11/30 20:31", "2026/11/21", "冯玉兰", "朱晨曦、邓可欣", "集体活动", "已联系上", "3小时",
     "带两个孩子参加村里的读书会"],
    [3, "2026/11/30 21:02", "2026/11/25", "李秀英", "李梓萱", "电话联系", "已联系上", "0.5",
     "电话了解期中考试情况"],
    [4, "2026/12/1 08:45", "2026/11/28", "刘建华", "罗子轩", "入户走访", "已联系上", "1.5",
     "入户走访，孩子奶奶身体不好，已告知村妇联"],
]


def visits_bytes() -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(VISITS)
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


def make(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((CSV_NAME, csv_bytes()), (XLSX_NAME, xlsx_bytes()), (VISITS_NAME, visits_bytes())):
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")

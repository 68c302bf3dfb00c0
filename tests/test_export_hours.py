"""`aimama export hours`: volunteer service hours of the demo logs, for the national volunteer
service information system, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from conftest import AS_OF, git, run
from openpyxl import load_workbook

from aimama_cli.store.yamlio import decode, parse

HEADERS = ["姓名", "证件类型", "证件号码", "服务日期", "服务时长（小时）", "服务内容", "组织单位"]
MASKED_ID = re.compile(r"^[0-9]{4}\*{10}[0-9]{3}[0-9X]$")


def exported(root: Path, *args):
    return run("--root", str(root), "export", "hours", *args)


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == HEADERS
    return [dict(zip(HEADERS, row)) for row in rows[1:]]


def test_csv_rows_and_hours_of_a_volunteer_as_worked_out_by_hand(demo, tmp_path):
    target = tmp_path / "hours.csv"
    result = exported(demo, "--year", "2025", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert "masked" in result.stderr
    rows = [r for r in read_csv(target) if r["姓名"] == "林静"]
    # records/activities/2025/V430621-6EWXMFTT.yaml: 17 entries, all with contact made:
    # 3 + 0.5 + 1 + 1 + 0.5 + 4 + 1 + 1 + 1 + 2.5 + 0.5 + 0.5 + 1 + 0.5 + 0.3 + 1 + 0.5 = 19.8
    assert len(rows) == 17
    assert sum(Decimal(r["服务时长（小时）"]) for r in rows) == Decimal("19.8")
    assert [r["服务日期"] for r in rows] == sorted(r["服务日期"] for r in rows)
    first = rows[0]
    assert first["服务日期"] == "2025-01-25" and first["服务时长（小时）"] == "3"
    assert first["服务内容"] == "入户走访、微心愿（一个足球）、过节日"
    assert rows[2]["服务内容"] == "视频通话、共读一本书（《城南旧事》）"
    assert first["证件类型"] == "居民身份证" and MASKED_ID.match(first["证件号码"])
    assert first["组织单位"] == "岳阳县县直机关爱心妈妈志愿服务队"
    assert "春节前入户看望梓萱" not in target.read_text(encoding="utf-8-sig")  # details stay out


def test_calls_that_did_not_get_through_and_entries_without_hours_are_left_out(demo, tmp_path):
    target = tmp_path / "hours.csv"
    assert exported(demo, "--year", "2025", "--output", str(target)).exit_code == 0
    rows = read_csv(target)
    expected, total = 0, Decimal(0)
    for path in (demo / "records/activities/2025").glob("*.yaml"):
        for entry in parse(decode(path.read_bytes())).data["entries"]:
            if entry.get("contact") != "attempted" and entry.get("hours"):
                expected += 1
                total += Decimal(str(entry["hours"]))
    assert len(rows) == expected
    assert sum(Decimal(r["服务时长（小时）"]) for r in rows) == total
    # a call that did not get through, and a visit without hours, add no row
    for extra in (["--contact", "attempted", "--hours", "1"], []):
        result = run("--root", str(demo), "log", "add", "V430621-6EWXMFTT", "--kind", "phone_call",
                     "--child", "C430621-TRTGBFZR", "--date", "2025-12-30", *extra, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
    assert exported(demo, "--year", "2025", "--output", str(target)).exit_code == 0
    assert len(read_csv(target)) == expected


def test_xlsx_revealed_region_and_exact_sums(demo, tmp_path):
    target = tmp_path / "时长.xlsx"
    result = exported(demo, "--year", "2026", "--region", "430626", "--output", str(target), "--reveal")
    assert result.exit_code == 0, result.stderr
    assert "masked" not in result.stderr
    ws = load_workbook(target).active
    assert ws.freeze_panes == "A2" and [c.value for c in ws[1]] == HEADERS
    rows = [dict(zip(HEADERS, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows and {r["组织单位"] for r in rows} == {"竹山村爱心妈妈志愿服务队"}
    assert all(re.fullmatch(r"430626[0-9]{11}[0-9X]", r["证件号码"]) for r in rows)
    assert all(isinstance(r["服务日期"], dt.datetime) for r in rows)
    total = sum(Decimal(str(r["服务时长（小时）"])) for r in rows)
    assert f"{total.normalize():f} hours" in result.output  # the total printed is the sum of the rows
    # hours add up exactly: 0.1 + 0.2 is 0.3
    log = ["--root", str(demo), "log", "add", "V430626-EK5VZ863", "--kind", "phone_call",
           "--child", "C430626-RXRG0QR6", "--as-of", AS_OF]
    for day, hours in (("2026-10-29", "0.1"), ("2026-10-30", "0.2")):
        assert run(*log, "--date", day, "--hours", hours).exit_code == 0
    csv_target = tmp_path / "h.csv"
    result = exported(demo, "--year", "2026", "--region", "430626", "--output", str(csv_target))
    late = [r for r in read_csv(csv_target) if r["服务日期"] >= "2026-10-29"]
    assert [r["服务时长（小时）"] for r in late] == ["0.1", "0.2"]
    assert f"{(total + Decimal('0.3')).normalize():f} hours" in result.output
    assert git(demo, "status", "--porcelain") == ""


def test_standard_output_and_bad_region(demo):
    result = exported(demo, "--year", "2026", "--output", "-")
    assert result.exit_code == 0 and result.output.splitlines()[0] == ",".join(HEADERS)
    assert exported(demo, "--year", "2026", "--region", "43x").exit_code == 2
    assert exported(demo, "--year", "2026", "--output", "-", "--format", "xlsx").exit_code == 2

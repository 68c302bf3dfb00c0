"""`export roster --redact` and `export hours --redact`: pseudonymised files for sharing upward —
no full name, no ID number, no phone number; the village and the figures kept."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import AS_OF, run
from openpyxl import load_workbook

from aimama_cli.reports.redaction import reduced_name
from aimama_cli.store.yamlio import decode, parse

ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
PHONE = re.compile(r"1[3-9][0-9]{9}")


def records(root, folder):
    return [parse(decode(p.read_bytes())).data for p in (root / "records" / folder).glob("*.yaml")]


def full_names(root) -> set[str]:
    names = set()
    for child in records(root, "children"):
        names |= {child["name"], child.get("guardian", {}).get("name", "")}
    names |= {v["name"] for v in records(root, "volunteers")}
    return names - {""}


def redacted_csv(root, *args) -> list[dict]:
    result = run("--root", str(root), "export", *args, "--redact", "--format", "csv", "--output", "-")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))


def test_redacted_roster_holds_no_name_id_number_or_phone(demo):
    rows = redacted_csv(demo, "roster", "--as-of", AS_OF)
    text = "\n".join(",".join(r.values()) for r in rows)
    assert rows and not ID_NUMBER.search(text) and not PHONE.search(text)
    leaked = [n for n in full_names(demo) if n in text]
    assert leaked == []
    assert {"身份证号", "监护人电话", "爱心妈妈电话", "就读学校", "出生日期"}.isdisjoint(rows[0])
    # what is kept: the village, the birth year, the categories and the record id
    children = {c["id"]: c for c in records(demo, "children")}
    row = rows[0]
    child = children[row["儿童编号"]]
    assert row["姓名"] == reduced_name(child["name"]) and row["姓名"][0] == child["name"][0]
    assert row["出生年份"] == child["birth_date"][:4]
    assert row["所在村（社区）"] and row["儿童类别"]


def test_redacted_roster_xlsx_says_so_in_its_title(demo, tmp_path):
    target = tmp_path / "上报.xlsx"
    result = run("--root", str(demo), "export", "roster", "--redact", "--output", str(target), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(target).worksheets[0]
    assert "（脱敏）" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:6] == ["序号", "乡镇（街道）", "所在村（社区）", "姓名", "性别", "出生年份"]
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert not ID_NUMBER.search(cells) and not PHONE.search(cells)


def test_redacted_hours_holds_no_name_or_id_number(demo):
    rows = redacted_csv(demo, "hours", "--year", "2026")
    text = "\n".join(",".join(r.values()) for r in rows)
    assert rows and not ID_NUMBER.search(text)
    assert [n for n in full_names(demo) if n in text] == []
    assert {r["证件号码"] for r in rows} == {""} and all(r["服务时长（小时）"] for r in rows)


def test_reveal_and_redact_do_not_go_together(demo):
    result = run("--root", str(demo), "export", "roster", "--redact", "--reveal", "--output", "-")
    assert result.exit_code == 2 and "--redact" in result.stderr


@pytest.mark.parametrize("name, reduced", [
    ("张小明", "张**"), ("王五", "王*"), ("欧阳娜娜", "欧阳**"), ("欧阳", "欧*"),
    ("阿依古丽·买买提", "阿**"), ("", ""),
])
def test_names_reduced_to_the_family_name(name, reduced):
    assert reduced_name(name) == reduced

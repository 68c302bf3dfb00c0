"""The sample rosters in demo/samples/ are what demo/samples/make_samples.py makes, every time,
and are test data: made-up ID numbers with valid check characters (but for the one bad row),
villages of the demo."""

from __future__ import annotations

import csv
import importlib.util

from conftest import PROJECT
from openpyxl import load_workbook

from aimama_cli.core import ids

SAMPLES = PROJECT / "demo" / "samples"
NAMES = ("children-roster-gbk.csv", "children-roster.xlsx", "visit-logs-2026-11.csv")


def _script():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(path):
    sheet = load_workbook(path).active
    return (sheet.title, sorted(str(r) for r in sheet.merged_cells.ranges),
            [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows()])


def test_the_script_makes_the_same_bytes_twice_and_the_committed_files(tmp_path):
    script = _script()
    script.make(tmp_path / "a")
    script.make(tmp_path / "b")
    for name in NAMES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    made = tmp_path / "a"
    for name in (NAMES[0], NAMES[2]):
        assert (made / name).read_bytes() == (SAMPLES / name).read_bytes(), name
    # the workbook's cells, not its bytes: another zlib or openpyxl may pack the same cells
    # differently; run the script and commit what it writes when this fails
    assert _cells(made / NAMES[1]) == _cells(SAMPLES / NAMES[1])


def test_only_the_bad_row_has_a_wrong_check_character_and_every_village_is_the_demos():
    demo_regions = (PROJECT / "records" / "regions.yaml").read_text(encoding="utf-8")
    lines = (SAMPLES / NAMES[0]).read_bytes().decode("gbk").splitlines()
    rows = list(csv.reader(lines[2:-1]))
    sheet = [row for row in load_workbook(SAMPLES / NAMES[1]).active.iter_rows(min_row=3, values_only=True)
             if any(row)]
    assert len(rows) == 9 and len(sheet) == 10
    bad = [row[4] for row in rows if ids.check_char(row[7][:17]) != row[7][17]]
    assert bad == ["孙雅琳"]
    assert all(ids.check_char(row[7][:17]) == row[7][17] for row in sheet)
    assert all(row[11].startswith("1390000") for row in rows + sheet)  # no phone that rings
    for row in rows + sheet:
        assert f"name: {row[3]}, level: village" in demo_regions, row[3]

"""`federation report coverage|duties`: the county reports across many counties' exported facts,
by DuckDB; the figures equal the sums of each county's own report (issue 22)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import AS_OF, PROJECT, run

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

DEMO_COUNTIES = ("430621", "430626", "430681")
GENERATED_COUNTIES = ("430602", "430603")  # benchmarks/generate.py: the first counties of 岳阳市
FIGURES = ("met", "due", "overdue", "not_applicable", "completion", "pairings", "pairings_overdue")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A second repository, of other counties of the same city, with a year of activity logs."""
    root = tmp_path_factory.mktemp("generated") / "repo"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root), "--children", "120",
                    "--git", "--activities", "--jobs", "1"], check=True, capture_output=True)
    return root


def export(root, dest, as_of=AS_OF):
    result = run("--root", str(root), "export", "facts", "--output", str(dest), "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return dest


def report(root, kind):
    result = run("--root", str(root), "report", kind, "--as-of", AS_OF, "--level", "county", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def federation(kind, *args):
    result = run("federation", "report", kind, *map(str, args), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def exports(demo, generated, tmp_path):
    folder = tmp_path / "city"
    export(demo, folder / "demo")
    export(generated, folder / "generated")
    return folder


def test_city_coverage_is_the_sum_of_the_counties_own_reports(demo, generated, exports):
    own = [report(demo, "coverage"), report(generated, "coverage")]
    by_county = federation("coverage", exports, "--level", "county").json()
    assert {r["code"][:6] for r in by_county["regions"]} == set(DEMO_COUNTIES + GENERATED_COUNTIES)
    mine = {r["code"]: r for o in own for r in o["regions"]}
    assert {r["code"]: r for r in by_county["regions"]} == mine
    coverages = [r["coverage"] for r in by_county["regions"]]
    assert coverages == sorted(coverages)  # worst first
    city = federation("coverage", exports, "--level", "city").json()
    assert [r["code"] for r in city["regions"]] == ["430600000000"]
    for key in ("children", "paired", "priority", "priority_paired", "no_local_volunteer", "volunteers",
                "volunteers_active", "volunteers_vetted", "volunteers_pledged", "volunteers_pairing", "pairings"):
        assert city["total"][key] == sum(o["total"][key] for o in own), key
    assert city["total"]["children_by_category"] == {
        c: sum(o["total"]["children_by_category"][c] for o in own) for c in own[0]["total"]["children_by_category"]}
    assert city["missing"] == [] and city["warnings"] == [] and len(city["exports"]) == 5


def test_city_duties_are_the_sum_of_the_counties_own_reports(demo, generated, exports):
    own = [report(demo, "duties"), report(generated, "duties")]
    found = federation("duties", exports, "--level", "county").json()
    mine = {r["code"]: {k: r[k] for k in FIGURES} for o in own for r in o["regions"]}
    assert {r["code"]: {k: r[k] for k in FIGURES} for r in found["regions"]} == mine
    for key in ("met", "due", "overdue", "not_applicable", "pairings", "pairings_overdue"):
        assert found["total"][key] == sum(o["total"][key] for o in own), key
    duties = {(d["programme"], d["duty"]): d["met"] for d in found["duties"]}
    assert sum(duties.values()) == found["total"]["met"] > 0


def test_the_facts_read_back_with_duckdb_sql(demo, generated, exports):
    children = duckdb.sql(f"SELECT county, count(*) FILTER (status = 'active') FROM read_parquet("
                          f"'{exports}/**/children.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY 1").fetchall()
    own = {r["code"][:6]: r["children"] for o in (report(demo, "coverage"), report(generated, "coverage"))
           for r in o["regions"]}
    assert {str(county): n for county, n in children} == own


def test_a_records_repository_is_exported_on_the_fly(demo):
    found = federation("coverage", demo, "--as-of", AS_OF).json()
    assert found["total"]["children"] == report(demo, "coverage")["total"]["children"]


def test_a_county_missing_is_listed_not_counted(exports):
    result = federation("coverage", exports, "--level", "city", "--expect", "430682,430621")
    assert result.json()["missing"] == ["430682"]
    assert "counties missing from the set (not counted): 430682" in result.stderr
    assert all(not r["code"].startswith("430682") for r in
               federation("coverage", exports, "--expect", "430682").json()["regions"])


def test_different_days_are_warned_and_a_county_exported_twice_counts_once(demo, generated, tmp_path):
    export(demo, tmp_path / "set" / "june", "2026-06-30")
    export(demo, tmp_path / "set" / "november")
    export(generated, tmp_path / "set" / "generated", "2026-10-31")
    result = federation("coverage", tmp_path / "set", "--level", "county")
    found = result.json()
    assert {e["county"]: e["as_of"] for e in found["exports"]} == {
        **dict.fromkeys(DEMO_COUNTIES, AS_OF), **dict.fromkeys(GENERATED_COUNTIES, "2026-10-31")}
    assert [w["mismatch"] for w in found["warnings"]] == ["as_of"]
    assert "the exports differ in as_of" in result.stderr
    assert sorted(s["county"] for s in found["set_aside"]) == list(DEMO_COUNTIES)
    june = federation("coverage", tmp_path / "set", "--as-of", "2026-06-30").json()
    assert {e["county"] for e in june["exports"]} == set(DEMO_COUNTIES) and june["warnings"] == []


def test_no_exports_is_a_usage_error(tmp_path):
    result = run("federation", "report", "coverage", str(tmp_path))
    assert result.exit_code == 2 and "no exported facts" in result.stderr


def test_volunteers_and_cases_are_the_sums_of_the_counties_own_reports(demo, generated, exports):
    own = [report(demo, "volunteers"), report(generated, "volunteers")]
    found = federation("volunteers", exports, "--level", "county").json()
    assert {r["code"]: r for r in found["regions"]} == {r["code"]: r for o in own for r in o["regions"]}
    assert found["total"]["hours"] == pytest.approx(sum(o["total"]["hours"] for o in own))
    cases = run("--root", str(demo), "report", "cases", "--as-of", AS_OF, "--format", "json").json()
    federated = federation("cases", exports).json()
    assert {t["team"]: {k: v for k, v in t.items() if k != "name"} for t in federated["teams"] if t["team"] in
            {c["team"] for c in cases["teams"]}} == {t["team"]: {k: v for k, v in t.items() if k != "name"}
                                                     for t in cases["teams"]}
    assert federated["total"]["steps"] >= cases["total"]["steps"] > 0


def test_the_nation_benchmark_runs_at_a_small_scale(tmp_path):
    done = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "federation.py"), str(tmp_path / "nation"),
                           "--scale", "0.001"], check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["counties"] == 3 and figures["coverage by province"] >= 0
    found = federation("coverage", tmp_path / "nation", "--level", "province").json()
    assert found["total"]["children"] > 9000 and len(found["regions"]) == 3


def test_unreadable_exports_are_usage_errors_naming_the_file(demo, tmp_path):
    folder = export(demo, tmp_path / "facts")
    children = folder / "province=43/city=4306/county=430626/children.parquet"
    children.write_bytes(b"not parquet")
    result = run("federation", "report", "coverage", str(folder))
    assert result.exit_code == 2 and "children.parquet" in result.stderr
    manifest = folder / "province=43/city=4306/county=430681/manifest.json"
    manifest.write_text('{"format": "aimama-facts", "schema_version": 1}')
    result = run("federation", "report", "duties", str(folder))
    assert result.exit_code == 2 and "county=430681/manifest.json" in result.stderr


SMALL = "430681000000"  # the demo's county with 4 children


def test_min_cell_withholds_the_small_county_in_table_csv_and_json(demo):
    def shown(fmt, *extra):
        result = run("federation", "report", "coverage", str(demo), "--as-of", AS_OF, "--format", fmt, *extra)
        assert result.exit_code == 0, result.stderr
        return result.output

    plain = json.loads(shown("json"))
    assert {r["code"]: r["children"] for r in plain["regions"]}[SMALL] == 4 and "<5" not in shown("table")
    found = json.loads(shown("json", "--min-cell", "5"))
    small = next(r for r in found["regions"] if r["code"] == SMALL)
    assert small["suppressed"] is True and small["children"] is None and small["paired"] is None
    assert set(small["children_by_category"].values()) == {None}
    others = [r for r in found["regions"] if r["code"] != SMALL]
    assert all(not r["suppressed"] and r["children"] >= 5 for r in others)
    # one county withheld: the totals would give it away by subtraction, so they are withheld too
    assert found["total"]["suppressed"] is True and found["total"]["children"] is None
    table = shown("table", "--min-cell", "5").splitlines()
    assert "<5" in next(line for line in table if SMALL in line)
    assert "16" in next(line for line in table if "430621000000" in line)
    rows = {line.split(",")[0]: line.split(",") for line in shown("csv", "--min-cell", "5").splitlines()}
    assert rows[SMALL][2:5] == ["<5"] * 3 and rows["430621000000"][2] == "16"
    assert json.loads(shown("json", "--min-cell", "4"))["total"]["children"] == 28  # 4 is not below 4


def test_federation_reports_as_workbooks_hold_the_json_figures(demo, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    assert run("federation", "report", "duties", str(demo), "--format", "xlsx").exit_code == 2  # no --output
    book = tmp_path / "duties.xlsx"
    result = run("federation", "report", "duties", str(demo), "--as-of", AS_OF, "--format", "xlsx", "--output", str(book))
    assert result.exit_code == 0, result.stderr
    found = federation("duties", demo, "--as-of", AS_OF).json()
    sheets = openpyxl.load_workbook(book).worksheets
    assert len(sheets) == 3  # by duty, by region, the volunteers most overdue
    rows = list(sheets[1].iter_rows(min_row=3, values_only=True))
    by_region = {row[0]: row for row in rows}
    for r in found["regions"]:
        assert list(by_region[r["code"]][2:]) == [r[k] for k in ("met", "due", "overdue", "not_applicable",
                                                                 "completion", "pairings", "pairings_overdue")]
    assert rows[-1][2:4] == (found["total"]["met"], found["total"]["due"])

"""``aimama report coverage``: its figures on the demo records against figures worked out here
from the YAML files themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import yaml
from conftest import AS_OF, git, run


def _load(root: Path, folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "records" / folder).glob("*.yaml"))]


def _active(pairing: dict, day: str) -> bool:
    return str(pairing["started_on"]) <= day and (not pairing.get("ended_on") or str(pairing["ended_on"]) > day)


def _priority(child: dict) -> bool:
    cats = set(child["categories"])
    return bool(cats & {"scattered_orphan", "unsupported"}) or (
        "left_behind" in cats and (child.get("guardianship") == "inadequate" or child.get("risk_level") in ("red", "orange")))


def expected(root: Path, day: str = AS_OF) -> dict[str, Counter]:
    """Per county (6 digits): children, paired, priority, priority paired, active volunteers."""
    paired = {p["child"] for p in _load(root, "pairings") if _active(p, day)}
    counties: dict[str, Counter] = {}
    for child in _load(root, "children"):
        if child["status"] != "active":
            continue
        figures = counties.setdefault(str(child["village"])[:6], Counter())
        figures["children"] += 1
        figures["paired"] += child["id"] in paired
        figures["priority"] += _priority(child)
        figures["priority_paired"] += _priority(child) and child["id"] in paired
    for volunteer in _load(root, "volunteers"):
        figures = counties.setdefault(str(volunteer["village"])[:6], Counter())
        figures["volunteers"] += 1
        figures["volunteers_active"] += volunteer["status"] == "active"
    return counties


def report(root: Path, *args) -> dict:
    result = run("--root", str(root), "report", "coverage", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def _by_county(data: dict) -> dict[str, dict]:
    return {r["code"][:6]: r for r in data["regions"]}


KEYS = ("children", "paired", "priority", "priority_paired", "volunteers", "volunteers_active")


def test_figures_per_county_and_totals(demo):
    data = report(demo, "--as-of", AS_OF)
    want = expected(demo)
    assert data["as_of"] == AS_OF and data["level"] == "county"
    got = _by_county(data)
    assert set(got) == set(want)
    for county, figures in want.items():
        assert {k: got[county][k] for k in KEYS} == {k: figures[k] for k in KEYS}, county
    total = data["total"]
    assert {k: total[k] for k in KEYS} == {k: sum(f[k] for f in want.values()) for k in KEYS}
    assert total["coverage"] == round(100 * total["paired"] / total["children"], 1)
    assert sum(r["children"] for r in data["regions"]) == total["children"]
    assert got["430621"]["name"] == "岳阳县"


def test_categories_kinds_and_pledges(demo):
    data = report(demo, "--as-of", AS_OF)
    children = [c for c in _load(demo, "children") if c["status"] == "active"]
    assert data["total"]["children_by_category"] == {
        **{k: 0 for k in data["total"]["children_by_category"]},
        **Counter(cat for c in children for cat in c["categories"])}
    active = [v for v in _load(demo, "volunteers") if v["status"] == "active"]
    assert {k: n for k, n in data["total"]["volunteers_by_kind"].items() if n} == Counter(v["kind"] for v in active)
    assert data["total"]["volunteers_vetted"] == sum(v["vetting"]["status"] == "approved" for v in active)
    pledged = {p["volunteer"] for p in _load_pledges(demo) if p["year"] == int(AS_OF[:4])}
    assert data["total"]["volunteers_pledged"] == sum(v["id"] in pledged for v in active)


def _load_pledges(root: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "records" / "pledges").rglob("*.yaml")]


def test_worst_coverage_first(demo):
    coverages = [r["coverage"] for r in report(demo, "--as-of", AS_OF)["regions"] if r["coverage"] is not None]
    assert coverages == sorted(coverages)


def test_as_of_before_a_pairing_started(demo):
    pairings = _load(demo, "pairings")
    once = Counter(p["child"] for p in pairings)  # a child's only pairing: she was unpaired before
    last = max(str(p["started_on"]) for p in pairings if once[p["child"]] == 1 and _active(p, AS_OF))
    before = (dt.date.fromisoformat(last) - dt.timedelta(days=1)).isoformat()
    earlier, now = report(demo, "--as-of", before)["total"], report(demo, "--as-of", last)["total"]
    assert earlier["paired"] == sum(f["paired"] for f in expected(demo, before).values())
    assert now["paired"] == sum(f["paired"] for f in expected(demo, last).values())
    assert earlier["paired"] != now["paired"]


def test_region_and_levels(demo):
    townships = report(demo, "--as-of", AS_OF, "--region", "430621", "--level", "township")
    assert [r["code"] for r in townships["regions"]] == ["430621101000"]
    assert townships["total"]["children"] == expected(demo)["430621"]["children"]
    villages = report(demo, "--as-of", AS_OF, "--region", "430621000000", "--level", "village")
    assert all(len(r["code"]) == 12 and r["code"].startswith("430621101") for r in villages["regions"])
    assert villages["total"]["children"] == townships["total"]["children"]


def test_unknown_region_exits_2(demo):
    for region in ("999999", "43062110120X"):
        result = run("--root", str(demo), "report", "coverage", "--as-of", AS_OF, "--region", region)
        assert result.exit_code == 2 and region in result.stderr


def test_child_whose_volunteers_live_in_another_county(demo):
    """N+1 gap: the volunteer's village decides, not the pairing's role."""
    volunteers = {v["id"]: v for v in _load(demo, "volunteers")}
    pairings = [p for p in _load(demo, "pairings") if _active(p, AS_OF)]
    per_child = Counter(p["child"] for p in pairings)
    pairing = next(p for p in pairings if per_child[p["child"]] == 1 and p["child"].startswith("C430626"))
    stranger = next(v for v in volunteers if v.startswith("V430681"))
    path = demo / "records" / "pairings" / f"{pairing['id']}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(pairing["volunteer"], stranger), encoding="utf-8")
    git(demo, "commit", "-qam", "a volunteer from elsewhere")
    got = _by_county(report(demo, "--as-of", AS_OF))
    assert got["430626"]["no_local_volunteer"] == 1
    assert got["430621"]["no_local_volunteer"] == 0


def test_csv_in_chinese_and_table(demo):
    result = run("--root", str(demo), "--lang", "zh", "report", "coverage", "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][:3] == ["区划代码", "地区", "在册儿童"] and "留守儿童" in rows[0]
    assert rows[-1][1] == "合计" and int(rows[-1][2]) == sum(f["children"] for f in expected(demo).values())
    english = run("--root", str(demo), "--lang", "en", "report", "coverage", "--as-of", AS_OF, "--format", "csv")
    assert english.output.splitlines()[0].startswith("code,name,children,category.left_behind")
    table = run("--root", str(demo), "--lang", "en", "report", "coverage", "--as-of", AS_OF)
    assert table.exit_code == 0 and "Total" in table.output.splitlines()[-1]


def test_xlsx(demo, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "coverage.xlsx"
    result = run("--root", str(demo), "report", "coverage", "--as-of", AS_OF, "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    totals = report(demo, "--as-of", AS_OF)["total"]
    assert rows[-1][2] == totals["children"] and len(rows) == 2 + 3 + 1  # title, header, 3 counties, totals
    missing = run("--root", str(demo), "report", "coverage", "--as-of", AS_OF, "--format", "xlsx")
    assert missing.exit_code == 2

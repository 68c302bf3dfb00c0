"""``aimama federation report html``: the leaders' page across counties holds the federation
reports' figures, ranks the regions, draws the trend from earlier exports, lists what is missing,
withholds small counts, and never names a child (issue 22)."""

from __future__ import annotations

import json

import pytest
from conftest import AS_OF, run
from test_report_html import _parse, _shown, _value

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

EARLIER = "2026-06-30"
SMALL = "430681000000"  # the demo's county with 4 children


@pytest.fixture
def exports(demo, tmp_path):
    """The demo exported on two days, as a county sends its facts up twice a year."""
    folder = tmp_path / "facts"
    for day in (EARLIER, AS_OF):
        result = run("--root", str(demo), "export", "facts", "--output", str(folder / day), "--as-of", day)
        assert result.exit_code == 0, result.stderr
    return folder


def page(out, *args):
    result = run("federation", "report", "html", str(out), *map(str, args))
    assert result.exit_code == 0, result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    parsed = _parse(html)
    return html, parsed, json.loads(parsed.embedded)


def report(kind, *args):
    result = run("federation", "report", kind, *map(str, args), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_the_page_holds_the_federation_reports_figures(exports, tmp_path):
    html, parsed, data = page(tmp_path / "city", exports, "--level", "county", "--as-of", AS_OF)
    for kind in ("coverage", "duties", "volunteers"):
        alone = report(kind, exports, "--level", "county", "--as-of", AS_OF)
        assert {k: alone[k] for k in data[kind]} == data[kind], kind
    figures = {k: v for k, v in parsed.keys.items() if k != "as_of"}
    assert len(figures) >= 10
    for key, text in figures.items():
        assert text == _shown(_value(data, key)), key
    ranking = [row for row in parsed.tables["ranking.ranking"] if row]  # the header row has no cells
    coverages = [float(row["coverage"]) for row in ranking]
    assert coverages == sorted(coverages, reverse=True)  # best first, as a 通报 ranks them
    assert [row["rank"] for row in ranking] == ["1", "2", "3"]
    by_code = {r["code"]: r for r in data["coverage"]["regions"]}
    assert all(row["children"] == str(by_code[row["code"]]["children"]) for row in ranking)
    assert html.count('<svg class="chart"') == 4  # map, bars, trend, duties


def test_the_trend_comes_from_the_exports_of_earlier_days(exports, tmp_path):
    _html, _parsed, data = page(tmp_path / "city", exports, "--as-of", AS_OF)
    assert [p["day"] for p in data["trend"]] == [EARLIER, AS_OF]
    for point in data["trend"]:
        then = report("coverage", exports / point["day"], "--level", "province")
        assert (point["children"], point["paired"]) == (then["total"]["children"], then["total"]["paired"])
    # the page summed the latest export of each county, and said which it set aside
    assert data["selection"]["set_aside"] and all(m["as_of"] == EARLIER for m in data["selection"]["set_aside"])


def test_a_county_missing_is_named_on_the_page(exports, tmp_path):
    html, _parsed, data = page(tmp_path / "city", exports, "--as-of", AS_OF, "--expect", "430624")
    assert data["selection"]["missing"] == ["430624"]
    assert "430624" in html.split('<script type="application/json"')[0]


def test_min_cell_withholds_the_small_county_on_the_page(exports, tmp_path):
    html, parsed, data = page(tmp_path / "city", exports, "--as-of", AS_OF, "--min-cell", "5")
    small = next(r for r in data["coverage"]["regions"] if r["code"] == SMALL)
    assert small["suppressed"] and small["children"] is None
    row = next(r for r in parsed.tables["ranking.ranking"] if r.get("code") == SMALL)
    assert row["rank"] == "—" and row["children"] == "<5" and row["coverage"] == "<5"
    assert data["coverage"]["total"]["children"] is None  # it would give the county away
    assert all(p["children"] is not None for p in data["trend"])  # the county's 28 children are not small


def test_the_page_names_no_child_and_no_volunteer(exports, demo, tmp_path):
    from conftest import demo_plain

    html, _parsed, _data = page(tmp_path / "city", exports, "--as-of", AS_OF)
    names = [demo_plain(demo, str(p.relative_to(demo)))["name"] for p in (demo / "records" / "children").rglob("*.yaml")]
    assert len(names) > 10 and not [n for n in names if n in html]


def test_the_page_is_never_written_into_the_exports(exports, tmp_path):
    result = run("federation", "report", "html", str(exports), str(tmp_path / "elsewhere"))
    assert result.exit_code == 2 and "DIR" in result.stderr
    assert not list(exports.rglob("index.html"))
    assert run("federation", "report", "html", str(tmp_path / "out"), str(tmp_path / "nothing")).exit_code == 2
    assert not (tmp_path / "out" / "index.html").exists()

"""``aimama report html``: the dashboard holds the figures of the JSON reports — in the page's
own embedded data, and on the page as headless Chromium renders it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import AS_OF, run

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _reports(root) -> dict:
    found = {}
    for name in ("coverage", "duties", "volunteers"):
        result = run("--root", str(root), "report", name, "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 0, result.stderr
        found[name] = result.json()
    return found


def _dashboard(root, tmp_path):
    out = tmp_path / "dashboard"
    result = run("--root", str(root), "report", "html", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return out / "index.html"


class Keys(HTMLParser):
    """The text of every element with a data-key, and the cells of every table by data-sheet."""

    def __init__(self):
        super().__init__()
        self.keys, self.tables, self._key, self._sheet, self._row, self._cell = {}, {}, None, None, None, None
        self.embedded, self._script = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-key" in attrs:
            self._key = attrs["data-key"]
            self.keys[self._key] = ""
        if tag == "table":
            self._sheet = attrs.get("data-sheet")
            self.tables[self._sheet] = []
        elif tag == "tr" and self._sheet:
            self._row = {}
            self.tables[self._sheet].append(self._row)
        elif tag == "td" and self._row is not None:
            self._cell = attrs.get("data-col")
            self._row[self._cell] = ""
            if "data-id" in attrs:  # a name shown, its record's id in the tooltip
                self._row[self._cell + "@id"] = attrs["data-id"]
        self._script = tag == "script" and attrs.get("id") == "aimama-data"

    def handle_endtag(self, tag):
        if tag == "span":
            self._key = None
        elif tag == "td":
            self._cell = None
        elif tag == "table":
            self._sheet = self._row = None

    def handle_data(self, data):
        if self._key:
            self.keys[self._key] += data
        if self._cell and self._row is not None:
            self._row[self._cell] += data
        if self._script:
            self.embedded += data


def _parse(html: str) -> Keys:
    keys = Keys()
    keys.feed(html)
    return keys


def _value(reports: dict, key: str):
    name, *path = key.split(".")
    value = reports[name]
    for part in path:
        value = value[part]
    return value


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _assert_matches(page: Keys, reports: dict) -> None:
    figures = {k: v for k, v in page.keys.items() if k != "as_of"}
    assert len(figures) >= 10
    for key, text in figures.items():
        assert text == _shown(_value(reports, key)), key
    assert page.keys["as_of"] == AS_OF
    regions = {r["code"]: r for r in reports["coverage"]["regions"]}
    rows = [r for r in page.tables["coverage.county"] if r.get("code") in regions]
    assert len(rows) == len(regions) > 0
    for row in rows:
        assert row["paired"] == _shown(regions[row["code"]]["paired"])
        assert row["coverage"] == _shown(regions[row["code"]]["coverage"])
    duties = {(d["programme"], d["duty"]): d for d in reports["duties"]["duties"]}
    rows = [r for r in page.tables["duties.duties"] if (r.get("programme@id"), r.get("label@id")) in duties]
    assert len(rows) == len(duties) > 0
    for row in rows:
        duty = duties[row["programme@id"], row["label@id"]]
        assert row["completion"] == _shown(duty["completion"]) and row["overdue"] == str(duty["overdue"])
        # issue 21: a leader reads the programme's and the duty's names; the ids stay in the tooltip
        assert row["label"] == duty["label"] and "duty" not in row
        assert row["programme"] != row["programme@id"] and "爱心妈妈" in row["programme"]


def test_dashboard_holds_the_json_reports(demo, tmp_path):
    page = _dashboard(demo, tmp_path)
    html = page.read_text("utf-8")
    assert "<script src" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "爱心妈妈结对关爱督导看板" in html and html.count("<svg") == 3
    parsed = _parse(html)
    reports = _reports(demo)
    embedded = json.loads(parsed.embedded)
    for name in ("coverage", "duties", "volunteers"):
        assert embedded[name] == {k: v for k, v in reports[name].items() if k != "records_at"}
    assert [m["month"] for m in embedded["trend"]][-1] == AS_OF[:7]  # months before the history: none
    assert embedded["trend"][-1]["paired"] == reports["coverage"]["total"]["paired"]
    _assert_matches(parsed, reports)


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def test_dashboard_rendered_in_headless_chromium(demo, tmp_path):
    browser = _browser()
    if browser is None:
        if os.environ.get("AIMAMA_REQUIRE_BROWSER"):
            pytest.fail("no Chromium found, and AIMAMA_REQUIRE_BROWSER is set (CI installs it)")
        pytest.skip("no Chromium on this machine (.ci/run installs it)")
    page = _dashboard(demo, tmp_path)
    dom = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = _parse(dom.stdout)
    assert "爱心妈妈结对关爱督导看板" in dom.stdout
    _assert_matches(rendered, _reports(demo))


def test_the_trend_begins_with_the_first_commit_that_changed_the_records(demo, tmp_path):
    """A repository whose history starts with commits outside the records (a README in
    January 2025), adds the records in September 2026, changes them in October, then only the
    README again: the dashboard's months begin in September 2026, each from its own commit."""
    root = tmp_path / "county"
    root.mkdir()

    def commit(day: str, message: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}
        for args in (("add", "-A"), ("commit", "-qm", message)):
            subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "README.md").write_text("县妇联爱心妈妈记录\n", "utf-8")
    commit("2025-01-15", "readme")
    for name in ("aimama.yaml", "keys.yaml", "records"):
        if (demo / name).is_dir():
            shutil.copytree(demo / name, root / name)
        elif (demo / name).exists():
            shutil.copy2(demo / name, root / name)
    commit("2026-09-10", "the records")
    pairing = sorted((root / "records" / "pairings").glob("*.yaml"))[0]
    pairing.write_text(pairing.read_text("utf-8") + "ended_on: '2026-10-05'\nend_reason: moved_away\n", "utf-8")
    commit("2026-10-05", "a pairing ended")
    (root / "README.md").write_text("县妇联爱心妈妈记录（2026）\n", "utf-8")
    commit("2026-10-20", "readme again")
    result = run("--root", str(root), "report", "html", str(tmp_path / "page"), "--as-of", AS_OF, "--months", "12")
    assert result.exit_code == 0, result.stderr
    trend = json.loads(_parse((tmp_path / "page" / "index.html").read_text("utf-8")).embedded)["trend"]
    assert [m["month"] for m in trend] == ["2026-09", "2026-10", "2026-11"]
    records = subprocess.run(["git", "log", "--format=%H", "--grep", "the records"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
    assert trend[0]["commit"] == records and trend[0]["children"] > 0  # September: as first committed

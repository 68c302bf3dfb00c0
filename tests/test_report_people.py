"""``aimama report duties`` and ``aimama report volunteers`` on the demo records: the duties
against `duty check`'s own verdicts added up here, the volunteers against the YAML files."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from conftest import AS_OF, run


def _json(root, *args) -> dict:
    result = run("--root", str(root), "report", *args, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def _yaml(root, folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((root / "records" / folder).glob("*.yaml"))]


# --- duties ----------------------------------------------------------------------------------

def test_duty_report_adds_up_duty_check(demo):
    checked = run("--root", str(demo), "duty", "check", "--as-of", AS_OF, "--format", "json").json()
    villages = {c["id"]: str(c["village"]) for c in _yaml(demo, "children")}
    by_duty, by_county, overdue = Counter(), Counter(), Counter()
    for p in checked["pairings"]:
        for d in p["duties"]:
            by_duty[p["programme"], d["id"], d["status"]] += 1
            by_county[villages[p["child"]][:6], d["status"]] += 1
            overdue[p["volunteer"]] += d["status"] == "overdue"
    report = _json(demo, "duties", "--top", "3")
    assert report["year"] == 2026
    for row in report["duties"]:
        for status in ("met", "due", "overdue", "not_applicable"):
            assert row[status] == by_duty[row["programme"], row["duty"], status], (row, status)
    for row in report["regions"]:
        for status in ("met", "due", "overdue", "not_applicable"):
            assert row[status] == by_county[row["code"][:6], status], (row, status)
    total = report["total"]
    assert total["overdue"] == sum(n for (_p, _d, s), n in by_duty.items() if s == "overdue") > 0
    assert total["completion"] == round(100 * total["met"] / (total["met"] + total["overdue"]), 1)
    # lowest completion first; the most overdue volunteers, most first, ties by id
    rates = [r["completion"] for r in report["duties"] if r["completion"] is not None]
    assert rates == sorted(rates)
    worst = sorted((v for v in overdue if overdue[v]), key=lambda v: (-overdue[v], v))[:3]
    assert [v["volunteer"] for v in report["volunteers_most_overdue"]] == worst
    assert [v["overdue"] for v in report["volunteers_most_overdue"]] == [overdue[v] for v in worst]


def test_duty_report_for_one_region_and_as_a_table(demo):
    county = _json(demo, "duties", "--region", "430626")
    assert [r["code"] for r in county["regions"]] == ["430626000000"]
    whole = {r["code"]: r for r in _json(demo, "duties")["regions"]}
    assert county["total"]["overdue"] == whole["430626000000"]["overdue"]
    table = run("--root", str(demo), "--lang", "zh", "report", "duties", "--as-of", AS_OF)
    assert table.exit_code == 0
    assert "2026 年职责完成情况" in table.output and "逾期最多" in table.output and "平江县" in table.output


def test_duty_report_table_names_programmes_and_duties_where_csv_keeps_codes(demo):
    """A coordinator reads the programme's name and what the duty asks, not ids such as
    ``yueyang-village`` and ``regular_visit``; a script's CSV keeps the codes."""
    report = _json(demo, "duties")
    names = {p["id"]: p["name"] for p in _yaml(demo, "programmes")}
    table = run("--root", str(demo), "--lang", "zh", "report", "duties", "--as-of", AS_OF).output
    lines = table.split("\n\n")[0].splitlines()
    for row in report["duties"]:
        assert any(line.startswith(names[row["programme"]]) and row["label"] in line for line in lines)
        assert row["programme"] not in table and f" {row['duty']} " not in table
    sheet = run("--root", str(demo), "report", "duties", "--as-of", AS_OF, "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert {(r["programme"], r["duty"]) for r in rows if r["duty"]} == \
        {(r["programme"], r["duty"]) for r in report["duties"]}


def test_duty_report_before_any_pairing_year_is_empty(demo):
    report = run("--root", str(demo), "report", "duties", "--year", "2019", "--as-of", AS_OF, "--format", "json").json()
    assert report["duties"] == [] and report["total"]["met"] == 0 and report["volunteers_most_overdue"] == []


# --- volunteers ------------------------------------------------------------------------------

def test_volunteer_report_counts_the_yaml(demo):
    volunteers = _yaml(demo, "volunteers")
    pledged = {p["volunteer"] for p in _yaml(demo, "pledges/2026")}
    hours: dict[str, Decimal] = {}
    for log in _yaml(demo, "activities/2026"):
        for e in log["entries"]:
            if e.get("contact") != "attempted" and e.get("hours"):
                hours[log["volunteer"]] = hours.get(log["volunteer"], Decimal(0)) + Decimal(str(e["hours"]))
    report = _json(demo, "volunteers")
    for row in report["regions"]:
        mine = [v for v in volunteers if str(v["village"]).startswith(row["code"][:6])]
        active = [v for v in mine if v["status"] == "active"]
        assert row["volunteers"] == len(mine) and row["active"] == len(active)
        assert row["vetting"] == {s: sum(v["vetting"]["status"] == s for v in mine)
                                  for s in ("pending", "approved", "rejected", "suspended")}
        assert row["pledged"] == sum(v["id"] in pledged for v in active)
        assert Decimal(str(row["hours"])) == sum((hours.get(v["id"], Decimal(0)) for v in mine), Decimal(0))
    total = report["total"]
    assert total["volunteers"] == len(volunteers) and total["vetting"]["pending"] >= 1
    assert Decimal(str(total["hours"])) == sum(hours.values(), Decimal(0)) > 0


def test_volunteer_report_follows_hours_edited_by_hand_exactly(demo):
    """The index adds up each log's hours as it reads the log: a hand edit of one entry's hours
    (1 -> 0.1, another -> 0.2) shows in the next report, added as decimals."""
    before = Decimal(str(_json(demo, "volunteers")["total"]["hours"]))
    log = next(path for path in sorted((demo / "records" / "activities" / "2026").glob("*.yaml"))
               if path.read_text("utf-8").count("hours: 1\n") >= 2)
    text = log.read_text("utf-8")
    log.write_text(text.replace("hours: 1\n", "hours: 0.1\n", 1).replace("hours: 1\n", "hours: 0.2\n", 1), "utf-8")
    after = _json(demo, "volunteers")["total"]["hours"]
    assert Decimal(str(after)) == before - 2 + Decimal("0.3")
    assert "0000" not in str(after)  # 0.1 + 0.2 is 0.3, not 0.30000000000000004


def test_volunteer_report_finds_checks_expiring_and_expired(demo):
    """Three years after the demo's checks, they lapse: 60 days before, expiring; after, expired."""
    checks = {v["id"]: min(c["checked_on"] for c in v["vetting"]["checks"])
              for v in _yaml(demo, "volunteers") if v["status"] == "active" and v["vetting"]["status"] == "approved"}
    first = min(checks.values())
    year, rest = first.split("-", 1)
    lapse = f"{int(year) + 3}-{rest}"  # 1,095 days later, give or take a leap day
    later = run("--root", str(demo), "report", "volunteers", "--as-of", lapse, "--format", "json").json()
    assert later["total"]["expired"] + later["total"]["expiring"] >= 1
    early = _json(demo, "volunteers")
    assert early["total"]["expired"] == 0


def test_volunteer_report_counts_lapses_day_by_day_as_worked_out_by_hand(demo):
    """A required check lapses 1,095 days after it was cleared (aimama.yaml) and is warned of
    60 days before (the default): on the days around the demo's lapses, one report after the
    other (the figures of any day kept, the lapses counted for each), the counts are those
    worked out from the YAML."""
    import datetime as dt
    required = {"criminal_record", "administrative_sanction", "administrative_penalty"}
    lapses = []
    for v in _yaml(demo, "volunteers"):
        if v["status"] == "active" and v["vetting"]["status"] == "approved":
            ends = [dt.date.fromisoformat(c["checked_on"]) + dt.timedelta(days=1095) for c in v["vetting"]["checks"]
                    if c["kind"] in required and c["result"] == "clear"]
            if ends:
                lapses.append(min(ends))
    first = min(lapses)
    for offset in (-61, -60, -1, 0, 1, 59, 60, 400):
        day = first + dt.timedelta(days=offset)
        report = run("--root", str(demo), "report", "volunteers", "--as-of", day.isoformat(), "--format", "json").json()
        expired = sum(end <= day for end in lapses)
        expiring = sum(end - dt.timedelta(days=60) <= day < end for end in lapses)
        assert (report["total"]["expired"], report["total"]["expiring"]) == (expired, expiring), day
    assert expired and (expired, expiring) != (0, 0)


def test_volunteer_report_csv_and_xlsx(demo, tmp_path):
    rows = list(csv.reader(io.StringIO(
        run("--root", str(demo), "report", "volunteers", "--as-of", AS_OF, "--format", "csv").output)))
    assert rows[0][:3] == ["code", "name", "volunteers"] and "vetting.pending" in rows[0]
    assert rows[-1][1] == "Total"
    out = tmp_path / "volunteers.xlsx"
    result = run("--root", str(demo), "report", "volunteers", "--as-of", AS_OF, "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet["C3"].value == _json(demo, "volunteers")["regions"][0]["volunteers"]


# --- as of a past day, from history ------------------------------------------------------------

def _commit_on(root, day: str, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    stamp = f"{day}T12:00:00+08:00"
    subprocess.run(["git", "commit", "-qm", message], cwd=root, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})


def test_reports_from_history_count_the_records_committed_then(demo):
    left_before = set(Path(tempfile.gettempdir()).glob("aimama-past-*"))
    shutil.rmtree(demo / ".git")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=demo, check=True)
    active = [c for c in _yaml(demo, "children") if c["status"] == "active"]
    later = {c["id"]: (demo / "records" / "children" / f"{c['id']}.yaml").read_text("utf-8") for c in active[:2]}
    for rid in later:
        (demo / "records" / "children" / f"{rid}.yaml").unlink()
    _commit_on(demo, "2025-01-10", "records brought in")
    for rid, text in later.items():
        (demo / "records" / "children" / f"{rid}.yaml").write_text(text, "utf-8")
    _commit_on(demo, "2025-09-01", "two children registered")

    def children(day: str, *history: str) -> tuple[int, dict | None]:
        result = run("--root", str(demo), "report", "coverage", "--as-of", day, *history, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return result.json()["total"]["children"], result.json()["records_at"]

    then, commit = children("2025-06-30", "--from-history")
    assert then == len(active) - 2 and commit["date"].startswith("2025-01-10")
    assert children("2025-06-30") == (len(active), None)  # the records as they are now
    assert children("2025-09-01", "--from-history") == (len(active), None)  # the newest commit: the work tree
    assert children("2024-03-01", "--from-history")[0] == len(active) - 2  # before history: its first records
    table = run("--root", str(demo), "report", "volunteers", "--as-of", "2025-06-30", "--from-history")
    assert table.exit_code == 0 and "Records as committed on 2025-01-10" in table.output.splitlines()[0]
    # unpacked in the clone's git folder: nothing left in the temporary directory, nothing to commit
    assert (demo / ".git" / "aimama" / "past" / "records" / "children").is_dir()
    assert set(Path(tempfile.gettempdir()).glob("aimama-past-*")) <= left_before
    assert subprocess.run(["git", "status", "--porcelain"], cwd=demo, capture_output=True, text=True).stdout == ""


def test_a_year_out_of_range_is_a_usage_error(demo):
    for report in ("duties", "volunteers"):
        result = run("--root", str(demo), "report", report, "--year", "99999", "--as-of", AS_OF)
        assert result.exit_code == 2 and "--year" in result.stderr, (report, result.stderr)

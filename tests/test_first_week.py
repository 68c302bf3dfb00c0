"""Issue 19: what a new coordinator trips over in her first week — CSVs that are not header
first, a trend from before the records began, messages that quote sensitive values in full,
[encrypted] where a key is at hand, a sub-field of an absent object, `init` without a region."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import AS_OF, run

REPORTS = {  # every report with a CSV: its command, and the header of each of its sheets
    "coverage": (["report", "coverage", "--as-of", AS_OF], {"county": "code"}),
    "duties": (["report", "duties", "--as-of", AS_OF],
               {"duties": "programme", "regions": "code", "volunteers": "volunteer"}),
    "volunteers": (["report", "volunteers", "--as-of", AS_OF], {"county": "code"}),
    "cases": (["report", "cases", "--as-of", AS_OF], {"cases": "team"}),
    "activities": (["report", "activities", "--year", "2026"], {"activities": "team", "not_reached": "id"}),
    "training": (["report", "training", "--year", "2026"], {"training": "team"}),
    "support": (["report", "support", "--year", "2026"], {"support": "team", "entries": "id"}),
}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_every_report_csv_starts_with_its_header(demo, report):
    """Spreadsheets and scripts read a CSV's first line as its header: no title above it, and
    a report of several sheets gives one of them a CSV (--sheet), each header first."""
    args, sheets = REPORTS[report]
    for i, (sheet, first) in enumerate(sheets.items()):
        chosen = [] if i == 0 else ["--sheet", sheet]
        result = run("--root", str(demo), *args, "--format", "csv", *chosen)
        assert result.exit_code == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.output)))
        assert rows[0][0] == first, (report, sheet, rows[:2])
        assert all(len(row) == len(rows[0]) for row in rows), (report, sheet)
    wrong = run("--root", str(demo), *args, "--format", "csv", "--sheet", "nonesuch")
    assert wrong.exit_code == 2 and ", ".join(sheets) in wrong.stderr


CHILD = "records/children/C430621-0000C001.yaml"


@pytest.mark.parametrize("edit, shown, hidden", [
    (("phone: '13900002001'", "phone: 13900002001"), "139****2001", "13900002001"),  # AM204
    (("phone: '13900002001'", "phone: '1390000200'"), "139**** ", "1390000200"),  # AM206
    (("id_number: '430621201503089920'", "id_number: 430621201503089920"), "4306**********9920",
     "430621201503089920"),  # AM204
])
def test_messages_mask_the_values_they_quote(repo, edit, shown, hidden):
    """Issue 19: AM204 printed the whole phone number ("13900003001 was read as a number")
    although the excerpt under it was masked; every message quotes a sensitive value masked."""
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    for fmt in ("text", "json", "github"):
        result = run("--root", str(repo), "check", "--format", fmt, "--as-of", AS_OF)
        assert result.exit_code == 1
        assert hidden not in result.output + result.stderr, fmt
        assert shown in result.output, fmt


def test_with_the_key_masked_values_read_as_masked_plaintext(demo, monkeypatch):
    """Issue 19: with the key, `child show` printed [encrypted] while `export roster` masked
    (4306**********9949), and the printed pledge form said 身份证号 [encrypted]."""
    child, pledge = "C430621-25AZ81EC", "S430621-0KPWDW3Q"
    commands = (["child", "show", child], ["child", "show", child, "--format", "json"],
                ["pledge", "print", pledge, "--format", "md"], ["history", child])
    for args in commands:
        result = run("--root", str(demo), *args)
        assert result.exit_code == 0, result.stderr
        shown = [line for line in result.output.splitlines() if "[encrypted]" in line]
        assert all(line.startswith("sealed_mac") for line in shown), (args, shown)  # the MAC: bookkeeping
    assert "4306**********9949" in run("--root", str(demo), *commands[0]).output
    assert "**********" in run("--root", str(demo), *commands[2]).output
    assert "4306**********9949" in run("--root", str(demo), *commands[3]).output
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")  # without the key: [encrypted], as before
    assert "[encrypted]" in run("--root", str(demo), *commands[0]).output


def test_init_needs_a_county_and_names_it_from_the_region_data(tmp_path):
    """Issue 19: `init` without --region made a repository for region 43 (a province) named
    after --name; the county is required, by code or name, and its name comes from the data."""
    missing = run("init", str(tmp_path / "none"))
    assert missing.exit_code == 2 and "--region" in missing.stderr
    assert not (tmp_path / "none").exists()
    for region in ("平江县", "430626", "430626000000"):
        root = tmp_path / region
        assert run("init", str(root), "--region", region).exit_code == 0
        assert "region: '430626'" in (root / "aimama.yaml").read_text(encoding="utf-8")
        regions = (root / "records" / "regions.yaml").read_text(encoding="utf-8")
        assert "{code: '430626000000', name: '平江县', level: county}" in regions
        assert "岳阳市" in regions and "湖南省" in regions
    unknown = run("init", str(tmp_path / "x"), "--region", "430199")
    assert unknown.exit_code == 2 and "--name" in unknown.stderr and not (tmp_path / "x").exists()
    named = run("init", str(tmp_path / "y"), "--region", "430199", "--name", "某某县")
    assert named.exit_code == 0
    assert "name: '某某县', level: county" in (tmp_path / "y/records/regions.yaml").read_text(encoding="utf-8")
    for bad in ("43", "4306211", "湖南省"):
        assert run("init", str(tmp_path / "z"), "--region", bad).exit_code == 2, bad


def test_a_new_repository_audits_clean_and_ignores_its_dashboard(tmp_path):
    """Issue 19: a new repository's `audit` exited 1 on its own first commit (unknown_author),
    and `report html dashboard` left dashboard/ to be committed."""
    from conftest import git

    root = tmp_path / "new"
    assert run("init", str(root), "--region", "430621").exit_code == 0
    audited = run("--root", str(root), "audit")
    assert audited.exit_code == 0, audited.output + audited.stderr
    assert run("--root", str(root), "report", "html", str(root / "dashboard"), "--as-of", AS_OF).exit_code == 0
    assert (root / "dashboard" / "index.html").is_file()
    assert git(root, "status", "--porcelain") == ""
    # a later commit by someone who is no coordinator is still found
    (root / "records" / "regions.yaml").write_text(
        (root / "records" / "regions.yaml").read_text(encoding="utf-8") + "  - {code: '430621101000', name: 青松镇, level: township}\n",
        encoding="utf-8")
    git(root, "commit", "-qam", "a township")
    assert run("--root", str(root), "audit").exit_code == 1


def test_a_sub_field_of_an_absent_object_says_what_else_to_set(repo):
    """Issue 19: `child edit ID --set school.grade=四年级` on a child without a school answered
    AM202 "missing required field 'name' in school"; it says, in one message, what else to set
    in the same command, and that command works."""
    from conftest import git

    child = "C430621-0000C001"  # no school
    alone = run("--root", str(repo), "child", "edit", child, "--set", "school.grade=四年级")
    assert alone.exit_code == 1
    assert "school.name" in alone.stderr and "--set school.grade=四年级 --set school.name=" in alone.stderr
    assert "AM202" not in alone.output + alone.stderr
    assert git(repo, "status", "--porcelain") == ""
    both = run("--root", str(repo), "child", "edit", child, "--set", "school.grade=四年级",
               "--set", "school.name=青松镇中心小学")
    assert both.exit_code == 0, both.stderr
    shown = run("--root", str(repo), "child", "show", child, "--format", "json").json()["record"]
    assert shown["school"] == {"grade": "四年级", "name": "青松镇中心小学"}


def test_the_monthly_trend_starts_where_the_records_history_begins(demo, monkeypatch, tmp_path):
    """Issue 19: the dashboard's trend was flat back to a year before the first commit, each
    month before it counted as the first commit's records."""
    import json

    from conftest import git

    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-06-15T12:00:00+08:00")
    git(demo, "commit", "-q", "--amend", "--no-edit", "--reset-author")  # the history begins in June
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-09-10T12:00:00+08:00")
    child = next((demo / "records" / "children").glob("*.yaml"))
    child.write_text(child.read_text(encoding="utf-8") + "# 九月\n", encoding="utf-8")
    git(demo, "commit", "-qam", "September")
    out = tmp_path / "dashboard"
    assert run("--root", str(demo), "report", "html", str(out), "--as-of", AS_OF).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    embedded = json.loads(html.split('<script type="application/json" id="aimama-data">', 1)[1].split("</script>", 1)[0])
    assert [m["month"] for m in embedded["trend"]] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                                                        "2026-11"]

"""Issue 19, wrong answers: each test drives the CLI to a case that used to give a wrong answer."""

from __future__ import annotations

import pytest
from conftest import git, run

PAIRING = "records/pairings/P430621-0000P001.yaml"
VOLUNTEER, CHILD = "V430621-0000V001", "C430621-0000C001"


def _commit(root, message="test records"):
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def test_no_contact_clock_runs_across_the_new_year(repo):
    # a pairing begun on 2 December with nobody in touch since: 49 days by 20 January
    path = repo / PAIRING
    path.write_text(path.read_text("utf-8").replace("'2024-04-10'", "'2025-12-02'"), "utf-8")
    _commit(repo)
    result = run("--root", str(repo), "duty", "remind", "--as-of", "2026-01-20", "--format", "json")
    assert result.exit_code == 0, result.output
    items = [i for v in result.json()["volunteers"] for i in v["items"] if i["what"] == "silent"]
    assert [(i["child"], i["days"], i["last_contact"]) for i in items] == [(CHILD, 49, None)]


def _short_checks(root, days=365):
    """Checks valid one year: the base volunteer's (2024-03-05) expired on 2025-03-05."""
    config = root / "aimama.yaml"
    config.write_text(config.read_text("utf-8").replace("check_valid_days: 1095", f"check_valid_days: {days}"),
                      "utf-8")
    _commit(root)


@pytest.mark.parametrize("many", [False, True], ids=["looked-up", "read-whole"])
def test_new_pairing_needs_checks_valid_on_its_start_day(repo, monkeypatch, many):
    from test_pairing import add_child

    from aimama_cli.store import queries

    if many:  # every volunteer read, the wanted ones kept, as for a province's plan
        monkeypatch.setattr(queries, "MANY_IDS", 1)
    _short_checks(repo)
    child = add_child(repo)
    aimama = ("--root", str(repo))
    refused = run(*aimama, "pair", "create", child, VOLUNTEER, "--on", "2026-09-10")
    assert refused.exit_code == 1
    assert "AM716" in refused.output + refused.stderr
    assert not list((repo / "records" / "pairings").glob("*.yaml"))[1:]  # only the base pairing
    suggested = run(*aimama, "pair", "suggest", child, "--as-of", "2026-09-10", "--format", "json").json()
    assert VOLUNTEER not in [c["volunteer"] for c in suggested["candidates"]]
    planned = run(*aimama, "pair", "plan", "--dry-run", "--on", "2026-09-10", "--format", "json").json()
    assert planned["proposals"] == []
    # the existing pairing, begun while her checks were valid, keeps the time-caused warning
    checked = run(*aimama, "check", "--as-of", "2026-09-10", "--format", "json").json()
    codes = {(p["code"], p["severity"]) for p in checked["problems"]}
    assert ("AM707", "warning") in codes and not any(code == "AM716" for code, _s in codes)
    # nor may she support a team (个人结对) before she is checked again
    alone = run(*aimama, "pair", "team", "create", "T430621-0000T001", "--by-volunteer", VOLUNTEER,
                "--on", "2026-09-10")
    assert " AM716 " in _refusal(alone, "AM716")
    # checked again: she may be paired
    vet = run(*aimama, "volunteer", "vet", VOLUNTEER, "--approve", "--on", "2026-09-01",
              "--check", "criminal_record=clear", "--check", "administrative_sanction=clear",
              "--check", "administrative_penalty=clear")
    assert vet.exit_code == 0, vet.output + vet.stderr
    assert run(*aimama, "pair", "create", child, VOLUNTEER, "--on", "2026-09-10").exit_code == 0


def _insurance(root, as_of, volunteer):
    result = run("--root", str(root), "duty", "check", "--as-of", as_of, "--volunteer", volunteer, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return [d for p in result.json()["pairings"] for d in p["duties"] if d["id"] == "insurance"]


def test_new_pairing_has_a_grace_period_before_insurance_is_owed(repo):
    from test_pairing import add_child, add_volunteer

    child, remote = add_child(repo), add_volunteer(repo, "机关", kind="remote")
    assert run("--root", str(repo), "pair", "create", child, remote, "--on", "2026-09-10").exit_code == 0
    [fresh] = _insurance(repo, "2026-09-10", remote)
    assert (fresh["status"], fresh["deadline"]) == ("due", "2026-10-09")  # 30 days (yueyang-agency)
    [later] = _insurance(repo, "2026-10-20", remote)
    assert later["status"] == "overdue" and later["gaps"] == [["2026-10-10", "2026-10-20"]]


def test_numbers_that_spreadsheets_stored_as_numbers_are_refused(demo, tmp_path):
    """An ID number in a numeric cell (Excel keeps 15 digits: 4.3062120121225E+17) is refused
    with its row and column, although these digits happen to have a valid check digit; so is a
    phone number stored as a number, and an ID number a CSV wrote in scientific notation."""
    import datetime as day

    from test_roster_import import child_row, commits, imported, write_xlsx

    xlsx = write_xlsx(tmp_path / "numbers.xlsx", [
        child_row(1, "甲一", "湖滨村", day.datetime(2012, 12, 24), c7=4.3062120121224992e17),
        child_row(2, "乙二", "桃源村", day.datetime(2016, 4, 2), c11=13900009001),
        child_row(3, "丙三", "桃源村", day.datetime(2016, 4, 3)),
    ])
    before = commits(demo)
    result = imported(demo, "children", str(xlsx))
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert any(line.startswith("row 3 (甲一)") and "身份证号码: a number" in line for line in lines), lines
    assert any(line.startswith("row 4 (乙二)") and "监护人联系电话: a number" in line for line in lines), lines
    assert not any(line.startswith("row 5") for line in lines)
    assert "430621201212249920" not in result.stderr and "13900009001" not in result.stderr
    csv = tmp_path / "numbers.csv"
    csv.write_text("儿童姓名,性别,出生日期,身份证号码,村（社区）,儿童类别,监护人姓名,与儿童关系,监护人联系电话\n"
                   "丁四,女,2012-12-24,4.30621E+17,湖滨村,留守儿童,王桂英,祖母,1.39E+10\n", "utf-8")
    result = imported(demo, "children", str(csv))
    assert result.exit_code == 1, result.output
    assert "row 2 (丁四)" in result.stderr and "身份证号码: a number" in result.stderr
    assert "监护人联系电话: a number" in result.stderr
    assert commits(demo) == before


def _rename(root, folder, old, new):
    """Give a record an id that sorts after any new one (ids are random: order must not matter)."""
    path = root / "records" / folder / f"{old}.yaml"
    text = path.read_text("utf-8").replace(old, new)
    path.unlink()
    (root / "records" / folder / f"{new}.yaml").write_text(text, "utf-8")
    _commit(root)


def _refusal(result, code):
    assert result.exit_code == 1, result.output
    [line] = [line for line in result.stderr.splitlines() if f" {code} " in line]
    return line


def test_a_refused_duplicate_names_the_existing_record(repo):
    from test_team_pairing import add_team

    existing = "V430621-ZZZZZZZZ"
    _rename(repo, "volunteers", VOLUNTEER, existing)
    line = _refusal(run("--root", str(repo), "volunteer", "add", "--name", "李秀", "--gender", "female",
                        "--birth-date", "1985-06-15", "--id-number", "430621198506159942",
                        "--phone", "13900006666", "--kind", "local", "--team", "T430621-0000T001",
                        "--village", "430621101201", "--on", "2026-09-01"), "AM306")
    assert not line.startswith(f"records/volunteers/{existing}.yaml") and existing in line, line
    agency = add_team(repo, "agency")
    team_create = ("--root", str(repo), "pair", "team", "create", "T430621-0000T001", "--by-team", agency,
                   "--on", "2026-09-01")
    assert run(*team_create).exit_code == 0
    [first] = [p.stem for p in (repo / "records" / "team_pairings").glob("*.yaml")]
    _rename(repo, "team_pairings", first, "G430621-ZZZZZZZZ")
    line = _refusal(run(*team_create), "AM715")
    assert not line.startswith("records/team_pairings/G430621-ZZZZZZZZ.yaml") and "G430621-ZZZZZZZZ" in line, line



def test_the_same_log_entry_twice_is_refused_unless_again(repo):
    log = repo / "records" / "activities" / "2026" / f"{VOLUNTEER}.yaml"
    add = ("--root", str(repo), "log", "add", VOLUNTEER, "--child", CHILD, "--kind", "phone_call",
           "--date", "2026-09-01", "--contact", "made", "--hours", "1", "--as-of", "2026-11-01")
    assert run(*add).exit_code == 0
    before = log.read_text("utf-8")
    line = _refusal(run(*add), "AM817")
    assert "2026-09-01" in line
    assert log.read_text("utf-8") == before
    # another kind, or another day, is another entry
    assert run(*add[:-2], "--as-of", "2026-11-01", "--kind", "wechat").exit_code == 0
    again = run(*add, "--again")
    assert again.exit_code == 0, again.output + again.stderr
    assert log.read_text("utf-8").count("2026-09-01") == 3
    checked = run("--root", str(repo), "check", "--as-of", "2026-11-01", "--format", "json").json()
    assert not [p for p in checked["problems"] if p["code"] == "AM817"]


def test_support_receipts_are_a_ledger_summed(repo):
    from test_support import last, support

    support(repo, "--kind", "funds", "--by-unit", "示例基金会", "--pledged", "2000", "--pledged-on", "2026-05-01")
    sid = last(repo)
    receive = ("--root", str(repo), "support", "receive", sid, "--as-of", "2026-11-01")
    for amount, day in (("600", "2026-05-10"), ("900", "2026-06-01"), ("300", "2026-07-01")):
        result = run(*receive, "--amount", amount, "--on", day, "--evidence", f"收据 {day}")
        assert result.exit_code == 0, result.output + result.stderr
    assert " AM881 " in _refusal(run(*receive, "--amount", "300", "--on", "2026-08-01"), "AM881")  # 2100 > 2000
    report = run("--root", str(repo), "report", "support", "--format", "json").json()
    [entry] = report["entries"]
    assert (entry["received"], entry["outstanding"]) == ("1800.00", "200.00")
    assert entry["receipts"] == [{"date": "2026-05-10", "amount": "600.00", "evidence": "收据 2026-05-10"},
                                 {"date": "2026-06-01", "amount": "900.00", "evidence": "收据 2026-06-01"},
                                 {"date": "2026-07-01", "amount": "300.00", "evidence": "收据 2026-07-01"}]


def test_a_support_record_of_the_old_shape_reads_as_its_first_receipt(repo):
    folder = repo / "records" / "support" / "2026"
    folder.mkdir(parents=True)
    (folder / "D430621-0000D001.yaml").write_text(
        "id: D430621-0000D001\nteam: T430621-0000T001\nby_unit: 甲\nkind: funds\npledged_amount: '900.00'\n"
        "pledged_on: '2026-03-01'\nreceived_amount: '600.00'\nreceived_on: '2026-03-20'\n", "utf-8")
    _commit(repo)
    checked = run("--root", str(repo), "check", "--as-of", "2026-11-01", "--format", "json").json()
    assert checked["ok"], checked["problems"]
    result = run("--root", str(repo), "support", "receive", "D430621-0000D001", "--amount", "300",
                 "--on", "2026-04-01", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output + result.stderr
    [entry] = run("--root", str(repo), "report", "support", "--format", "json").json()["entries"]
    assert (entry["received"], entry["outstanding"]) == ("900.00", "0.00")
    assert [(r["date"], r["amount"]) for r in entry["receipts"]] == [("2026-03-20", "600.00"), ("2026-04-01", "300.00")]

"""``aimama audit`` (who changed what, against the coordinators' roles) and ``aimama --as``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, run

CHILD = "C430621-0000C001"
VOLUNTEER = "V430621-0000V001"
CHILD_FILE = f"records/children/{CHILD}.yaml"
VOLUNTEER_FILE = f"records/volunteers/{VOLUNTEER}.yaml"
PAIRING_FILE = "records/pairings/P430621-0000P001.yaml"
COORDINATOR_FILE = "records/coordinators.yaml"

# the fixture's coordinator (tester: vetting and roster in 430621), a roster clerk of the same
# county, and a vetting coordinator of another county
COORDINATORS = """\
coordinators:
  - id: U430600-0000C001
    name: 测试员
    email: tester@example.org
    roles: [vetting, roster]
    regions: ['430621']
  - id: U430600-0000C002
    name: 赵敏
    email: zhaomin@example.org
    roles: [roster]
    regions: ['430621']
  - id: U430600-0000C003
    name: 钱芳
    email: QianFang@example.org
    roles: [vetting, pairing]
    regions: ['430626']
"""
TESTER = "测试员 <tester@example.org>"
ZHAOMIN = "赵敏 <zhaomin@example.org>"
QIANFANG = "钱芳 <qianfang@example.org>"  # her e-mail in another case than coordinators.yaml
STRANGER = "路人 <stranger@example.org>"


@pytest.fixture
def team(repo: Path) -> Path:
    """The ``repo`` fixture with three coordinators, committed by the fixture's coordinator."""
    (repo / COORDINATOR_FILE).write_text(COORDINATORS, encoding="utf-8")
    commit(repo, TESTER, COORDINATOR_FILE)
    return repo


def commit(root: Path, author: str, *paths: str, message: str = "edit") -> str:
    """Commit ``paths`` (added, changed or deleted) by ``author``; its short sha.  ``--author``,
    because the test environment's GIT_AUTHOR_* would win over ``-c user.email``."""
    git(root, "add", "-A", "--", *paths)
    git(root, "commit", "-qm", message, f"--author={author}")
    return git(root, "rev-parse", "--short", "HEAD").strip()


def replace(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def audit(root: Path, *args: str):
    result = run("--root", str(root), "audit", "--format", "json", *args)
    return result.exit_code, result.json()


def kinds(report: dict) -> list[tuple[str, str | None]]:
    return [(f["kind"], f["record"]) for f in report["findings"]]


def test_a_clean_history_exits_0(team):
    # a roster clerk may change a volunteer's other fields, and add vetting evidence
    replace(team, VOLUNTEER_FILE, "phone: '13900002000'", "phone: '13900002999'")
    replace(team, VOLUNTEER_FILE, "    - {kind: administrative_penalty",
            "    - {kind: training, result: clear, checked_on: '2025-01-05'}\n"
            "    - {kind: administrative_penalty")
    commit(team, ZHAOMIN, VOLUNTEER_FILE)
    code, report = audit(team)
    assert code == 0, report
    assert report["since"] is None and report["findings"] == []
    assert report["commits"] == 4  # init, base records, coordinators, the clerk's edit
    table = run("--root", str(team), "audit")
    assert table.exit_code == 0 and "4 commit(s) touching records audited: nothing found" in table.output


def test_a_vetting_decision_without_the_role_or_outside_her_regions(team):
    replace(team, VOLUNTEER_FILE, "status: approved", "status: suspended")
    by_clerk = commit(team, ZHAOMIN, VOLUNTEER_FILE)
    replace(team, VOLUNTEER_FILE, "status: suspended", "status: approved")
    by_other_county = commit(team, QIANFANG, VOLUNTEER_FILE)
    replace(team, VOLUNTEER_FILE, "  decided_on: '2024-03-10'", "  decided_on: '2024-03-11'")
    commit(team, TESTER, VOLUNTEER_FILE)  # her own county, with the vetting role: allowed

    code, report = audit(team)
    assert code == 1
    assert [(f["kind"], f["commit"], f["email"]) for f in report["findings"]] == [
        ("vetting_not_allowed", by_clerk, "zhaomin@example.org"),
        ("vetting_not_allowed", by_other_county, "qianfang@example.org")]
    clerk, other = report["findings"]
    assert clerk["path"] == VOLUNTEER_FILE and clerk["record"] == VOLUNTEER
    assert clerk["author"] == "赵敏" and clerk["date"][:4].isdigit()
    assert "approved → suspended" in clerk["message"] and "does not have the vetting role" in clerk["message"]
    assert "(430626) do not cover village 430621101201" in other["message"]
    assert set(report) == {"since", "commits", "signatures", "findings"}
    assert report["signatures"] is None  # aimama.yaml does not require signed commits
    assert set(clerk) == {"kind", "commit", "author", "email", "date", "path", "record", "message"}


def test_a_roster_confirmation_without_the_roster_role(team):
    replace(team, COORDINATOR_FILE, "roles: [vetting, roster]", "roles: [vetting]")
    commit(team, TESTER, COORDINATOR_FILE)
    replace(team, CHILD_FILE, "confirmed_on: '2024-03-20'", "confirmed_on: '2024-03-21'")
    sha = commit(team, TESTER, CHILD_FILE)
    code, report = audit(team)
    assert code == 1
    # today's roles judge the whole history: the base records' confirmation is found as well
    assert kinds(report) == [("roster_not_allowed", CHILD), ("roster_not_allowed", CHILD)]
    assert report["findings"][-1]["commit"] == sha
    assert "does not have the roster role" in report["findings"][-1]["message"]


def test_a_deleted_or_renamed_record_file(team):
    (team / CHILD_FILE).unlink()
    sha = commit(team, TESTER, CHILD_FILE, message="child removed")
    team_file = "records/teams/T430621-0000T001.yaml"
    git(team, "mv", team_file, "records/teams/T430621-0000T009.yaml")
    renamed = commit(team, TESTER, "records/teams", message="team renamed")
    code, report = audit(team)
    assert code == 1
    assert [(f["kind"], f["commit"], f["path"]) for f in report["findings"]] == [
        ("record_deleted", sha, CHILD_FILE), ("record_deleted", renamed, team_file)]
    assert "renamed to records/teams/T430621-0000T009.yaml" in report["findings"][1]["message"]
    table = run("--root", str(team), "audit")
    assert table.exit_code == 1
    rows = [line.split()[:2] for line in table.output.splitlines()]
    assert ["record_deleted", sha] in rows and ["record_deleted", renamed] in rows
    assert table.output.rstrip().endswith(f"offending commits: {sha} {renamed}")


def test_an_unknown_author(team):
    replace(team, CHILD_FILE, "needs: [emotional, study]", "needs: [emotional]")
    sha = commit(team, STRANGER, CHILD_FILE)
    code, report = audit(team)
    assert code == 1
    assert report["findings"] == [{
        "kind": "unknown_author", "commit": sha, "author": "路人", "email": "stranger@example.org",
        "date": report["findings"][0]["date"], "path": None, "record": None,
        "message": "stranger@example.org is not a coordinator in records/coordinators.yaml, "
                   "yet changed 1 record file(s)"}]


def test_a_closed_record_changed_but_reopening_it_is_allowed(team):
    closed = run("--root", str(team), "child", "close", CHILD, "--reason", "moved_away",
                 "--on", "2026-02-01")
    assert closed.exit_code == 0, closed.stderr  # the child closed, her pairing ended
    assert "ended_on" in (team / PAIRING_FILE).read_text(encoding="utf-8")
    (team / CHILD_FILE).write_text((team / CHILD_FILE).read_text(encoding="utf-8")
                                   + "notes: 已迁往外省\n", encoding="utf-8")
    (team / PAIRING_FILE).write_text((team / PAIRING_FILE).read_text(encoding="utf-8")
                                     + "notes: 结对已解除\n", encoding="utf-8")
    sha = commit(team, TESTER, CHILD_FILE, PAIRING_FILE)
    replace(team, CHILD_FILE, "status: closed", "status: active")
    commit(team, TESTER, CHILD_FILE, message="reopened")  # reopening: not a finding

    code, report = audit(team)
    assert code == 1
    assert [(f["kind"], f["commit"], f["path"]) for f in report["findings"]] == [
        ("closed_record_changed", sha, CHILD_FILE), ("closed_record_changed", sha, PAIRING_FILE)]
    assert report["findings"][0]["message"] == f"{CHILD}: changed while closed (status: closed): notes"
    assert "(ended_on: 2026-02-01)" in report["findings"][1]["message"]


def test_since_limits_the_range_and_a_bad_revision_exits_2(team):
    replace(team, CHILD_FILE, "needs: [emotional, study]", "needs: [emotional]")
    stranger = commit(team, STRANGER, CHILD_FILE)
    replace(team, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    commit(team, TESTER, CHILD_FILE)

    code, report = audit(team, "--since", "HEAD~1")
    assert (code, report["since"], report["commits"], report["findings"]) == (0, "HEAD~1", 1, [])
    code, report = audit(team, "--since", "HEAD~2")
    assert code == 1 and report["commits"] == 2
    assert [(f["kind"], f["commit"]) for f in report["findings"]] == [("unknown_author", stranger)]

    bad = run("--root", str(team), "audit", "--since", "no-such-branch")
    assert bad.exit_code == 2 and "no-such-branch" in bad.stderr


def test_as_makes_the_coordinator_the_author(team):
    result = run("--root", str(team), "--as", "U430600-0000C002", "child", "confirm", CHILD,
                 "--on", "2026-01-05")
    assert result.exit_code == 0, result.stderr
    assert git(team, "log", "-1", "--format=%an|%ae|%ce").strip() == \
        "赵敏|zhaomin@example.org|tester@example.org"
    # she is also the one who confirmed, and she has the roster role: nothing to audit
    assert "confirmed_by: U430600-0000C002" in (team / CHILD_FILE).read_text(encoding="utf-8")
    assert audit(team, "--since", "HEAD~1") == (0, {"since": "HEAD~1", "commits": 1, "signatures": None,
                                              "findings": []})
    # the next command is the tester's own again
    edited = run("--root", str(team), "child", "edit", CHILD, "--set", "risk_level=orange")
    assert edited.exit_code == 0, edited.stderr
    assert git(team, "log", "-1", "--format=%ae").strip() == "tester@example.org"


def test_as_an_unknown_coordinator_exits_2_and_writes_nothing(team):
    head = git(team, "rev-parse", "HEAD")
    before = (team / CHILD_FILE).read_text(encoding="utf-8")
    result = run("--root", str(team), "--as", "U430600-NOBODY00", "child", "edit", CHILD,
                 "--set", "risk_level=orange")
    assert result.exit_code == 2
    assert "U430600-NOBODY00" in result.stderr and "U430600-0000C002" in result.stderr
    assert git(team, "rev-parse", "HEAD") == head
    assert (team / CHILD_FILE).read_text(encoding="utf-8") == before


def test_a_change_outside_her_regions(team):
    replace(team, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    child = commit(team, QIANFANG, CHILD_FILE)  # 钱芳's county is 430626; the child's village 430621…
    team_file = "records/teams/T430621-0000T001.yaml"
    (team / team_file).write_text((team / team_file).read_text(encoding="utf-8") + "notes: 改名\n",
                                  encoding="utf-8")
    in_county = commit(team, QIANFANG, team_file)
    replace(team, CHILD_FILE, "risk_level: orange", "risk_level: yellow")
    commit(team, TESTER, CHILD_FILE)  # her own county: nothing to say
    code, report = audit(team)
    assert code == 1
    assert [(f["kind"], f["commit"], f["path"]) for f in report["findings"]] == [
        ("outside_region", child, CHILD_FILE), ("outside_region", in_county, team_file)]
    assert report["findings"][0]["message"] == (
        f"{CHILD}: changed by U430600-0000C003 (qianfang@example.org), whose regions (430626) "
        "do not cover 430621101201")
    assert report["findings"][1]["message"].endswith("do not cover 430621")


def test_a_decision_slipped_in_through_a_file_that_does_not_parse(team):
    # the roster clerk suspends a volunteer in a file she breaks, then repairs the file
    replace(team, VOLUNTEER_FILE, "status: approved", "status: suspended")
    replace(team, VOLUNTEER_FILE, "phone: '13900002000'", "phone: '13900002000")
    broken = commit(team, ZHAOMIN, VOLUNTEER_FILE)
    replace(team, VOLUNTEER_FILE, "phone: '13900002000", "phone: '13900002000'")
    repaired = commit(team, ZHAOMIN, VOLUNTEER_FILE)
    code, report = audit(team)
    assert code == 1
    assert [(f["kind"], f["commit"]) for f in report["findings"]] == [
        ("unreadable_record", broken), ("vetting_not_allowed", repaired)]
    assert "does not parse" in report["findings"][0]["message"]
    assert "approved → suspended" in report["findings"][1]["message"]

"""aimama diff: what a branch does to the records, in sections a reviewer reads instead of raw
YAML; sensitive values masked; a bad revision is a usage error."""

from __future__ import annotations

import json

from conftest import AS_OF, git, run
from test_pairing import add_child, add_volunteer

CHILD, VOLUNTEER, TEAM = "C430621-0000C001", "V430621-0000V001", "T430621-0000T001"
PAIRING = "P430621-0000P001"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def commit(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def test_plan_branch_lists_the_pairings_made_with_names(repo):
    children = {add_child(repo, name): name for name in ("孩子甲", "孩子乙")}
    volunteer = add_volunteer(repo, "志愿者丙", capacity=2)
    result = aimama(repo, "pair", "plan", "--region", "430621", "--on", AS_OF, "--branch", "plan-x")
    assert result.exit_code == 0, result.stderr

    markdown = aimama(repo, "diff", "main...plan-x", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.stderr
    lines = markdown.output.splitlines()
    assert lines[0].startswith("### Records changed in main...plan-x")
    assert "#### Pairings made (2)" in lines
    assert "| pairing | child | volunteer | role | started |" in lines
    rows = [line for line in lines if line.startswith("| P430621-")]
    assert len(rows) == 2
    for child, name in children.items():
        assert any(f"| {child} {name} | {volunteer} 志愿者丙 | local | {AS_OF} |" in r for r in rows)
    assert "Records added" not in markdown.output  # pairings have their own section

    data = aimama(repo, "diff", "main...plan-x", "--format", "json").json()
    assert {p["child_name"] for p in data["pairings_made"]} == set(children.values())
    assert all(not data[s] for s in ("added", "changed", "closed", "deleted", "unreadable"))


def feature_branch(repo):
    """A branch that adds a child, edits a volunteer's phone, closes the team, ends the pairing,
    logs an activity, deletes the pledge and adds a file that does not parse."""
    git(repo, "checkout", "-qb", "feature")
    child = add_child(repo, "新孩子", confirm=False)
    assert aimama(repo, "volunteer", "edit", VOLUNTEER, "--set", "phone=13900009999",
                  "--set", "capacity=3").exit_code == 0
    assert aimama(repo, "pair", "end", PAIRING, "--reason", "reassigned", "--on", AS_OF).exit_code == 0
    logged = aimama(repo, "log", "add", VOLUNTEER, "--kind", "phone_call", "--child", CHILD,
                    "--date", "2026-10-20", "--hours", "0.5", "--details", "电话联系")
    assert logged.exit_code == 0, logged.stderr
    team = repo / "records" / "teams" / f"{TEAM}.yaml"
    team.write_text(team.read_text(encoding="utf-8")
                    + "status: closed\nclosed: {on: '2026-10-30', reason: other}\n", encoding="utf-8")
    (repo / "records" / "pledges" / "2026" / "S430621-0000S001.yaml").unlink()
    (repo / "records" / "children" / "C430621-0000BAD1.yaml").write_text(
        "id: C430621-0000BAD1\nname: a: b\n", encoding="utf-8")
    commit(repo, "hand edits")
    return child


def test_each_change_shows_in_its_section(repo):
    child = feature_branch(repo)
    result = aimama(repo, "diff", "main..feature", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["base"] == git(repo, "rev-parse", "main").strip()
    assert data["head"] == git(repo, "rev-parse", "feature").strip()
    assert [(a["kind"], a["id"], a["name"]) for a in data["added"]] == [("child", child, "新孩子")]
    [changed] = data["changed"]
    assert changed["id"] == VOLUNTEER and changed["name"] == "李秀兰"
    assert {c["field"]: (c["old"], c["new"]) for c in changed["changes"]} == {
        "phone": ("139****2000", "139****9999"), "capacity": (2, 3)}
    [closed] = data["closed"]
    assert (closed["kind"], closed["id"], closed["on"], closed["reason"]) == ("team", TEAM, "2026-10-30", "other")
    [ended] = data["pairings_ended"]
    assert (ended["id"], ended["child_name"], ended["volunteer_name"], ended["on"], ended["reason"]) == \
        (PAIRING, "王小雨", "李秀兰", AS_OF, "reassigned")
    assert data["activity"] == [{"volunteer": VOLUNTEER, "name": "李秀兰", "year": 2026, "entries_added": 1,
                                 "entries_changed": 0, "entries_removed": 0, "pledges_added": 0,
                                 "pledges_changed": 0}]
    assert [(d["kind"], d["id"]) for d in data["deleted"]] == [("pledge", "S430621-0000S001")]
    [bad] = data["unreadable"]
    assert bad["path"] == "records/children/C430621-0000BAD1.yaml" and bad["code"] == "AM104" and bad["line"] == 2
    assert not data["pairings_made"]


def test_text_and_markdown_sections_and_masking(repo):
    feature_branch(repo)
    for fmt in ("text", "markdown", "json"):
        out = aimama(repo, "diff", "main", "--format", fmt).output  # main alone: main..HEAD
        assert "13900009999" not in out and "13900002000" not in out, fmt
        assert "电话联系" not in out  # the activity's details are sensitive, and never listed
    text = aimama(repo, "diff", "main..feature").output
    for heading in ("Records added (1)", "Records changed (1)", "Records closed (1)", "Pairings ended (1)",
                    "Activity logs and pledges (1)", "⚠ Records deleted (1)", "⚠ Files that do not parse (1)"):
        assert heading in text
    assert "records are closed, never deleted" in text
    markdown = aimama(repo, "diff", "main..feature", "--format", "markdown").output
    assert "| volunteer | V430621-0000V001 李秀兰 | phone | 139****2000 | 139****9999 |" in markdown
    assert "| records/children/C430621-0000BAD1.yaml:2 | head | AM104 YAML syntax error" in markdown
    chinese = aimama(repo, "--lang", "zh", "diff", "main..feature", "--format", "markdown").output
    assert "#### 关闭的记录 (1)" in chinese and "已撤销" in chinese  # team status label
    assert "调整结对" in chinese  # end reason label


def test_a_new_id_under_a_renamed_file_is_a_deleted_record_and_a_new_one(repo):
    git(repo, "checkout", "-qb", "rename")
    git(repo, "mv", f"records/children/{CHILD}.yaml", "records/children/C430621-0000C999.yaml")
    commit(repo, "rename")
    data = aimama(repo, "diff", "main..rename", "--format", "json").json()
    assert [d["id"] for d in data["deleted"]] == [CHILD]
    assert [a["path"] for a in data["added"]] == ["records/children/C430621-0000C999.yaml"]


def test_no_change_and_max_rows(repo):
    result = aimama(repo, "diff", "HEAD..HEAD")
    assert result.exit_code == 0 and "No record changed." in result.output
    for i in range(3):
        add_child(repo, f"孩子{i}", confirm=False)
    out = aimama(repo, "diff", "HEAD~3", "--max-rows", "2").output
    assert "Records added (3)" in out and "… and 1 more" in out


def test_bad_revision_is_a_usage_error(repo, tmp_path):
    for spec in ("nope..HEAD", "HEAD...nope", "nope", "--output=x"):
        result = aimama(repo, "diff", "--", spec) if spec.startswith("-") else aimama(repo, "diff", spec)
        assert result.exit_code == 2, spec
        assert "unknown git revision" in result.stderr, spec
    (tmp_path / "plain" / "records").mkdir(parents=True)
    assert aimama(tmp_path / "plain", "diff", "main").exit_code == 2


def test_closing_a_child_shows_it_closed_and_its_pairing_ended(repo):
    git(repo, "checkout", "-qb", "close")
    result = aimama(repo, "child", "close", CHILD, "--reason", "guardian_returned", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    data = aimama(repo, "diff", "main...close", "--format", "json").json()
    assert [(c["id"], c["status"], c["on"], c["reason"]) for c in data["closed"]] == \
        [(CHILD, "closed", AS_OF, "guardian_returned")]
    assert [(p["id"], p["reason"]) for p in data["pairings_ended"]] == [(PAIRING, "child_closed")]
    assert not data["changed"]


def test_two_dots_compare_with_the_merge_base_as_three_do(repo):
    """Issue 19: once main moves on, `diff main..feature` shows what the branch changed since it
    forked, not main's new records as deleted or its edits undone."""
    git(repo, "checkout", "-qb", "feature")
    mine = add_child(repo, "分支孩子", confirm=False)
    git(repo, "checkout", "-q", "main")
    theirs = add_child(repo, "主线孩子", confirm=False)
    assert aimama(repo, "volunteer", "edit", VOLUNTEER, "--set", "capacity=3").exit_code == 0
    for spec in ("main..feature", "main...feature"):
        data = aimama(repo, "diff", spec, "--format", "json").json()
        assert data["base"] == git(repo, "merge-base", "main", "feature").strip(), spec
        assert [a["id"] for a in data["added"]] == [mine], spec
        assert data["deleted"] == [] and data["changed"] == [], spec
        assert theirs not in json.dumps(data)
    git(repo, "checkout", "-q", "feature")
    assert aimama(repo, "diff", "main", "--format", "json").json()["added"][0]["id"] == mine


def test_every_kind_of_record_is_named_in_both_languages(repo):
    """Issue 19: newer kinds (training, team activity, case, support) were shown as raw catalog
    keys such as diff.kind.training."""
    git(repo, "checkout", "-qb", "feature")
    trained = aimama(repo, "training", "add", "--topic", "岗前培训", "--hours", "2", "--date", "2026-10-01",
                     "--trainer", "县妇联", "--team", TEAM, "--volunteer", VOLUNTEER, "--as-of", AS_OF)
    assert trained.exit_code == 0, trained.stderr
    for lang, word in (("en", "training"), ("zh", "培训")):
        text = aimama(repo, "--lang", lang, "diff", "main..feature").output
        assert "diff.kind" not in text
        assert any(line.split()[:1] == [word] for line in text.splitlines()), text

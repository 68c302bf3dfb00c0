"""``aimama history ID``: every commit that changed a record, field by field, from real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import git, run

CHILD = "C430621-0000C001"
CHILD_FILE = f"records/children/{CHILD}.yaml"
LI = ("李主任", "li@example.org")
ZHANG = ("张干事", "zhang@example.org")


def _as(monkeypatch, who: tuple[str, str], date: str) -> None:
    """Commits made from now on are authored by ``who`` on ``date``."""
    monkeypatch.setenv("GIT_AUTHOR_NAME", who[0])
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", who[1])
    monkeypatch.setenv("GIT_AUTHOR_DATE", date)


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _hand_commit(root: Path, message: str) -> None:
    git(root, "add", "-A", "records")
    git(root, "commit", "-qm", message)


def _history(root: Path, rid: str, *args: str) -> dict:
    result = run("--root", str(root), "history", rid, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


@pytest.fixture
def edited(repo, monkeypatch) -> Path:
    """The base child edited three times by two people: aimama, by hand, aimama."""
    _as(monkeypatch, LI, "2026-03-01T09:00:00+08:00")
    result = run("--root", str(repo), "child", "edit", CHILD,
                 "--set", "guardian.phone=13900002002", "--set", "risk_level=red")
    assert result.exit_code == 0, result.stderr
    _as(monkeypatch, ZHANG, "2026-03-02T10:30:00+08:00")
    _edit(repo, CHILD_FILE, "needs: [emotional, study]",
          "needs: [emotional, safety]\nschool: {name: 青松小学, grade: 三年级}")
    _hand_commit(repo, "fix needs, add school")
    _as(monkeypatch, LI, "2026-03-03T11:00:00+08:00")
    result = run("--root", str(repo), "child", "edit", CHILD, "--set", "school.grade=四年级")
    assert result.exit_code == 0, result.stderr
    return repo


def test_three_edits_by_two_people_newest_first_field_by_field(edited):
    found = _history(edited, CHILD, "--reveal")
    assert (found["id"], found["path"]) == (CHILD, CHILD_FILE)
    newest, hand, first_edit, added = found["commits"]
    assert (newest["author"], newest["email"], newest["date"], newest["command"]) == \
        (*LI, "2026-03-03T11:00:00+08:00", "child edit")
    assert newest["subject"].startswith(f"aimama child edit: {CHILD}")
    assert newest["changes"] == [{"field": "school.grade", "old": "三年级", "new": "四年级"}]
    assert (hand["author"], hand["email"], hand["date"], hand["command"], hand["subject"]) == \
        (*ZHANG, "2026-03-02T10:30:00+08:00", "", "fix needs, add school")
    assert hand["changes"] == [
        {"field": "needs[1]", "old": "study", "new": "safety"},
        {"field": "school.name", "old": None, "new": "青松小学"},
        {"field": "school.grade", "old": None, "new": "三年级"},
    ]
    assert (first_edit["email"], first_edit["command"]) == (LI[1], "child edit")
    assert first_edit["changes"] == [
        {"field": "guardian.phone", "old": "13900002001", "new": "13900002002"},
        {"field": "risk_level", "old": "yellow", "new": "red"},
    ]
    # the first commit adds the record: every field from null
    assert all(change["old"] is None for change in added["changes"])
    fields = {change["field"]: change["new"] for change in added["changes"]}
    assert fields["id"] == CHILD and fields["guardian.consent.given"] is True
    assert fields["categories[0]"] == "left_behind" and fields["needs[1]"] == "study"


def test_json_shape(edited):
    found = _history(edited, CHILD)
    assert set(found) == {"id", "path", "commits"}
    for commit in found["commits"]:
        assert set(commit) == {"commit", "author", "email", "date", "command", "subject", "signed",
                               "command_verified", "path", "renamed_from", "changes"}
        assert (commit["signed"], commit["command_verified"]) == ("no", False)  # nothing signed
        assert len(commit["commit"]) == 10 and commit["path"] == CHILD_FILE
        assert all(set(change) == {"field", "old", "new"} for change in commit["changes"])
    shas = git(edited, "log", "--format=%h", "--abbrev=10", "--", CHILD_FILE).split()
    assert [c["commit"] for c in found["commits"]] == shas


def test_sensitive_values_masked_unless_reveal(edited):
    masked = run("--root", str(edited), "history", CHILD)
    assert masked.exit_code == 0
    assert "139****2001" in masked.output and "139****2002" in masked.output
    assert "4306**********9920" in masked.output  # the ID number, when the record was added
    assert "13900002002" not in masked.output and "430621201503089920" not in masked.output
    assert "--reveal" in masked.stderr
    first = _history(edited, CHILD)["commits"][2]["changes"][0]
    assert first == {"field": "guardian.phone", "old": "139****2001", "new": "139****2002"}

    shown = run("--root", str(edited), "history", CHILD, "--reveal")
    assert shown.exit_code == 0
    assert "13900002001" in shown.output and "430621201503089920" in shown.output
    assert shown.stderr == ""


def test_table_has_a_block_per_commit(edited):
    result = run("--root", str(edited), "history", CHILD)
    assert result.exit_code == 0
    blocks = result.output.split("\n\n")
    assert blocks[0] == f"{CHILD}  {CHILD_FILE}: 4 commit(s)"
    head, command, columns, rule, row = blocks[1].splitlines()
    assert head.endswith("2026-03-03T11:00:00+08:00  李主任 <li@example.org>  signed: no")
    # the trailer is a claim anyone can type: aimama's only in a commit its author signed
    assert command.startswith(f"  [child edit (unverified)] aimama child edit: {CHILD}")
    assert columns.split() == ["field", "old", "new"]
    assert row.split() == ["school.grade", "三年级", "四年级"]
    assert "  [hand edit] fix needs, add school" in blocks[2]


def test_a_moved_file_is_followed(repo, monkeypatch):
    _as(monkeypatch, ZHANG, "2026-04-01T08:00:00+08:00")
    old, new = "records/pledges/2026/S430621-0000S001.yaml", "records/pledges/2025/S430621-0000S001.yaml"
    (repo / new).parent.mkdir()
    git(repo, "mv", old, new)
    _edit(repo, new, "year: 2026", "year: 2025")
    _hand_commit(repo, "the pledge of 2025, filed under the wrong year")
    found = _history(repo, "S430621-0000S001")
    assert found["path"] == new
    moved, added = found["commits"]
    assert (moved["path"], moved["renamed_from"]) == (new, old)
    assert moved["changes"] == [{"field": "year", "old": 2026, "new": 2025}]
    assert (added["path"], added["renamed_from"], added["subject"]) == (old, None, "base records")
    assert {"field": "year", "old": None, "new": 2026} in added["changes"]
    table = run("--root", str(repo), "history", "S430621-0000S001").output
    assert f"moved from {old}" in table


def test_a_deleted_record_is_found_in_history(repo):
    git(repo, "rm", "-q", "records/pairings/P430621-0000P001.yaml")
    git(repo, "commit", "-qm", "remove a pairing")
    found = _history(repo, "P430621-0000P001")
    assert found["path"] == "records/pairings/P430621-0000P001.yaml"
    deleted, added = found["commits"]
    assert deleted["subject"] == "remove a pairing"
    assert {"field": "child", "old": "C430621-0000C001", "new": None} in deleted["changes"]
    assert all(change["new"] is None for change in deleted["changes"])
    assert all(change["old"] is None for change in added["changes"])


def test_unknown_id_exits_2(repo):
    result = run("--root", str(repo), "history", "C430621-NOSUCHID")
    assert result.exit_code == 2
    assert result.output == ""
    assert "unknown" in result.stderr and "C430621-NOSUCHID" in result.stderr


def test_a_version_that_does_not_parse_is_a_note(repo):
    _edit(repo, CHILD_FILE, "risk_level: yellow", "risk_level: [yellow")
    _hand_commit(repo, "broken")
    _edit(repo, CHILD_FILE, "risk_level: [yellow", "risk_level: green")
    _hand_commit(repo, "mended")
    mended, broken, _added = _history(repo, CHILD)["commits"]
    [note] = broken["changes"]
    assert (note["field"], note["old"], note["new"]) == ("", None, None)
    assert note["note"].startswith("this version does not parse (line 15)")
    [note] = mended["changes"]
    assert note["field"] == "" and note["note"].startswith("the version before does not parse")


def test_merges_show_only_what_neither_side_had(repo):
    git(repo, "checkout", "-qb", "side")
    _edit(repo, CHILD_FILE, "risk_level: yellow", "risk_level: red")
    _hand_commit(repo, "side: red")
    git(repo, "checkout", "-q", "main")
    _edit(repo, CHILD_FILE, "risk_level: yellow", "risk_level: green")
    _hand_commit(repo, "main: green")
    with pytest.raises(subprocess.CalledProcessError):  # both changed risk_level: a conflict
        git(repo, "merge", "-q", "side")
    _edit(repo, CHILD_FILE, "<<<<<<< HEAD\nrisk_level: green\n=======\nrisk_level: red\n>>>>>>> side\n",
          "risk_level: orange\n")
    git(repo, "commit", "-qam", "merge side: orange")
    git(repo, "checkout", "-qb", "other", "HEAD~1")  # then a clean merge: a field nobody else changed
    _edit(repo, CHILD_FILE, "village: '430621101201'", "village: '430621101202'")
    _hand_commit(repo, "other: village")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "other")
    subjects = {c["subject"]: c["changes"] for c in _history(repo, CHILD, "--reveal")["commits"]}
    assert subjects["merge side: orange"] == [{"field": "risk_level", "old": "green", "new": "orange"}]
    assert not any(s.startswith("Merge branch 'other'") for s in subjects)
    assert subjects["other: village"] == [{"field": "village", "old": "430621101201", "new": "430621101202"}]
    assert subjects["side: red"] == [{"field": "risk_level", "old": "yellow", "new": "red"}]


def test_a_coordinator_in_the_shared_file(repo):
    path = repo / "records/coordinators.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: U430600-0000C002\n    name: 李主任\n"
                    "    email: li@example.org\n    roles: [pairing]\n    regions: ['430621']\n",
                    encoding="utf-8")
    _hand_commit(repo, "a second coordinator")
    _edit(repo, "records/coordinators.yaml", "roles: [vetting, roster]", "roles: [vetting, roster, admin]")
    _hand_commit(repo, "the first one administers")
    first = _history(repo, "U430600-0000C001")["commits"]
    assert [c["subject"] for c in first] == ["the first one administers", "base records"]
    assert first[0]["changes"] == [{"field": "roles[2]", "old": None, "new": "admin"}]
    second = _history(repo, "U430600-0000C002")["commits"]
    assert [c["subject"] for c in second] == ["a second coordinator"]
    assert {"field": "email", "old": None, "new": "li@example.org"} in second[0]["changes"]

"""Every problem code is triggered by a file that has it, with exit code, file and line."""

from __future__ import annotations

import pytest
from conftest import check_json, run

CHILD = "records/children/C430621-0000C001.yaml"
VOLUNTEER = "records/volunteers/V430621-0000V001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (id, file, how to break it, expected code, line, field)
CASES = [
    ("gbk-bytes", CHILD, lambda p: p.write_bytes("name: 王小雨\n".encode("gbk")), "AM101", 1, None),
    ("binary-garbage", CHILD, lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
     "AM102", 3, None),
    ("empty-file", CHILD, lambda p: p.write_text("", encoding="utf-8"), "AM103", 1, None),
    ("broken-yaml", CHILD, lambda p: p.write_text("id: C430621-0000C001\nname: [王小雨\ngender: female\n",
                                                  encoding="utf-8"), "AM104", 3, None),
    ("duplicate-key", CHILD, lambda p: p.write_text(p.read_text(encoding="utf-8") + "name: 又一个名字\n",
                                                    encoding="utf-8"), "AM105", 18, None),
    ("top-level-list", CHILD, lambda p: p.write_text("- id: C430621-0000C001\n", encoding="utf-8"),
     "AM106", 1, None),
    ("alias", CHILD, lambda p: p.write_text(p.read_text(encoding="utf-8").replace(
        "needs: [emotional, study]", "needs: &n [emotional]\nnotes: *n"), encoding="utf-8"),
     "AM107", 15, None),
    ("custom-tag", CHILD, lambda p: p.write_text(p.read_text(encoding="utf-8").replace(
        "risk_level: yellow", "risk_level: !colour yellow"), encoding="utf-8"), "AM108", 14, None),
]

EDITS = [
    # (id, file, old text, new text, code, line, field)
    ("unknown-field", CHILD, "status: active", "status: active\nhobby: 画画", "AM201", 18, "hobby"),
    ("missing-field", PAIRING, "role: local\n", "", "AM202", 1, None),
    ("wrong-type", VOLUNTEER, "capacity: 2", "capacity: two", "AM203", 12, "capacity"),
    ("unquoted-phone", VOLUNTEER, "phone: '13900002000'", "phone: 13900002000", "AM204", 7, "phone"),
    ("bad-enum", CHILD, "risk_level: yellow", "risk_level: purple", "AM205", 14, "risk_level"),
    ("bad-id-pattern", PAIRING, "child: C430621-0000C001", "child: C-1", "AM206", 2, "child"),
    ("file-name-mismatch", PAIRING, "id: P430621-0000P001", "id: P430621-0000P002", "AM302", 1, "id"),
    ("county-mismatch", "records/teams/T430621-0000T001.yaml", "region: '430621101201'",
     "region: '430626205201'", "AM303", 1, "id"),
    ("pledge-year-folder", "records/pledges/2026/S430621-0000S001.yaml", "year: 2026", "year: 2025",
     "AM305", 4, "year"),
    ("unknown-reference", PAIRING, "volunteer: V430621-0000V001", "volunteer: V430621-0000V999",
     "AM401", 3, "volunteer"),
    ("unknown-village", CHILD, "village: '430621101201'", "village: '430621101299'", "AM402", 8,
     "village"),
    ("township-is-not-a-village", CHILD, "village: '430621101201'", "village: '430621101000'", "AM402",
     8, "village"),
    ("unknown-coordinator", VOLUNTEER, "decided_by: U430600-0000C001", "decided_by: U430600-0000C009",
     "AM401", 20, "vetting.decided_by"),
    ("bad-check-digit", CHILD, "'430621201503089920'", "'430621201503089921'", "AM501", 6, "id_number"),
    ("id-number-vs-birth-date", CHILD, "birth_date: '2015-03-08'", "birth_date: '2015-03-09'", "AM502",
     5, "birth_date"),
    ("id-number-vs-gender", CHILD, "gender: female", "gender: male", "AM503", 4, "gender"),
    ("impossible-date", CHILD, "birth_date: '2015-03-08'", "birth_date: '2025-02-30'", "AM504", 5,
     "birth_date"),
    ("future-date", PAIRING, "started_on: '2024-04-10'", "started_on: '2027-04-10'", "AM505", 5,
     "started_on"),
    ("closed-without-reason", CHILD, "status: active", "status: closed", "AM506", 17, "status"),
    ("ended-without-reason", PAIRING, "started_on: '2024-04-10'",
     "started_on: '2024-04-10'\nended_on: '2025-01-01'", "AM506", 6, "ended_on"),
    ("dates-out-of-order", PAIRING, "started_on: '2024-04-10'",
     "started_on: '2024-04-10'\nended_on: '2024-01-01'\nend_reason: other", "AM507", 6, "ended_on"),
    ("id-number-without-a-real-birth-date", CHILD, "'430621201503089920'", "'430621201502309928'",
     "AM509", 6, "id_number"),
    ("activity-entry-names-no-child", "records/activities/2026/V430621-0000V001.yaml",
     "    child: C430621-0000C001\n", "", "AM209", 4, "entries[0]"),
    ("closing-on-active-record", CHILD, "status: active",
     "status: active\nclosed: {on: '2025-01-01', reason: moved_away}", "AM508", 18, "closed"),
]


def assert_problem(root, rel, code, line, field=None):
    exit_code, report = check_json(root)
    assert exit_code == 1, report
    matches = [p for p in report["problems"] if p["code"] == code and p["file"] == rel]
    assert matches, report["problems"]
    assert matches[0]["line"] == line, matches[0]
    if field is not None:
        assert matches[0]["field"] == field
    return matches[0]


@pytest.mark.parametrize("name,rel,breaker,code,line,field", CASES, ids=[c[0] for c in CASES])
def test_unreadable_files(repo, name, rel, breaker, code, line, field):
    breaker(repo / rel)
    problem = assert_problem(repo, rel, code, line, field)
    assert problem["severity"] == "error"


@pytest.mark.parametrize("name,rel,old,new,code,line,field", EDITS, ids=[e[0] for e in EDITS])
def test_rule_violations(repo, name, rel, old, new, code, line, field):
    edit(repo, rel, old, new)
    assert_problem(repo, rel, code, line, field)


def test_gbk_message_says_excel(repo):
    (repo / CHILD).write_bytes("name: 王小雨\n".encode("gbk"))
    problem = assert_problem(repo, CHILD, "AM101", 1)
    assert "GBK" in problem["hint"] and "UTF-8" in problem["message"]


def test_unquoted_phone_hint_says_quote_it(repo):
    edit(repo, VOLUNTEER, "phone: '13900002000'", "phone: 13900002000")
    problem = assert_problem(repo, VOLUNTEER, "AM204", 7)
    assert "quote it: '139****2000'" in problem["hint"]  # masked, as the message (issue 19)
    assert "13900002000" not in problem["hint"] + problem["message"]


def test_duplicate_id_across_files(repo):
    copy = repo / "records/children/C430621-0000C002.yaml"
    copy.write_text((repo / CHILD).read_text(encoding="utf-8"), encoding="utf-8")
    exit_code, report = check_json(repo)
    assert exit_code == 1
    codes = {(p["code"], p["file"]) for p in report["problems"]}
    assert ("AM301", "records/children/C430621-0000C002.yaml") in codes
    assert ("AM302", "records/children/C430621-0000C002.yaml") in codes


def test_misplaced_file(repo):
    (repo / "records/children/notes.txt").write_text("hello", encoding="utf-8")
    assert_problem(repo, "records/children/notes.txt", "AM304", 1)


def test_broken_file_does_not_stop_the_others(repo):
    (repo / CHILD).write_bytes(b"\x00")
    edit(repo, VOLUNTEER, "capacity: 2", "capacity: 0")
    exit_code, report = check_json(repo)
    codes = {p["code"] for p in report["problems"]}
    assert {"AM102", "AM206"} <= codes
    # the pairing now points at a child whose file cannot be read: reported too
    assert any(p["code"] == "AM401" and p["file"] == PAIRING for p in report["problems"])


def test_aged_out_child_is_a_warning_unless_strict(repo):
    exit_code, report = check_json(repo, "--as-of", "2033-03-08")
    aged = [p for p in report["problems"] if p["code"] == "AM601"]
    assert aged and aged[0]["severity"] == "warning" and aged[0]["line"] == 17
    assert exit_code == 0 and report["ok"] is True
    exit_code, report = check_json(repo, "--as-of", "2033-03-08", "--strict")
    assert exit_code == 1
    assert [p["severity"] for p in report["problems"] if p["code"] == "AM601"] == ["error"]


def test_day_before_eighteenth_birthday_is_fine(repo):
    _, report = check_json(repo, "--as-of", "2033-03-07", "--strict")
    assert not [p for p in report["problems"] if p["code"] == "AM601"]  # (the volunteer's checks
    # have long expired by then: AM707, which --strict makes an error too)
    assert any(p["code"] == "AM707" and p["severity"] == "error" for p in report["problems"])


def test_no_traceback_for_a_directory_named_like_a_record(repo):
    (repo / "records/children/C430621-0000C003.yaml").mkdir()
    result = run("--root", str(repo), "check")
    assert result.exit_code in (0, 1)


def test_unreadable_file_is_reported(repo, monkeypatch):
    """A file that cannot be read (permissions) is a problem, not a crash."""
    import os
    from pathlib import Path

    from aimama_cli.store import layout

    real = os.open

    def denied(path, flags, mode=0o777, *, dir_fd=None):
        if os.fspath(path).endswith(Path(CHILD).name):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(layout.os, "open", denied)
    problem = assert_problem(repo, CHILD, "AM109", 1)
    assert "Permission denied" in problem["message"]


def test_a_crashing_rule_is_reported_not_raised(repo, monkeypatch):
    from aimama_cli.rules import REGISTRY

    def broken(ctx):
        raise ZeroDivisionError("oops")

    rule = REGISTRY["AM303"]
    monkeypatch.setitem(REGISTRY, "AM303", type(rule)(rule.code, rule.scope, broken, rule.kinds))
    exit_code, report = check_json(repo, "--no-cache")
    assert exit_code == 1
    crashed = [p for p in report["problems"] if p["code"] == "AM001"]
    assert crashed and "AM303" in crashed[0]["message"] and "oops" in crashed[0]["message"]


def test_every_rule_code_is_exercised_by_a_test():
    """A new rule comes with a test that triggers it."""
    from pathlib import Path

    from aimama_cli.rules import REGISTRY

    text = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [code for code in REGISTRY if f'"{code}"' not in text]
    assert untested == []

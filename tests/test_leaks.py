"""The leak scanner in `aimama check` (AM911-AM915): personal data where git would keep it in
the clear — warnings in a plaintext repository, errors in an encrypted one."""

from __future__ import annotations

import datetime as dt

from conftest import check_json, drop_encryption, git, run
from stdnum.cn import ric

CHILD = "records/children/C430621-0000C001.yaml"
TEAM_PAIRING = "records/team_pairings/G430621-M72Z59CK.yaml"
ENC = "ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]"


def id_number(born: dt.date, sequence: int, region: str = "430621") -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


PASTED = id_number(dt.date(2012, 5, 17), 482)  # a fictional child's number
PHONE = "13900007788"  # obviously fictional


def append(root, rel, text):
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def encrypt(root):
    """What makes a repository encrypted for every rule: aimama.yaml requires it (keys.yaml, the
    wrapped data key, does too)."""
    append(root, "aimama.yaml", "encryption: required\n")


def leaks(report) -> list[dict]:
    return [p for p in report["problems"] if p["code"].startswith("AM91")]


def test_clean_repositories_have_no_leak_findings(repo, demo):
    for root in (repo, demo):
        code, report = check_json(root)
        assert leaks(report) == [], root
        assert report["ok"]


def test_id_number_pasted_into_notes_is_a_warning_in_a_plaintext_repository(demo):
    drop_encryption(demo)  # the demo is encrypted: without keys.yaml and `encryption: required` it is not
    append(demo, TEAM_PAIRING, f"notes: 联系人身份证 {PASTED}，已核实\n")
    code, report = check_json(demo)
    [found] = leaks(report)
    assert (found["code"], found["severity"], found["file"], found["field"]) == (
        "AM912", "warning", TEAM_PAIRING, "notes")
    assert found["line"] == 8 and found["record"] == "G430621-M72Z59CK"
    assert code == 0  # the plaintext demo keeps working while it migrates
    assert PASTED not in found["message"] and PASTED[:4] + "*" * 10 + PASTED[-4:] in found["message"]


def test_leaks_are_errors_when_the_repository_is_encrypted(demo):
    append(demo, TEAM_PAIRING, f"notes: 联系人身份证 {PASTED}，已核实\n")  # the demo is encrypted
    code, report = check_json(demo)
    found = [p for p in leaks(report) if p["code"] == "AM912"]
    assert [(p["file"], p["severity"]) for p in found] == [(TEAM_PAIRING, "error")]
    assert code == 1


def test_mobile_number_in_another_field_of_a_child(repo):
    append(repo, CHILD, "parents: 父亲在广州务工，电话 139-0000-7788\n")
    code, report = check_json(repo)
    [found] = leaks(report)
    assert (found["code"], found["field"], found["line"], found["column"]) == ("AM913", "parents", 18, 10)
    assert "139****7788" in found["message"] and "7788" in found["message"]
    # the sensitive field itself holds a phone without any finding
    assert not any(p["field"] == "guardian.phone" for p in report["problems"])


def test_numbers_that_only_look_alike_are_not_reported(repo):
    wrong_check = PASTED[:17] + ("0" if PASTED[17] != "0" else "1")
    append(repo, CHILD, f"parents: 证明编号 {wrong_check}；合同号 4{PHONE}2；区划 430621101201；"
                        f"电话 0730-8123456\n")
    code, report = check_json(repo)
    assert leaks(report) == []


def test_phone_in_a_file_name(repo):
    (repo / "records" / "teams" / f"名单{PHONE}.yaml").write_text("name: x\n", encoding="utf-8")
    code, report = check_json(repo)
    found = [p for p in leaks(report) if p["code"] == "AM914"]
    assert [(p["file"], p["severity"]) for p in found] == [
        (f"records/teams/名单{PHONE}.yaml", "warning")]
    assert PHONE not in found[0]["message"]


def test_id_number_in_a_commit_message_of_the_checked_range(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    replace(repo, CHILD, "risk_level: yellow", "risk_level: orange")
    git(repo, "commit", "-qam", f"王小雨风险等级上调\n\n身份证 {PASTED} 家访后核实")
    sha = git(repo, "rev-parse", "HEAD").strip()
    code, report = check_json(repo, "--changed-since", base)
    [found] = leaks(report)
    assert (found["code"], found["record"], found["file"], found["line"], found["column"]) == (
        "AM915", sha, sha[:12], 3, 5)
    assert found["severity"] == "warning" and code == 0
    assert PASTED not in found["message"]
    # a check without a range looks at no commit message
    assert leaks(check_json(repo)[1]) == []
    # encrypted: an error
    encrypt(repo)
    code, report = check_json(repo, "--changed-since", base)
    assert [p["severity"] for p in leaks(report) if p["code"] == "AM915"] == ["error"]
    assert code == 1


def test_plaintext_in_a_sensitive_field_of_an_encrypted_repository(repo):
    replace(repo, CHILD, "id_number: '430621201503089920'", f"id_number: '{ENC}'")
    append(repo, CHILD, f"notes: 身份证 {PASTED}\n")
    encrypt(repo)
    code, report = check_json(repo)
    child = sorted(p["field"] for p in leaks(report) if p["file"] == CHILD and p["code"] == "AM911")
    assert child == ["guardian.phone", "notes"]  # the encrypted id_number is not one
    assert all(p["severity"] == "error" for p in leaks(report))
    assert code == 1
    # the volunteer's plaintext phone and ID number too
    assert {p["field"] for p in leaks(report) if p["file"].startswith("records/volunteers/")} == {
        "id_number", "phone"}


def test_plaintext_sensitive_fields_are_fine_while_unencrypted(repo):
    append(repo, CHILD, f"notes: 身份证 {PASTED}\n")  # notes is itself sensitive: masked, later encrypted
    assert leaks(check_json(repo)[1]) == []


def test_findings_follow_the_repository_becoming_encrypted(demo):
    """The index is judged again when the repository becomes encrypted or stops being (findings
    are cached)."""
    drop_encryption(demo)  # the demo is encrypted: start from a repository that is not
    append(demo, TEAM_PAIRING, f"notes: {PHONE}\n")
    assert [p["severity"] for p in leaks(check_json(demo)[1])] == ["warning"]
    encrypt(demo)
    assert "error" in {p["severity"] for p in leaks(check_json(demo)[1])}
    replace(demo, "aimama.yaml", "encryption: required\n", "")
    assert [p["severity"] for p in leaks(check_json(demo)[1])] == ["warning"]


def test_text_report_does_not_print_the_number(demo):
    append(demo, TEAM_PAIRING, f"notes: 联系人身份证 {PASTED}\n")
    result = run("--root", str(demo), "check", "--as-of", "2026-11-01")
    assert "AM912" in result.output
    assert PASTED not in result.output

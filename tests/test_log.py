"""`aimama log add` on a copy of the demo records, and the activity log rules AM811-AM816."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import AS_OF, check_json, demo_plain, git, run

from aimama_cli.store.yamlio import decode, parse

REMOTE = "V430621-6EWXMFTT"  # 林静, agency volunteer (六个一, no visit checklist)
ZIXUAN, CHENXI = "C430621-TRTGBFZR", "C430621-7EBVH5KN"  # her children; 晨曦 paired 2025-09-10
LOCAL = "V430626-EK5VZ863"  # 邓小红, village volunteer (一看二联三问四帮)
SIQI = "C430626-RXRG0QR6"  # 廖思琪, paired with her
SIQI_PAIRING = "P430626-ECNZS704"
LOG_2026 = f"records/activities/2026/{REMOTE}.yaml"
LOG_2025 = f"records/activities/2025/{REMOTE}.yaml"


def log_add(root: Path, *args):
    return run("--root", str(root), "log", "add", *args, "--as-of", AS_OF)


def entries(root: Path, rel: str) -> list[dict]:
    return parse(decode((root / rel).read_bytes())).data["entries"]


def added_and_removed(root: Path) -> tuple[int, int]:
    added, removed, _path = git(root, "diff", "--numstat", "HEAD~1", "HEAD").split()
    return int(added), int(removed)


def codes(report: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for problem in report["problems"]:
        found.setdefault(problem["code"], []).append(problem)
    return found


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- log add ----------------------------------------------------------------------------------

def test_an_entry_goes_after_the_last_one_of_its_date_and_nothing_else_moves(demo):
    before = (demo / LOG_2026).read_text(encoding="utf-8")
    result = log_add(demo, REMOTE, "--kind", "phone_call", "--child", ZIXUAN, "--date", "2026-04-18",
                     "--contact", "made", "--hours", "0.5", "--details", "电话问候")
    assert result.exit_code == 0, result.stderr
    assert LOG_2026 in result.output and "committed" in result.output
    after = (demo / LOG_2026).read_text(encoding="utf-8")
    assert after.startswith("# 2026年记录（截至10月）；意外伤害保险年底前续保\nvolunteer: V430621-6EWXMFTT  # 林静\n")
    assert added_and_removed(demo) == (7, 1)  # the six lines of the entry and the log's MAC, nothing else
    [removed] = [line for line in git(demo, "diff", "-U0", "HEAD~1", "HEAD").splitlines()
                 if line.startswith("-") and not line.startswith("---")]
    assert removed.startswith("-sealed_mac: ENC[")
    [details] = [line for line in after.splitlines() if line not in before.splitlines() and "details" in line]
    assert details.startswith("    details: ENC[AES256_GCM,")  # the demo is encrypted
    new = ("  - date: '2026-04-18'\n"
           "    child: C430621-TRTGBFZR  # 李梓萱\n"
           "    kinds: [phone_call]\n"
           "    contact: made\n"
           "    hours: 0.5\n"
           f"{details}\n")
    assert new in after
    entries = demo_plain(demo, LOG_2026)["entries"]
    assert [e["details"] for e in entries if e["date"] == "2026-04-18" and e["kinds"] == ["phone_call"]] == ["电话问候"]
    # after the entry of 2026-04-18 already there, before the one of 2026-04-20
    at = [e.get("details") for e in entries].index("电话问候")
    assert entries[at - 1]["details"] == "微信联系梓萱，提醒上下学注意交通安全。" and entries[at + 1]["date"] == "2026-04-20"
    assert after.index(new) < after.index("'2026-04-20'")
    mac = re.compile(r"^sealed_mac: .*$", re.M)  # the MAC of the log's encrypted values, renewed
    assert mac.sub("", after.replace(new, "", 1)) == mac.sub("", before)
    message = git(demo, "log", "-1", "--format=%B")
    assert "Aimama-Command: log add" in message and f"Aimama-Record: {REMOTE}" in message
    assert check_json(demo)[0] == 0


def test_an_entry_of_a_new_year_makes_the_years_log(demo):
    result = run("--root", str(demo), "log", "add", REMOTE, "--kind", "电话联系", "--child", ZIXUAN,
                 "--date", "2024-11-05", "--hours", "1", "--as-of", "2024-11-10")  # no log of 2024 yet
    assert result.exit_code == 0, result.stderr
    path = demo / "records/activities/2024" / f"{REMOTE}.yaml"
    assert path.read_text(encoding="utf-8") == (
        "volunteer: V430621-6EWXMFTT  # 林静\n"
        "year: 2024\n"
        "entries:\n"
        "  - date: '2024-11-05'\n"
        "    child: C430621-TRTGBFZR  # 李梓萱\n"
        "    kinds: [phone_call]\n"
        "    hours: 1\n")
    assert git(demo, "status", "--porcelain") == ""


def test_several_children_make_one_group_activity(demo):
    result = log_add(demo, REMOTE, "--kind", "group_activity", "--child", ZIXUAN, "--child", CHENXI,
                     "--date", "2026-10-01", "--hours", "3")
    assert result.exit_code == 0, result.stderr
    text = (demo / LOG_2026).read_text(encoding="utf-8")
    assert "    children: [C430621-TRTGBFZR, C430621-7EBVH5KN]  # 李梓萱、朱晨曦\n" in text
    entry = next(e for e in entries(demo, LOG_2026) if e["date"] == "2026-10-01")
    assert entry["children"] == [ZIXUAN, CHENXI] and "child" not in entry
    assert check_json(demo)[0] == 0


def test_chinese_labels_checklist_names_and_all(demo):
    rel = f"records/activities/2026/{LOCAL}.yaml"
    result = log_add(demo, LOCAL, "--kind", "入户走访、情感陪伴", "--kind", "meal", "--contact", "已联系上",
                     "--child", SIQI, "--date", "2026-10-25", "--hours", "1.5",
                     "--check", "看家庭安全隐患", "--check", "ask_health,问学习情况")
    assert result.exit_code == 0, result.stderr
    entry = next(e for e in entries(demo, rel) if e["date"] == "2026-10-25")
    assert entry["kinds"] == ["home_visit", "emotional_support", "meal"]
    assert entry["contact"] == "made" and entry["hours"] == 1.5
    assert entry["checklist"] == ["look_safety", "ask_health", "ask_study"]  # the programme's order
    result = log_add(demo, LOCAL, "--kind", "home_visit", "--contact", "未联系上", "--child", SIQI,
                     "--date", "2026-10-26", "--check", "all")
    assert result.exit_code == 0, result.stderr
    entry = next(e for e in entries(demo, rel) if e["date"] == "2026-10-26")
    assert entry["contact"] == "attempted" and len(entry["checklist"]) == 11
    assert check_json(demo)[0] == 0


def test_a_pairing_names_the_child_and_a_dry_run_writes_nothing(demo):
    rel = f"records/activities/2026/{LOCAL}.yaml"
    result = log_add(demo, LOCAL, "--kind", "phone_call", "--pairing", SIQI_PAIRING,
                     "--date", "2026-10-27", "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert git(demo, "status", "--porcelain") == ""
    result = log_add(demo, LOCAL, "--kind", "phone_call", "--pairing", SIQI_PAIRING, "--date", "2026-10-27")
    assert result.exit_code == 0, result.stderr
    assert f"    pairing: {SIQI_PAIRING}  # 廖思琪\n" in (demo / rel).read_text(encoding="utf-8")
    assert check_json(demo)[0] == 0


@pytest.mark.parametrize("args, key", [
    (["--check", "飞行"], "is not on the checklist of programme yueyang-village"),
    (["--kind", "sightseeing"], "is not a value of"),
    (["--hours", "abc"], "is not a number of hours"),
    (["--child", SIQI, "--pairing", SIQI_PAIRING], "not both"),
    (["--insurer", "人寿"], "insurance needs all of"),
    (["--child", "C430626-ZZZZZZZZ"], "unknown child id"),
])
def test_bad_options_are_usage_errors_and_nothing_is_written(demo, args, key):
    base = ["--kind", "home_visit", "--date", "2026-10-25"]
    if "--child" not in args and "--pairing" not in args:
        base += ["--child", SIQI]
    result = log_add(demo, LOCAL, *base, *args)
    assert result.exit_code == 2 and key in result.stderr
    if "--check" in args:  # the allowed items are listed
        assert "look_safety (看家庭安全隐患)" in result.stderr
    assert git(demo, "status", "--porcelain") == ""


def test_a_checklist_needs_a_programme_with_one(demo):
    result = log_add(demo, REMOTE, "--kind", "home_visit", "--child", ZIXUAN, "--date", "2026-10-25",
                     "--check", "look_safety")
    assert result.exit_code == 2 and "yueyang-agency" in result.stderr and "no visit checklist" in result.stderr


def test_a_child_not_paired_that_day_is_logged_with_a_warning_am812(demo):
    assert check_json(demo)[0] == 0  # the index remembers this check: the next one is incremental
    result = log_add(demo, REMOTE, "--kind", "phone_call", "--child", CHENXI, "--date", "2025-03-01",
                     "--hours", "1")
    assert result.exit_code == 0, result.stderr
    assert "was not paired with C430621-7EBVH5KN on 2025-03-01 (AM812)" in result.stderr
    code, report = check_json(demo)
    assert code == 0  # a warning
    [problem] = codes(report)["AM812"]
    assert problem["severity"] == "warning" and problem["file"] == LOG_2025
    assert problem["field"] == "entries[2].child" and problem["line"] == 25  # the third entry's child
    # the same child from the day the pairing began is fine
    assert log_add(demo, REMOTE, "--kind", "phone_call", "--child", CHENXI, "--date", "2025-09-10").stderr == ""
    # a sibling in a group activity, and an unknown child's sibling, by hand
    edit(demo, LOG_2025, f"children: [{ZIXUAN}]", f"children: [{ZIXUAN}, {SIQI}]")
    fields = [p["field"] for p in codes(check_json(demo)[1])["AM812"]]
    assert fields == ["entries[2].child", "entries[6].children[1]"]


def test_an_entry_dated_in_another_year_fails_check_am811(demo):
    edit(demo, LOG_2026, "  - date: '2026-01-14'", "  - date: '2025-12-30'")
    code, report = check_json(demo)
    assert code == 1
    [problem] = codes(report)["AM811"]
    assert problem["file"] == LOG_2026 and problem["line"] == 5 and problem["field"] == "entries[0].date"
    assert "2025-12-30" in problem["message"] and "2026" in problem["message"]


def test_a_micro_wish_needs_its_wish_am814(demo):
    result = log_add(demo, REMOTE, "--kind", "micro_wish", "--child", ZIXUAN, "--date", "2026-10-25")
    assert result.exit_code == 1 and "AM814" in result.stderr and "micro_wish.wish" in result.stderr
    assert git(demo, "status", "--porcelain") == ""
    edit(demo, LOG_2025, "    book:\n      title: 《城南旧事》\n", "")
    [problem] = codes(check_json(demo)[1])["AM814"]
    assert problem["field"] == "entries[2].kinds" and "book.title" in problem["message"]


def test_details_imply_their_kind_and_a_policy_ends_after_it_begins_am815(demo):
    result = log_add(demo, REMOTE, "--kind", "phone_call", "--child", ZIXUAN, "--date", "2026-10-25",
                     "--wish", "一套画笔", "--fulfilled-on", "2026/10/25", "--book", "《小王子》")
    assert result.exit_code == 0, result.stderr
    entry = next(e for e in entries(demo, LOG_2026) if e["date"] == "2026-10-25")
    assert entry["kinds"] == ["phone_call", "micro_wish", "book"]
    assert entry["micro_wish"] == {"wish": "一套画笔", "fulfilled_on": "2026-10-25"}
    policy = ["--insurer", "中国人寿", "--policy-no", "P1", "--from", "2026-10-26"]
    result = log_add(demo, REMOTE, "--kind", "phone_call", "--child", ZIXUAN, "--date", "2026-10-26",
                     *policy, "--to", "2026-01-01")
    assert result.exit_code == 1 and "AM815" in result.stderr
    # cover running past the as-of day is no future date (AM505): insurance.to is x-future
    assert log_add(demo, REMOTE, "--kind", "phone_call", "--child", ZIXUAN, "--date", "2026-10-26",
                   *policy, "--to", "2027-10-25").exit_code == 0


def test_details_without_their_kind_are_a_warning_am816(demo):
    edit(demo, LOG_2025, "kinds: [video_call, book]", "kinds: [video_call]")
    code, report = check_json(demo)
    [problem] = codes(report)["AM816"]
    assert code == 0 and problem["severity"] == "warning" and problem["field"] == "entries[2].book"


def test_checklist_items_belong_to_the_programme_am813(demo):
    rel = f"records/activities/2026/{LOCAL}.yaml"
    edit(demo, rel, "checklist: [look_safety, look_hygiene,", "checklist: [look_safety, look_everywhere,")
    code, report = check_json(demo)
    [problem] = codes(report)["AM813"]
    assert code == 1 and problem["field"] == "entries[0].checklist[1]" and problem["line"] == 10
    assert "look_everywhere" in problem["message"] and "yueyang-village" in problem["message"]
    # an agency volunteer's programme has no checklist at all
    edit(demo, LOG_2026, "    kinds: [video_call]\n", "    kinds: [video_call]\n    checklist: [look_safety]\n")
    assert [p["file"] for p in codes(check_json(demo)[1])["AM813"]] == [LOG_2026, rel]


def test_log_help_has_examples_in_both_languages():
    for lang, word in (("en", "Example:"), ("zh", "示例")):
        for command in (["log"], ["log", "add"], ["export", "hours"]):
            result = run("--lang", lang, *command, "--help")
            assert result.exit_code == 0 and word in result.output, (lang, command)

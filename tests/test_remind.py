"""duty remind --by team|volunteer: one message per team leader or volunteer, in files or as
JSON, phones only with --reveal and the key — through the CLI on a copy of the demo records.

On 2026-11-01 湖滨村's team (T430621-B0WNJXQM, led by 张桂芳, herself a member) has visits
overdue; 张桂芳 (V430621-2G3VKPT8) is paired with 张雨桐 and 何宇轩; the legal-aid team
(T430600-PFP0YWCA) has a case follow-up due (K430681-GPV4X53H, 龚明轩).
"""

from __future__ import annotations

import json

from conftest import AS_OF, demo_plain, run

TEAM, LEADER = "T430621-B0WNJXQM", "V430621-2G3VKPT8"
CASE_TEAM, CASE = "T430600-PFP0YWCA", "K430681-GPV4X53H"


def remind(root, *args):
    return run("--root", str(root), "duty", "remind", "--as-of", AS_OF, *args)


def phone_of(root, vid) -> str:
    return demo_plain(root, f"records/volunteers/{vid}.yaml")["phone"]


def files(folder) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_by_team_writes_one_chinese_message_per_team_leader(demo, tmp_path):
    out = tmp_path / "提醒"
    result = remind(demo, "--by", "team", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    written = files(out)
    assert TEAM + ".txt" in written and CASE_TEAM + ".txt" in written
    assert all(name.startswith("T") and name.endswith(".txt") for name in written)  # named by team id
    assert f"{len(written)} message(s) by team in {out}" in result.output
    assert f"{TEAM}.txt  湖滨村爱心妈妈志愿服务队" in result.output
    text = written[TEAM + ".txt"]
    assert text.startswith("致：张桂芳（湖滨村爱心妈妈志愿服务队队长）\n\n张桂芳队长您好！")
    for expected in ("【冯玉兰】", "【张桂芳】", "张雨桐：每季度至少入户走访一次——已逾期（截止 2026-03-31",
                     "已 325 天未联系上", "请提醒队员尽快完成"):
        assert expected in text, expected
    assert "龚明轩" in written[CASE_TEAM + ".txt"] and CASE in written[CASE_TEAM + ".txt"]  # the team's cases
    assert not any("\n电话：" in t or phone_of(demo, LEADER) in t for t in written.values())  # no phone unless revealed


def test_by_volunteer_writes_one_message_per_volunteer(demo, tmp_path):
    out = tmp_path / "out"
    result = remind(demo, "--by", "volunteer", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    written = files(out)
    assert all(name.startswith("V") for name in written) and LEADER + ".txt" in written
    text = written[LEADER + ".txt"]
    assert text.startswith("致：张桂芳\n\n张桂芳您好！\n截至 2026-11-01，您结对关爱的儿童")
    assert "张雨桐" in text and "何宇轩" in text and "冯玉兰" not in text
    assert text.rstrip().endswith("——湖滨村爱心妈妈志愿服务队")
    assert "case duties due" in result.stderr  # cases are a team's: said where to find them


def test_reveal_with_the_key_puts_the_phone_in(demo, tmp_path):
    phone = phone_of(demo, LEADER)
    result = remind(demo, "--by", "volunteer", "--reveal", "--output", str(tmp_path / "v"))
    assert result.exit_code == 0, result.stderr
    assert f"致：张桂芳\n电话：{phone}\n" in (tmp_path / "v" / f"{LEADER}.txt").read_text(encoding="utf-8")
    assert "phone included" in result.output and phone not in result.output  # the listing never shows it
    team = remind(demo, "--by", "team", "--reveal", "--format", "json")
    messages = {m["id"]: m for m in team.json()["messages"]}
    assert team.json()["revealed"] is True and messages[TEAM]["to"]["phone"] == phone
    assert messages[TEAM]["to"]["volunteer"] == LEADER


def test_reveal_without_the_key_is_refused(demo, tmp_path, monkeypatch):
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    out = tmp_path / "out"
    result = remind(demo, "--by", "team", "--reveal", "--output", str(out))
    assert result.exit_code == 2
    assert "--reveal" in result.stderr and "key" in result.stderr
    assert not out.exists()
    assert remind(demo, "--by", "team", "--output", str(out)).exit_code == 0  # without --reveal: no key needed


def test_json_for_a_script_that_sends_them(demo, tmp_path):
    result = remind(demo, "--by", "volunteer", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert set(doc) == {"as_of", "within_days", "by", "revealed", "messages"}
    assert doc["as_of"] == AS_OF and doc["by"] == "volunteer" and doc["revealed"] is False
    message = next(m for m in doc["messages"] if m["id"] == LEADER)
    assert set(message) == {"id", "as_of", "within_days", "to", "counts", "volunteers", "cases", "text"}
    assert message["to"] == {"kind": "volunteer", "name": "张桂芳", "volunteer": LEADER, "team": TEAM,
                             "team_name": "湖滨村爱心妈妈志愿服务队", "phone": None}
    assert message["counts"] == {"overdue": 2, "silent": 2}
    items = message["volunteers"][0]["items"]
    assert {i["child_name"] for i in items} == {"张雨桐", "何宇轩"}
    assert {"child", "child_name", "what"} <= set(items[0])
    assert message["text"].startswith("致：张桂芳")
    # into a folder: one <id>.json per message, the same objects
    out = tmp_path / "json"
    assert remind(demo, "--by", "volunteer", "--format", "json", "--output", str(out)).exit_code == 0
    assert json.loads((out / f"{LEADER}.json").read_text(encoding="utf-8")) == message


def test_files_there_are_not_overwritten_with_other_content(demo, tmp_path):
    out = tmp_path / "out"
    assert remind(demo, "--by", "team", "--output", str(out)).exit_code == 0
    again = remind(demo, "--by", "team", "--output", str(out))  # the same reminders: nothing changes
    assert again.exit_code == 0 and "already held the same text" in again.output
    mine = out / f"{TEAM}.txt"
    mine.write_text("已发送\n", encoding="utf-8")
    (out / "notes.txt").write_text("备注\n", encoding="utf-8")
    refused = remind(demo, "--by", "team", "--output", str(out))
    assert refused.exit_code == 2 and f"{TEAM}.txt" in refused.stderr and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "已发送\n"
    forced = remind(demo, "--by", "team", "--output", str(out), "--force")
    assert forced.exit_code == 0 and mine.read_text(encoding="utf-8").startswith("致：张桂芳")
    assert "1 file(s) this run did not write" in forced.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "备注\n"


def test_messages_follow_lang_and_print_without_a_folder(demo):
    english = run("--root", str(demo), "--lang", "en", "duty", "remind", "--as-of", AS_OF, "--by", "volunteer")
    assert english.exit_code == 0, english.stderr
    assert f"==== {LEADER}.txt ====\nTo: 张桂芳\n\nDear 张桂芳,\nAs of 2026-11-01" in english.output
    chinese = remind(demo, "--by", "volunteer")  # the terminal speaks English here; the messages do not
    assert f"==== {LEADER}.txt ====\n致：张桂芳" in chinese.output


def test_folder_options_need_by(demo, tmp_path):
    for extra in (["--output", str(tmp_path / "x")], ["--reveal"], ["--force"]):
        result = remind(demo, *extra)
        assert result.exit_code == 2 and "--by" in result.stderr
    assert not (tmp_path / "x").exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert remind(demo, "--by", "team", "--output", str(tmp_path / "file")).exit_code == 2


def test_file_names_are_ids_made_safe():
    from aimama_cli.reports.reminders import file_name

    assert file_name("V430621-2G3VKPT8", ".txt") == "V430621-2G3VKPT8.txt"
    assert file_name("../../etc/passwd", ".txt") == "______etc_passwd.txt"

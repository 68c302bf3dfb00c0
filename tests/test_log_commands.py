"""`aimama log list|edit|remove`: the entries of volunteers' logs as data a coordinator handles —
listed and filtered, corrected, removed with the reason kept in history, comments kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import AS_OF, git, run

from aimama_cli.store.yamlio import decode, parse

# the plain (unencrypted) test repository: 李秀兰 paired with 王小雨 (most entries through the pairing)
XIULAN, XIAOYU, PAIRING = "V430621-0000V001", "C430621-0000C001", "P430621-0000P001"
LOG = f"records/activities/2026/{XIULAN}.yaml"
# the demo: 林静 (agency volunteer) with 李梓萱 and 朱晨曦
LINJING, ZIXUAN, CHENXI = "V430621-6EWXMFTT", "C430621-TRTGBFZR", "C430621-7EBVH5KN"


def aimama(root: Path, *args):
    return run("--root", str(root), *args)


def entries(root: Path, rel: str = LOG) -> list[dict]:
    return parse(decode((root / rel).read_bytes())).data["entries"]


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def log_add(root: Path, *args):
    result = aimama(root, "log", "add", XIULAN, *args, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def commented(root: Path) -> str:
    """The log with comments written by hand, committed: a heading over the summer entries and
    a note after the one of 2026-07-20."""
    path = root / LOG
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - date: '2026-07-20'", "  # 暑期\n  - date: '2026-07-20'")
    text = text.replace("    details: 暑期“四点半课堂”辅导作业。\n",
                        "    details: 暑期“四点半课堂”辅导作业。  # 每周两次\n  # 八月回访\n")
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", "hand-written comments")
    return text


# --- log list -----------------------------------------------------------------------------------

def test_list_counts_one_entry_in_the_singular(demo):
    rows = aimama(demo, "log", "list", "--volunteer", LINJING, "--format", "json").json()
    day = next(d for d in sorted({r["date"] for r in rows}) if [r["date"] for r in rows].count(d) == 1)
    table = aimama(demo, "log", "list", "--volunteer", LINJING, "--from", day, "--to", day)
    assert table.exit_code == 0 and table.output.splitlines()[-1] == "1 entry"


def test_list_filters_by_volunteer_dates_child_and_kind_in_every_format(demo):
    table = aimama(demo, "log", "list", "--volunteer", LINJING, "--from", "2026-03-01", "--to", "2026-04-30")
    assert table.exit_code == 0, table.stderr
    lines = table.output.splitlines()
    dated = [line.split()[0] for line in lines[2:-1]]
    assert dated == sorted(dated) and dated and all("2026-03-01" <= d <= "2026-04-30" for d in dated)
    assert all("林静" in line for line in lines[2:-1]) and lines[-1] == f"{len(dated)} entries"

    by_name = aimama(demo, "log", "list", "--volunteer", "林静", "--from", "2026-03-01", "--to", "2026-04-30")
    assert by_name.output == table.output  # a name as well as an id

    rows = aimama(demo, "log", "list", "--child", ZIXUAN, "--format", "json").json()
    assert {r["volunteer"] for r in rows} >= {LINJING, "V430621-TFMN8T7Y"}  # every volunteer of hers
    assert all(r.get("child") == ZIXUAN or ZIXUAN in r.get("children", []) for r in rows)

    sheet = aimama(demo, "log", "list", "--kind", "微心愿", "--format", "csv").output
    assert sheet.splitlines()[0] == "date,volunteer,volunteer_name,n,child,child_name,pairing,kinds,contact,hours"
    found = list(csv.DictReader(io.StringIO(sheet)))
    assert found and all("micro_wish" in r["kinds"].split(",") for r in found)

    assert aimama(demo, "log", "list", "--kind", "nap").exit_code == 2
    assert aimama(demo, "log", "list", "--volunteer", "无此人").exit_code == 2


def test_list_finds_a_child_through_her_pairing_and_masks_concerns(repo):
    log_add(repo, "--kind", "phone_call", "--child", XIAOYU, "--date", "2026-10-20",
            "--concern", "孩子最近情绪低落", "--risk", "medium")
    rows = aimama(repo, "log", "list", "--child", "王小雨", "--format", "json").json()
    assert [r["date"] for r in rows] == ["2026-02-10", "2026-05-16", "2026-07-20", "2026-08-22",
                                         "2026-10-03", "2026-10-20"]
    assert {r.get("pairing") for r in rows[1:5]} == {PAIRING}
    assert rows[-1]["concern"] == "******" and rows[-1]["concern_risk"] == "medium"
    assert "情绪" not in aimama(repo, "log", "list", "--format", "csv").output
    table = aimama(repo, "log", "list", "--child", XIAOYU).output
    assert "情绪" not in table and "details" not in table and "6 entries" in table


# --- log edit -----------------------------------------------------------------------------------

def test_edit_changes_one_field_and_keeps_the_comments(repo):
    before = commented(repo)
    result = aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "hours=1.5", "--set", "contact=未联系上",
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output + result.stderr
    after = (repo / LOG).read_text(encoding="utf-8")
    assert "    contact: attempted\n    hours: 1.5\n    details: 暑期“四点半课堂”辅导作业。  # 每周两次\n  # 八月回访\n" in after
    assert "  # 暑期\n  - date: '2026-07-20'" in after
    changed = [e for e in entries(repo) if e["date"] == "2026-07-20"]
    assert changed == [{**e, "contact": "attempted", "hours": 1.5}
                       for e in parse(before).data["entries"] if e["date"] == "2026-07-20"]
    assert [e for e in entries(repo) if e["date"] != "2026-07-20"] == \
        [e for e in parse(before).data["entries"] if e["date"] != "2026-07-20"]
    assert "aimama log edit: V430621-0000V001 2026-07-20 #1: hours, contact" in git(repo, "log", "-1", "--format=%s")


def test_several_entries_of_a_day_need_n_and_a_wrong_n_is_a_usage_error(repo):
    log_add(repo, "--kind", "phone_call", "--pairing", PAIRING, "--date", "2026-07-20", "--hours", "0.5")
    count = commits(repo)
    which = aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "hours=1", "--as-of", AS_OF)
    assert which.exit_code == 2
    assert "--n 1: P430621-0000P001 tutoring made 2 h" in which.stderr
    assert "--n 2: P430621-0000P001 phone_call 0.5 h" in which.stderr
    assert aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--n", "3", "--set", "hours=1",
                  "--as-of", AS_OF).exit_code == 2
    assert aimama(repo, "log", "edit", XIULAN, "2026-07-21", "--set", "hours=1", "--as-of", AS_OF).exit_code == 2
    assert commits(repo) == count

    second = aimama(repo, "log", "edit", "李秀兰", "2026-07-20", "--n", "2", "--set", "hours=1", "--as-of", AS_OF)
    assert second.exit_code == 0, second.stderr
    assert [e.get("hours") for e in entries(repo) if e["date"] == "2026-07-20"] == [2, 1]
    listed = aimama(repo, "log", "list", "--from", "2026-07-20", "--to", "2026-07-20", "--format", "json").json()
    assert [(r["n"], r["kinds"]) for r in listed] == [(1, ["tutoring"]), (2, ["phone_call"])]


def test_a_new_date_moves_the_entry_to_its_place_and_year(repo):
    commented(repo)
    moved = aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "date=2025-12-30", "--as-of", AS_OF)
    assert moved.exit_code == 0, moved.output + moved.stderr
    old_year = f"records/activities/2025/{XIULAN}.yaml"
    assert [e["date"] for e in entries(repo, old_year)] == ["2025-12-30"]
    assert "2026-07-20" not in [e["date"] for e in entries(repo)]
    text = (repo / LOG).read_text(encoding="utf-8")
    assert "  # 暑期\n" in text and "  # 八月回访\n  - date: '2026-08-22'" in text  # the comments stayed
    assert "# 每周两次" in (repo / old_year).read_text(encoding="utf-8")  # the entry's own went with it


def test_an_edit_that_breaks_a_rule_is_refused_and_a_bad_value_is_a_usage_error(repo):
    count, before = commits(repo), (repo / LOG).read_bytes()
    refused = aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "kinds=微心愿", "--as-of", AS_OF)
    assert refused.exit_code == 1 and "AM814" in refused.output + refused.stderr
    assert aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "hours=25", "--as-of", AS_OF).exit_code == 2
    assert aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--set", "contact=maybe", "--as-of", AS_OF).exit_code == 2
    assert aimama(repo, "log", "edit", XIULAN, "2026-07-20", "--as-of", AS_OF).exit_code == 2
    assert commits(repo) == count and (repo / LOG).read_bytes() == before


# --- log remove ---------------------------------------------------------------------------------

def test_remove_keeps_the_reason_in_history_and_the_comments_around(repo):
    before = commented(repo)
    removed = aimama(repo, "log", "remove", XIULAN, "2026-07-20", "--reason", "录入错误：应为八月",
                     "--as-of", AS_OF)
    assert removed.exit_code == 0, removed.output + removed.stderr
    assert f"aimama history {LOG}" in removed.output
    after = (repo / LOG).read_text(encoding="utf-8")
    assert "2026-07-20" not in after and "# 每周两次" not in after  # the entry and its own comment
    assert "  # 暑期\n  # 八月回访\n  - date: '2026-08-22'" in after  # the comments around it
    assert entries(repo) == [e for e in parse(before).data["entries"] if e["date"] != "2026-07-20"]

    history = aimama(repo, "history", LOG, "--format", "json").json()
    latest = history["commits"][0]
    assert latest["command"] == "log remove"
    assert latest["subject"] == "aimama log remove: V430621-0000V001 2026-07-20 #1: 录入错误：应为八月"
    assert any(c["old"] == "2026-07-20" for c in latest["changes"])  # what the entry held
    assert "录入错误：应为八月" in aimama(repo, "history", LOG).output


def test_remove_needs_a_reason_and_dry_run_writes_nothing(repo):
    count, before = commits(repo), (repo / LOG).read_bytes()
    assert aimama(repo, "log", "remove", XIULAN, "2026-07-20", "--as-of", AS_OF).exit_code == 2
    assert aimama(repo, "log", "remove", XIULAN, "2026-07-20", "--reason", " ", "--as-of", AS_OF).exit_code == 2
    dry = aimama(repo, "log", "remove", XIULAN, "2026-07-20", "--reason", "test", "--dry-run", "--as-of", AS_OF)
    assert dry.exit_code == 0 and "would be removed" in dry.output
    assert commits(repo) == count and (repo / LOG).read_bytes() == before


def test_remove_in_the_encrypted_demo_renews_only_the_mac(demo):
    log_file = f"records/activities/2026/{LINJING}.yaml"
    before = (demo / log_file).read_text(encoding="utf-8").splitlines()
    result = aimama(demo, "log", "remove", LINJING, "2026-04-18", "--reason", "duplicate", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output + result.stderr
    after = (demo / log_file).read_text(encoding="utf-8").splitlines()
    gone = [line for line in before if line not in after]
    assert gone[0] == "  - date: '2026-04-18'" and gone[-1].startswith("sealed_mac:")
    assert aimama(demo, "check", "--as-of", AS_OF).exit_code == 0

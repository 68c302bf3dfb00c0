"""child|volunteer|team add, list, show, edit, close; volunteer vet; child confirm — through
the CLI, on real git repositories."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from conftest import AS_OF, check_json, git, run

from aimama_cli.core.ids import make_id_number

CHILD = "C430621-0000C001"
VOLUNTEER = "V430621-0000V001"
COORDINATOR = "U430600-0000C001"


def aimama(repo, *args, **kwargs):
    return run("--root", str(repo), *args, **kwargs)


def head_message(repo) -> str:
    return git(repo, "log", "-1", "--format=%B")


def clean(repo) -> bool:
    return git(repo, "status", "--porcelain") == ""


def add_child(repo, *extra):
    return aimama(repo, "child", "add", "--name", "李小花", "--gender", "女",
                  "--birth-date", "2016-05-01", "--category", "留守儿童", "--village", "430621101201",
                  "--guardian-name", "李奶奶", "--guardian-relation", "祖母",
                  "--guardian-phone", "13900009999", "--consent-date", "2026-01-02",
                  "--source", "village", "--on", AS_OF, *extra)


def new_record(repo, folder: str) -> str:
    """The one record file added by the last command (by git status or the last commit)."""
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    added = [n for n in names if n.startswith(f"records/{folder}/")]
    assert len(added) == 1, names
    return added[0]


# --- add ------------------------------------------------------------------------------------------

def test_child_add_with_chinese_labels_commits_one_readable_record(repo):
    result = add_child(repo)
    assert result.exit_code == 0, result.stderr
    path = new_record(repo, "children")
    text = (repo / path).read_text(encoding="utf-8")
    rid = path.rsplit("/", 1)[1][:-5]
    assert rid.startswith("C430621-") and f"added {rid}" in result.output
    assert "gender: female" in text and "categories: [left_behind]" in text
    assert "birth_date: '2016-05-01'" in text and "phone: '13900009999'" in text
    # keys in the schema's order, so pull requests read the same way every time
    assert text.index("name:") < text.index("gender:") < text.index("village:") < text.index("status:")
    message = head_message(repo)
    assert message.startswith(f"aimama child add: {rid}")
    assert f"Aimama-Record: {rid}" in message and "Aimama-Command: child add" in message
    assert clean(repo)
    assert check_json(repo)[0] == 0


def test_birth_date_and_gender_come_from_the_id_number(repo):
    number = make_id_number("430621", dt.date(2014, 7, 9), 991)  # odd: male
    result = aimama(repo, "child", "add", "--name", "张小军", "--id-number", number,
                    "--category", "left_behind", "--village", "430621101201",
                    "--guardian-name", "张爷爷", "--guardian-relation", "grandfather",
                    "--source", "village", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (repo / new_record(repo, "children")).read_text(encoding="utf-8")
    assert "birth_date: '2014-07-09'" in text and "gender: male" in text


def test_id_number_disagreeing_with_birth_date_is_refused_and_nothing_written(repo):
    number = make_id_number("430621", dt.date(2014, 7, 9), 992)
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "child", "add", "--name", "张小红", "--id-number", number,
                    "--birth-date", "2014-07-10", "--gender", "female", "--category", "left_behind",
                    "--village", "430621101201", "--guardian-name", "张爷爷",
                    "--guardian-relation", "grandfather", "--source", "village", "--on", AS_OF)
    assert result.exit_code == 1
    assert "AM502" in result.stderr and "birth_date" in result.stderr
    assert "nothing was written" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)


def test_unknown_label_is_a_usage_error_listing_the_choices(repo):
    result = add_child(repo, "--risk", "紫色")
    assert result.exit_code == 2
    assert "紫色" in result.stderr and "red (红色)" in result.stderr
    assert clean(repo)


def test_missing_required_field_is_refused_naming_it(repo):
    result = aimama(repo, "child", "add", "--name", "王小", "--gender", "male",
                    "--birth-date", "2015-01-01", "--village", "430621101201", "--on", AS_OF)
    assert result.exit_code == 1
    assert "AM202" in result.stderr and "categories" in result.stderr
    assert clean(repo)


def test_add_from_a_yaml_file_and_from_stdin(repo, tmp_path):
    source = tmp_path / "team.yaml"
    source.write_text("name: 桃源村爱心妈妈队\nlevel: 村（社区）级\nkind: village\nregion: '430621101202'\n"
                      "leader: 赵春梅\n", encoding="utf-8")
    result = aimama(repo, "team", "add", "--from", str(source), "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "level: village" in (repo / new_record(repo, "teams")).read_text(encoding="utf-8")

    from typer.testing import CliRunner

    from aimama_cli.cli import get_app

    args = ["--root", str(repo), "team", "add", "--from", "-", "--on", AS_OF]
    piped = CliRunner().invoke(get_app(args), args, input=source.read_text(encoding="utf-8")
                               .replace("桃源村", "柳塘村").replace("430621101202", "430621101201"))
    assert piped.exit_code == 0, piped.output
    assert "柳塘村" in (repo / new_record(repo, "teams")).read_text(encoding="utf-8")


def test_add_dry_run_writes_nothing(repo):
    result = add_child(repo, "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert clean(repo) and not list((repo / "records/children").glob("C430621-[!0]*"))


def test_add_no_commit_leaves_the_file_in_the_work_tree(repo):
    result = add_child(repo, "--no-commit")
    assert result.exit_code == 0
    status = git(repo, "status", "--porcelain")
    assert "records/children/" in status


# --- list and show ----------------------------------------------------------------------------------

def test_list_filters_and_formats(repo):
    add_child(repo)
    rows = aimama(repo, "child", "list", "--as-of", AS_OF, "--format", "json").json()
    assert {r["id"] for r in rows} >= {CHILD} and len(rows) == 2
    unpaired = aimama(repo, "child", "list", "--unpaired", "--as-of", AS_OF, "--format", "json").json()
    assert [r["name"] for r in unpaired] == ["李小花"]
    paired = aimama(repo, "child", "list", "--paired", "--as-of", AS_OF, "--format", "json").json()
    assert [r["id"] for r in paired] == [CHILD]
    assert aimama(repo, "child", "list", "--region", "430626", "--format", "json").json() == []
    by_label = aimama(repo, "child", "list", "--category", "留守儿童", "--format", "json").json()
    assert len(by_label) == 2
    csv_out = aimama(repo, "child", "list", "--format", "csv", "--as-of", AS_OF).output.splitlines()
    assert csv_out[0].startswith("id,name,gender,age") and len(csv_out) == 3
    table = aimama(repo, "child", "list", "--as-of", AS_OF)
    assert "李小花" in table.output and "2 record(s)" in table.output


def test_list_formats_agree_on_the_first_day_of_a_pairing(repo):
    """The table and CSV read only the fields they show, the JSON every field: on the day
    before a pairing begins and on its first day, all three say the same of the child."""
    started = dt.date.fromisoformat(
        aimama(repo, "child", "show", CHILD, "--format", "json").json()["pairings"][0]["started_on"])
    for day, paired in ((started - dt.timedelta(days=1), False), (started, True)):
        on = ("--as-of", day.isoformat())
        rows = {r["id"]: r for r in aimama(repo, "child", "list", *on, "--format", "json").json()}
        assert (rows[CHILD]["pairings"] > 0) is paired and bool(rows[CHILD]["roles"]) is paired
        assert (CHILD in {r["id"] for r in aimama(repo, "child", "list", "--paired", *on,
                                                      "--format", "json").json()}) is paired
        csv_rows = {line.split(",")[0]: line.split(",") for line in
                    aimama(repo, "child", "list", *on, "--format", "csv").output.splitlines()}
        assert (csv_rows[CHILD][8] != "—") is paired
        table = next(line for line in aimama(repo, "child", "list", *on).output.splitlines()
                     if line.startswith(CHILD))
        assert ("—" not in table) is paired


def test_list_marks_priority_children(repo):
    aimama(repo, "child", "edit", CHILD, "--set", "risk_level=red")
    rows = aimama(repo, "child", "list", "--priority", "--format", "json").json()
    assert [r["id"] for r in rows] == [CHILD] and rows[0]["priority"] is True
    table = aimama(repo, "child", "list", "--as-of", AS_OF).output
    assert "★" in table


def test_list_reads_hand_edits_and_odd_values_as_the_records_hold_them(repo):
    """Table and CSV are made from a line the index keeps for each record, JSON from every
    field: a hand edit shows at once, and a name with a tab in it, a capacity of 0 or none at
    all read back as the files hold them, in all three formats."""
    child, volunteer = repo / "records/children" / f"{CHILD}.yaml", repo / "records/volunteers" / f"{VOLUNTEER}.yaml"
    before = aimama(repo, "volunteer", "list", "--as-of", AS_OF, "--format", "csv").output.splitlines()
    assert before[1].split(",")[7] == "1/2"  # her one pairing of two
    child.write_text(child.read_text(encoding="utf-8").replace("name: 王小雨", 'name: "王\\t小雨"'), encoding="utf-8")
    volunteer.write_text(volunteer.read_text(encoding="utf-8").replace("capacity: 2", "capacity: 0"), encoding="utf-8")
    rows = aimama(repo, "child", "list", "--as-of", AS_OF, "--format", "json").json()
    assert [r["name"] for r in rows if r["id"] == CHILD] == ["王\t小雨"]
    csv_row = next(line for line in aimama(repo, "child", "list", "--as-of", AS_OF, "--format", "csv").output.splitlines()
                   if line.startswith(CHILD))
    assert csv_row.split(",")[1] == "王\t小雨"
    assert "王\t小雨" in aimama(repo, "child", "list", "--as-of", AS_OF).output
    assert aimama(repo, "volunteer", "list", "--as-of", AS_OF, "--format", "csv").output.splitlines()[1].split(",")[7] == "1/0"
    volunteer.write_text(volunteer.read_text(encoding="utf-8").replace("capacity: 0\n", ""), encoding="utf-8")
    assert aimama(repo, "volunteer", "list", "--as-of", AS_OF, "--format", "csv").output.splitlines()[1].split(",")[7] == "1/?"
    assert "capacity" not in aimama(repo, "volunteer", "list", "--as-of", AS_OF, "--format", "json").json()[0]


def test_show_masks_sensitive_values_unless_revealed(repo):
    masked = aimama(repo, "child", "show", CHILD, "--as-of", AS_OF)
    assert masked.exit_code == 0
    assert "4306**********9920" in masked.output and "139****2001" in masked.output
    assert "430621201503089920" not in masked.output
    assert "P430621-0000P001" in masked.output and "李秀兰" in masked.output  # the pairing
    revealed = aimama(repo, "child", "show", CHILD, "--reveal", "--as-of", AS_OF)
    assert "430621201503089920" in revealed.output
    as_json = aimama(repo, "volunteer", "show", VOLUNTEER, "--format", "json", "--as-of", AS_OF).json()
    assert as_json["record"]["phone"] == "139****2000"
    assert as_json["pairings"][0]["active"] is True


def test_show_in_chinese_uses_labels(repo):
    result = aimama(repo, "--lang", "zh", "child", "show", CHILD, "--as-of", AS_OF)
    assert "留守儿童" in result.output and "祖母" in result.output


def test_unknown_id_is_exit_2(repo):
    result = aimama(repo, "child", "show", "C430621-NOSUCH01")
    assert result.exit_code == 2 and "C430621-NOSUCH01" in result.stderr


# --- edit -------------------------------------------------------------------------------------------

def test_edit_set_keeps_hand_written_comments(repo):
    path = repo / f"records/children/{CHILD}.yaml"
    text = path.read_text(encoding="utf-8").replace("risk_level: yellow",
                                                    "risk_level: yellow  # 2025年复核")
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "comment by hand")
    result = aimama(repo, "child", "edit", CHILD, "--set", "school.name=青松镇中心小学", "--set", "school.grade=四年级",
                    "--set", "guardian.phone=13900007777")
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert "# 测试用儿童（虚构）" in after and "risk_level: yellow  # 2025年复核" in after
    assert "grade: 四年级" in after and "phone: '13900007777'" in after
    # the new block lands where the schema puts it: after the guardian, before the risk level
    assert after.index("guardian:") < after.index("school:") < after.index("risk_level:")
    assert "Aimama-Record: C430621-0000C001" in head_message(repo)


def test_edit_refuses_half_an_object(repo):
    result = aimama(repo, "child", "edit", CHILD, "--set", "school.grade=四年级")
    assert result.exit_code == 1 and "school.name" in result.stderr and clean(repo)  # what else to set (issue 19)
    assert "kept in" not in result.stderr  # nothing was typed: nothing to keep


def test_edit_that_breaks_a_rule_is_refused(repo):
    before = (repo / f"records/volunteers/{VOLUNTEER}.yaml").read_text(encoding="utf-8")
    result = aimama(repo, "volunteer", "edit", VOLUNTEER, "--set", "capacity=0")
    assert result.exit_code == 1 and "capacity" in result.stderr
    assert (repo / f"records/volunteers/{VOLUNTEER}.yaml").read_text(encoding="utf-8") == before


def test_edit_refuses_a_record_with_uncommitted_hand_edits_unless_forced(repo):
    path = repo / f"records/children/{CHILD}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("王桂英", "王桂芝"), encoding="utf-8")
    result = aimama(repo, "child", "edit", CHILD, "--set", "risk_level=green")
    assert result.exit_code == 1 and "not yet committed" in result.stderr
    assert "王桂芝" in path.read_text(encoding="utf-8")
    forced = aimama(repo, "child", "edit", CHILD, "--set", "risk_level=green", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "王桂芝" in path.read_text(encoding="utf-8") and "risk_level: green" in path.read_text(encoding="utf-8")


def test_edit_refuses_a_record_whose_hand_edit_is_staged_though_the_file_was_put_back(repo):
    """An edit staged with `git add` is pending although the file reads as in HEAD again: the
    change would drop it from git's index, so it is refused and both are left as they are."""
    path = repo / f"records/children/{CHILD}.yaml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("王桂英", "王桂芝"), encoding="utf-8")
    git(repo, "add", str(path))
    path.write_text(before, encoding="utf-8")
    result = aimama(repo, "child", "edit", CHILD, "--set", "risk_level=green")
    assert result.exit_code == 1 and "not yet committed" in result.stderr
    assert "王桂芝" in git(repo, "show", f":records/children/{CHILD}.yaml")
    assert path.read_text(encoding="utf-8") == before


def test_edit_cannot_change_the_id(repo):
    result = aimama(repo, "child", "edit", CHILD, "--set", "id=C430621-0000C009")
    assert result.exit_code == 2 and clean(repo)


def _editor(tmp_path, script: str) -> str:
    """An $EDITOR that runs ``script`` (Python) on the file it is given."""
    program = tmp_path / "editor.py"
    program.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n" + script, encoding="utf-8")
    return f'"{sys.executable}" "{program}"'


def test_edit_in_editor_keeps_the_text_as_typed(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "p.write_text(p.read_text(encoding='utf-8')"
                                         ".replace('risk_level: yellow', 'risk_level: orange  # 家访后上调'),"
                                         " encoding='utf-8')\n"))
    result = aimama(repo, "child", "edit", CHILD)
    assert result.exit_code == 0, result.stderr
    text = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    assert "risk_level: orange  # 家访后上调" in text and "# 测试用儿童（虚构）" in text
    assert clean(repo)


def test_broken_edit_in_editor_is_refused_and_kept_aside(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "p.write_text(p.read_text(encoding='utf-8')"
                                         ".replace('gender: female', 'gender: [female'), encoding='utf-8')\n"))
    before = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    result = aimama(repo, "child", "edit", CHILD)
    assert result.exit_code == 1 and "AM104" in result.stderr
    assert (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8") == before
    kept = repo / ".aimama" / f"rejected-{CHILD}.yaml"
    assert kept.exists() and "gender: [female" in kept.read_text(encoding="utf-8")


# --- close ------------------------------------------------------------------------------------------

def test_close_child_keeps_the_record_and_ends_its_pairings(repo):
    result = aimama(repo, "child", "close", CHILD, "--reason", "父母返乡", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    child = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    assert "status: closed" in child and "reason: guardian_returned" in child
    pairing = (repo / "records/pairings/P430621-0000P001.yaml").read_text(encoding="utf-8")
    assert f"ended_on: '{AS_OF}'" in pairing and "end_reason: child_closed" in pairing
    message = head_message(repo)
    assert "Aimama-Record: C430621-0000C001" in message and "Aimama-Record: P430621-0000P001" in message
    assert check_json(repo)[0] == 0
    again = aimama(repo, "child", "close", CHILD, "--reason", "moved_away", "--on", AS_OF)
    assert again.exit_code == 2 and "already closed" in again.stderr


def test_close_needs_a_known_reason(repo):
    result = aimama(repo, "volunteer", "close", VOLUNTEER, "--reason", "bored", "--on", AS_OF)
    assert result.exit_code == 2 and "withdrew" in result.stderr and clean(repo)


# --- vetting ----------------------------------------------------------------------------------------

def add_volunteer(repo, birth: dt.date, sequence: int = 994):
    number = make_id_number("430621", birth, sequence)
    result = aimama(repo, "volunteer", "add", "--name", "周敏", "--id-number", number,
                    "--phone", "13900008888", "--kind", "local", "--team", "T430621-0000T001",
                    "--village", "430621101201", "--skill", "cooking", "--capacity", "1",
                    "--on", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    return new_record(repo, "volunteers").rsplit("/", 1)[1][:-5]


CLEAR = ["--check", "criminal_record=clear:岳公（刑）证字〔2026〕0099号",
         "--check", "administrative_sanction=无问题", "--check", "administrative_penalty=clear"]


def test_vet_approve_records_checks_decider_and_date(repo):
    rid = add_volunteer(repo, dt.date(1980, 3, 1))
    assert "status: pending" in (repo / f"records/volunteers/{rid}.yaml").read_text(encoding="utf-8")
    result = aimama(repo, "volunteer", "vet", rid, "--approve", *CLEAR, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (repo / f"records/volunteers/{rid}.yaml").read_text(encoding="utf-8")
    assert "status: approved" in text and f"decided_by: {COORDINATOR}" in text  # from the git e-mail
    assert f"decided_on: '{AS_OF}'" in text and "岳公（刑）证字〔2026〕0099号" in text
    assert "Aimama-Command: volunteer vet" in head_message(repo)


@pytest.mark.parametrize("birth,age", [(dt.date(2009, 5, 1), 17), (dt.date(1955, 5, 1), 71)])
def test_vet_refuses_volunteers_too_young_or_too_old(repo, birth, age):
    rid = add_volunteer(repo, birth)
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "volunteer", "vet", rid, "--approve", *CLEAR, "--on", AS_OF)
    assert result.exit_code == 1, result.output
    assert "AM703" in result.stderr and str(age) in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)


def test_vet_approves_a_volunteer_aged_exactly_70(repo):
    rid = add_volunteer(repo, dt.date(1956, 11, 1))
    assert aimama(repo, "volunteer", "vet", rid, "--approve", *CLEAR, "--on", AS_OF).exit_code == 0


def test_vet_refuses_approval_with_an_administrative_penalty_found(repo):
    rid = add_volunteer(repo, dt.date(1980, 3, 1))
    checks = CLEAR[:-1] + ["administrative_penalty=found:行政处罚决定书〔2025〕12号"]
    result = aimama(repo, "volunteer", "vet", rid, "--approve", *checks, "--on", AS_OF)
    assert result.exit_code == 1 and "AM702" in result.stderr and clean(repo)


def test_vet_refuses_approval_without_the_required_checks(repo):
    rid = add_volunteer(repo, dt.date(1980, 3, 1))
    result = aimama(repo, "volunteer", "vet", rid, "--approve", *CLEAR[:2], "--on", AS_OF)
    assert result.exit_code == 1 and "AM701" in result.stderr


def test_reject_needs_a_reason_and_one_action(repo):
    rid = add_volunteer(repo, dt.date(1980, 3, 1))
    assert aimama(repo, "volunteer", "vet", rid, "--reject", "--on", AS_OF).exit_code == 2
    assert aimama(repo, "volunteer", "vet", rid, "--approve", "--reject", "--reason", "x").exit_code == 2
    result = aimama(repo, "volunteer", "vet", rid, "--reject", "--reason", "面谈未通过",
                    "--check", "interview=found:面谈记录", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "reason: 面谈未通过" in (repo / f"records/volunteers/{rid}.yaml").read_text(encoding="utf-8")


def test_vet_by_someone_who_is_not_a_coordinator_needs_by(repo, monkeypatch):
    rid = add_volunteer(repo, dt.date(1980, 3, 1))
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "stranger@example.org")
    result = aimama(repo, "volunteer", "vet", rid, "--approve", *CLEAR, "--on", AS_OF)
    assert result.exit_code == 2 and "--by" in result.stderr


def test_suspending_a_paired_volunteer_is_allowed_and_reported(repo):
    result = aimama(repo, "volunteer", "vet", VOLUNTEER, "--suspend", "--reason", "群众反映，调查中",
                    "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    code, report = check_json(repo)
    assert code == 0
    assert any(p["code"] == "AM709" for p in report["problems"])


# --- roster confirmation ------------------------------------------------------------------------------

def test_confirm_records_who_and_when(repo):
    add_child(repo)
    rid = new_record(repo, "children").rsplit("/", 1)[1][:-5]
    result = aimama(repo, "child", "confirm", rid, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (repo / f"records/children/{rid}.yaml").read_text(encoding="utf-8")
    assert f"confirmed_by: {COORDINATOR}" in text and f"confirmed_on: '{AS_OF}'" in text


def test_help_of_every_people_command_has_an_example():
    for kind, commands in (("child", ["add", "list", "show", "edit", "close", "confirm"]),
                           ("volunteer", ["add", "list", "show", "edit", "close", "vet"]),
                           ("team", ["add", "list", "show", "edit", "close"])):
        for command in commands:
            for lang, word in (("en", "Example:"), ("zh", "示例")):
                result = run("--lang", lang, kind, command, "--help")
                assert result.exit_code == 0 and word in result.output, (kind, command, lang)


def test_add_at_a_terminal_asks_for_what_is_missing(repo, monkeypatch):
    from typer.testing import CliRunner

    from aimama_cli.cli import get_app
    from aimama_cli.cli import record_commands as people_cli

    monkeypatch.setattr(people_cli, "_interactive", lambda: True)
    args = ["--root", str(repo), "child", "add", "--name", "赵小雨", "--village", "430621101201",
            "--on", AS_OF]
    # gender (a wrong answer first: asked again), birth date, categories, guardian, consent, source
    answers = "紫\n女\n2017-02-03\n留守儿童, 单亲家庭儿童\n赵奶奶\n祖母\n是\n村（社区）\n"
    result = CliRunner().invoke(get_app(args), args, input=answers)
    assert result.exit_code == 0, result.output
    text = (repo / new_record(repo, "children")).read_text(encoding="utf-8")
    assert "gender: female" in text and "categories: [left_behind, single_parent]" in text
    assert "relation: grandmother" in text and "source: village" in text


def test_two_branches_adding_children_merge_without_an_id_clash(repo):
    git(repo, "checkout", "-qb", "township-a")
    assert add_child(repo).exit_code == 0
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "township-b")
    assert add_child(repo).exit_code == 0
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "township-a")
    git(repo, "merge", "-q", "--no-edit", "township-b")  # no conflict: one new file per record
    children = sorted(p.name for p in (repo / "records/children").glob("*.yaml"))
    assert len(children) == 3 and len(set(children)) == 3
    code, report = check_json(repo)
    assert code == 0, report["problems"]


def test_a_change_commits_only_its_own_files(repo):
    """What the user staged or edited by hand stays staged or edited, out of aimama's commit."""
    (repo / "notes.txt").write_text("草稿\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    team = repo / "records/teams/T430621-0000T001.yaml"
    team.write_text(team.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    assert add_child(repo).exit_code == 0
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert len(committed) == 1 and committed[0].startswith("records/children/")
    status = git(repo, "status", "--porcelain")
    assert "A  notes.txt" in status and " M records/teams/T430621-0000T001.yaml" in status
    git(repo, "reset", "-q", "notes.txt")
    assert add_child(repo, "--set", "name=李小草").exit_code == 0  # nothing else staged: plain commit
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split()[0].startswith("records/children/")
    assert " M records/teams/T430621-0000T001.yaml" in git(repo, "status", "--porcelain")

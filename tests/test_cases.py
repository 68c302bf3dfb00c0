"""Referrals and case work (个案): a concern on a visit log, `aimama refer`, `case add|show|close|list`,
the case part of `duty check|remind`, and the case rules AM851-AM857."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, check_json, git, run

from aimama_cli.store.yamlio import decode, parse

CHILD, PAIRING, LOCAL = "C430621-0000C001", "P430621-0000P001", "V430621-0000V001"
VILLAGE_TEAM = "T430621-0000T001"
MIND, LAW, FAMILY = "T430621-0000T101", "T430621-0000T102", "T430621-0000T103"
COUNSELLOR = "V430621-0000V101"  # a professional volunteer of the mental-health team
TEAMS = {MIND: ("岳阳县心理健康服务队", "mental_health"), LAW: ("岳阳县法律援助服务队", "legal_aid"),
         FAMILY: ("岳阳县家庭教育服务队", "family_education")}


@pytest.fixture
def teams(repo) -> Path:
    """The base repository with a professional team of each kind and a counsellor."""
    for tid, (name, kind) in TEAMS.items():
        (repo / f"records/teams/{tid}.yaml").write_text(
            f"id: {tid}\nname: {name}\nlevel: professional\nkind: {kind}\nregion: '430621000000'\n"
            "leader: 测试队长\nstatus: active\n", encoding="utf-8")
    local = (repo / f"records/volunteers/{LOCAL}.yaml").read_text(encoding="utf-8")
    counsellor = (local.replace(LOCAL, COUNSELLOR).replace("李秀兰", "韩芳").replace("kind: local", "kind: professional")
                  .replace(VILLAGE_TEAM, MIND).replace("skills: [cooking, tutoring]", "skills: [psychology]")
                  .replace("13900002000", "13900002101"))
    counsellor = "\n".join(line for line in counsellor.splitlines() if not line.startswith("id_number"))
    (repo / f"records/volunteers/{COUNSELLOR}.yaml").write_text(counsellor + "\n", encoding="utf-8")
    git(repo, "add", "records")
    git(repo, "commit", "-qm", "professional teams")
    assert check_json(repo)[0] == 0
    return repo


def aimama(root: Path, *args):
    return run("--root", str(root), *args)


def opened(root: Path) -> str:
    """The id of the case the last commit added."""
    names = git(root, "show", "--name-only", "--format=", "HEAD").split()
    return [n.rsplit("/", 1)[1][:-5] for n in names if n.startswith("records/cases/")][0]


def case_data(root: Path, case: str) -> dict:
    return parse(decode((root / f"records/cases/{case}.yaml").read_bytes())).data


def duty_json(root: Path, as_of: str) -> dict:
    result = aimama(root, "duty", "check", "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def items(report: dict) -> dict[str, dict]:
    return {d["id"]: d for r in report["cases"]["results"] for d in r["duties"]}


def refer(root: Path, *args, on: str = "2026-10-21"):
    return aimama(root, "refer", CHILD, *args, "--on", on, "--as-of", AS_OF)


def refused_writing_nothing(root: Path, result, code: str) -> None:
    assert result.exit_code == 1, result.stderr
    assert code in result.stderr and "nothing was written" in result.stderr
    assert git(root, "status", "--porcelain") == ""


def concern(root: Path, day: str = "2026-10-20", risk: str = "high"):
    result = aimama(root, "log", "add", LOCAL, "--kind", "home_visit", "--check", "all", "--pairing", PAIRING, "--date", day,
                    "--concern", "孩子近来情绪低落，夜里睡不着", "--risk", risk, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return result


# --- from a visit's concern to a closed case ------------------------------------------------------

def test_a_concern_on_a_visit_is_referred_acted_on_and_closed(teams):
    concern(teams)
    entry = parse(decode((teams / f"records/activities/2026/{LOCAL}.yaml").read_bytes())).data["entries"][-1]
    assert entry["concern_risk"] == "high" and entry["concern"].startswith("孩子")

    result = refer(teams, "--to", "心理健康", "--from-log", f"{LOCAL}:2026-10-20")
    assert result.exit_code == 0, result.stderr
    case = opened(teams)
    assert case.startswith("K430621-")
    data = case_data(teams, case)
    assert data["team"] == MIND and data["risk_level"] == "high"  # the nearest team; the log's risk
    assert data["source"] == {"kind": "visit_concern", "volunteer": LOCAL, "date": "2026-10-20"}
    message = git(teams, "log", "-1", "--format=%B")
    assert message.startswith(f"aimama refer: {case}") and f"Aimama-Record: {case}" in message

    # not acted on within 3 days: overdue in duty check and duty remind, a warning in check
    report = duty_json(teams, "2026-10-28")
    first = items(report)["high_risk_first_action"]
    assert (first["status"], first["deadline"]) == ("overdue", "2026-10-24")
    assert report["cases"]["summary"]["cases_overdue"] == 1
    text = aimama(teams, "duty", "check", "--as-of", "2026-10-28").output
    assert "高风险转介 3 日内完成评估或干预" in text and "1 open" in text
    remind = aimama(teams, "duty", "remind", "--as-of", "2026-10-28")
    assert "岳阳县心理健康服务队 (T430621-0000T101) — cases" in remind.output
    assert "OVERDUE since 2026-10-24" in remind.output
    reminded = aimama(teams, "duty", "remind", "--as-of", "2026-10-28", "--format", "json").json()
    assert [i["case"] for t in reminded["teams"] for i in t["items"]][:1] == [case]
    code, checked = check_json(teams, "--as-of", "2026-10-28")
    late = [p for p in checked["problems"] if p["code"] == "AM857"]
    assert code == 0 and late and late[0]["severity"] == "warning" and late[0]["record"] == case
    assert check_json(teams, "--as-of", "2026-10-28", "--strict")[0] == 1
    strict = aimama(teams, "duty", "check", "--as-of", "2026-10-28", "--strict")
    assert strict.exit_code == 1

    # an intervention: met (late), follow-ups due every 30 days from it
    result = aimama(teams, "case", "add", case, "--step", "intervention", "--date", "2026-10-29", "--by", COUNSELLOR,
                    "--hours", "1.5", "--notes", "个体辅导，约定每周一次", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    step = case_data(teams, case)["steps"][0]
    assert step == {"date": "2026-10-29", "kind": "intervention", "by": COUNSELLOR, "hours": 1.5,
                    "notes": "个体辅导，约定每周一次"}
    found = items(duty_json(teams, AS_OF))
    assert found["high_risk_first_action"]["status"] == "met" and found["high_risk_first_action"]["late"]
    assert (found["follow_up"]["status"], found["follow_up"]["deadline"]) == ("due", "2026-11-28")
    assert not [p for p in check_json(teams)[1]["problems"] if p["code"] == "AM857"]

    # shown masked unless --reveal
    shown = aimama(teams, "case", "show", case, "--as-of", AS_OF).output
    assert "个体辅导" not in shown and "******" in shown and "韩芳" in shown and "due:" in shown
    assert "个体辅导" in aimama(teams, "case", "show", case, "--reveal", "--as-of", AS_OF).output

    result = aimama(teams, "case", "close", case, "--outcome", "情绪稳定，转为常规关爱", "--date", "2026-10-31",
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    data = case_data(teams, case)
    assert data["status"] == "closed" and data["closed"] == {"on": "2026-10-31", "reason": "resolved",
                                                            "outcome": "情绪稳定，转为常规关爱"}
    assert "cases" not in duty_json(teams, AS_OF)  # a closed case owes nothing
    assert aimama(teams, "case", "list", "--format", "json").json() == []
    listed = aimama(teams, "case", "list", "--all", "--format", "json").json()
    assert [(r["id"], r["status"], r["steps"]) for r in listed] == [(case, "closed", 1)]
    assert aimama(teams, "case", "list", "--all", "--region", "430621101", "--format", "json").json() == listed
    assert aimama(teams, "case", "list", "--all", "--region", "430621102", "--format", "json").json() == []
    again = aimama(teams, "case", "add", case, "--step", "follow_up", "--date", "2026-11-01", "--as-of", AS_OF)
    assert again.exit_code == 2 and "closed" in again.stderr

    history = aimama(teams, "history", case, "--format", "json")
    assert history.exit_code == 0, history.stderr
    text = aimama(teams, "history", case).output
    # unsigned commits: each command's trailer is shown, marked unverified (docs/signing.md)
    assert all(f"[{c} (unverified)]" in text for c in ("case close", "case add", "refer"))
    assert "情绪稳定" not in text  # sensitive values masked in history too


def test_legal_aid_application_handling_outcome_and_follow_up_visit(teams):
    result = refer(teams, "--to", "legal_aid", "--applicant", "监护人", "--summary", "抚养费纠纷", on="2026-09-01")
    assert result.exit_code == 0, result.stderr
    case = opened(teams)
    data = case_data(teams, case)
    assert data["source"] == {"kind": "application", "applicant": "guardian"} and data["team"] == LAW
    assert data["steps"] == [{"date": "2026-09-01", "kind": "application_registered"}]
    assert items(duty_json(teams, "2026-09-10"))["legal_handling"]["status"] == "due"
    for step, day in (("simplified_handling", "2026-09-12"), ("outcome", "2026-09-20")):
        result = aimama(teams, "case", "add", case, "--step", step, "--date", day, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
    found = items(duty_json(teams, AS_OF))
    assert found["legal_handling"]["status"] == "met"
    assert (found["legal_follow_up_visit"]["status"], found["legal_follow_up_visit"]["deadline"]) == ("overdue", "2026-10-20")
    assert aimama(teams, "case", "add", case, "--step", "结案回访", "--date", "2026-10-25", "--as-of", AS_OF).exit_code == 0
    assert git(teams, "log", "-1", "--format=%s").strip() == f"aimama case add: {case} follow_up_visit 2026-10-25"
    assert items(duty_json(teams, AS_OF))["legal_follow_up_visit"]["status"] == "met"


def test_family_education_archive_with_sessions(teams):
    missing = aimama(teams, "case", "list", "--missing", "家庭教育", "--format", "json").json()
    assert [r["id"] for r in missing] == [CHILD]  # her guardian has no consultation archive yet
    result = refer(teams, "--to", "family_education", on="2026-03-01")
    assert result.exit_code == 0, result.stderr
    case = opened(teams)
    assert aimama(teams, "case", "list", "--missing", "family_education", "--format", "json").json() == []
    assert case_data(teams, case)["source"] == {"kind": "registration"}
    assert items(duty_json(teams, "2026-05-01"))["family_sessions"]["status"] == "due"
    assert items(duty_json(teams, "2026-06-15"))["family_sessions"]["status"] == "overdue"
    assert aimama(teams, "case", "add", case, "--step", "session", "--date", "2026-06-20", "--hours", "2",
                  "--as-of", AS_OF).exit_code == 0
    late = items(duty_json(teams, AS_OF))["family_sessions"]
    assert (late["status"], late["deadline"]) == ("overdue", "2026-09-20")


def test_case_duties_are_data_in_aimama_yaml(teams):
    with (teams / "aimama.yaml").open("a", encoding="utf-8") as config:
        config.write("cases:\n  duties:\n    - {id: act_fast, name: 高风险转介10日内干预, case_kind: mental_health,\n"
                     "       risk: [high], kinds: [intervention], within_days: 10}\n")
    git(teams, "commit", "-qam", "slower")
    assert refer(teams, "--to", "mental_health", "--risk", "high").exit_code == 0
    found = items(duty_json(teams, "2026-10-28"))
    assert list(found) == ["act_fast"] and (found["act_fast"]["status"], found["act_fast"]["deadline"]) == ("due", "2026-10-31")


def test_duty_output_has_no_case_part_without_cases(teams):
    assert "cases" not in duty_json(teams, AS_OF)
    assert "cases as of" not in aimama(teams, "duty", "check", "--as-of", AS_OF).output
    assert "teams" not in aimama(teams, "duty", "remind", "--as-of", AS_OF, "--format", "json").json()


# --- refused, nothing written --------------------------------------------------------------------

def test_a_team_not_professional_or_of_another_kind_is_refused(teams):
    refused_writing_nothing(teams, refer(teams, "--to", "mental_health", "--risk", "low", "--team", VILLAGE_TEAM), "AM851")
    refused_writing_nothing(teams, refer(teams, "--to", "mental_health", "--risk", "low", "--team", LAW), "AM851")


def test_a_referral_from_a_visit_without_a_concern_is_refused(teams):
    refused_writing_nothing(teams, refer(teams, "--to", "mental_health", "--risk", "high",
                                         "--from-log", f"{LOCAL}:2026-10-03"), "AM852")
    assert refer(teams, "--to", "mental_health", "--from-log", LOCAL).exit_code == 2


def test_steps_before_the_opening_or_a_closing_before_the_last_step_are_refused(teams):
    assert refer(teams, "--to", "mental_health", "--risk", "medium").exit_code == 0
    case = opened(teams)
    early = aimama(teams, "case", "add", case, "--step", "assessment", "--date", "2026-10-01", "--as-of", AS_OF)
    refused_writing_nothing(teams, early, "AM853")
    assert aimama(teams, "case", "add", case, "--step", "assessment", "--date", "2026-10-25", "--as-of", AS_OF).exit_code == 0
    closing = aimama(teams, "case", "close", case, "--outcome", "好转", "--date", "2026-10-24", "--as-of", AS_OF)
    refused_writing_nothing(teams, closing, "AM853")


def test_a_step_in_the_future_is_refused(teams):
    assert refer(teams, "--to", "mental_health", "--risk", "low").exit_code == 0
    later = aimama(teams, "case", "add", opened(teams), "--step", "follow_up", "--date", "2026-11-20", "--as-of", AS_OF)
    refused_writing_nothing(teams, later, "AM505")


def test_a_closed_case_without_an_outcome_is_an_error(teams):
    assert refer(teams, "--to", "mental_health", "--risk", "low").exit_code == 0
    case = opened(teams)
    path = teams / f"records/cases/{case}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: open", "status: closed\nclosed:\n  on: '2026-10-30'"), encoding="utf-8")
    code, report = check_json(teams)
    assert code == 1 and [p["code"] for p in report["problems"]] == ["AM854"]
    path.write_text(text + "closed:\n  on: '2026-10-30'\n  outcome: 好转\n", encoding="utf-8")
    code, report = check_json(teams)
    assert code == 1 and [(p["code"], p["field"]) for p in report["problems"]] == [("AM854", "closed")]


def test_steps_and_risk_fit_the_kind_of_case(teams):
    refused_writing_nothing(teams, refer(teams, "--to", "mental_health"), "AM855")  # no risk level
    assert refer(teams, "--to", "legal_aid", "--applicant", "child").exit_code == 0
    wrong = aimama(teams, "case", "add", opened(teams), "--step", "assessment", "--date", "2026-10-25", "--as-of", AS_OF)
    refused_writing_nothing(teams, wrong, "AM855")


def test_one_open_case_of_a_kind_per_child(teams):
    assert refer(teams, "--to", "family_education").exit_code == 0
    first = opened(teams)
    again = refer(teams, "--to", "family_education", on="2026-10-25")
    refused_writing_nothing(teams, again, "AM856")
    assert first in again.stderr
    assert refer(teams, "--to", "legal_aid", "--applicant", "guardian").exit_code == 0  # another kind


def test_usage_errors(teams):
    assert aimama(teams, "refer", "C430621-00000000", "--to", "legal_aid").exit_code == 2  # unknown child
    assert refer(teams, "--to", "astrology").exit_code == 2
    (teams / f"records/teams/{LAW}.yaml").unlink()
    git(teams, "commit", "-qam", "no legal team")
    missing = refer(teams, "--to", "legal_aid")
    assert missing.exit_code == 2 and "team add" in missing.stderr
    assert aimama(teams, "case", "show", "K430621-00000000").exit_code == 2
    risk_alone = aimama(teams, "log", "add", LOCAL, "--kind", "phone_call", "--pairing", PAIRING, "--date", "2026-10-20",
                        "--risk", "high", "--as-of", AS_OF)
    assert risk_alone.exit_code == 2 and git(teams, "status", "--porcelain") == ""


@pytest.mark.parametrize("command", [["refer"], ["case"], ["case", "add"], ["case", "show"], ["case", "close"],
                                     ["case", "list"]])
def test_help_has_examples_in_both_languages(command):
    for lang, word in (("en", "Example:"), ("zh", "示例")):
        result = run("--lang", lang, *command, "--help")
        assert result.exit_code == 0 and word in result.output


def test_report_cases_per_team(teams):
    assert refer(teams, "--to", "mental_health", "--risk", "high", on="2026-10-21").exit_code == 0
    case = opened(teams)
    for day, hours in (("2026-10-22", "1.5"), ("2026-10-23", "0.3")):
        assert aimama(teams, "case", "add", case, "--step", "assessment", "--date", day, "--hours", hours,
                      "--as-of", AS_OF).exit_code == 0
    assert refer(teams, "--to", "legal_aid", "--applicant", "child", on="2026-09-01").exit_code == 0  # overdue
    report = aimama(teams, "report", "cases", "--as-of", AS_OF, "--format", "json").json()
    rows = {r["team"]: r for r in report["teams"]}
    assert list(rows) == [MIND, LAW, FAMILY] and report["year"] == 2026
    assert (rows[MIND]["open"], rows[MIND]["high_risk"], rows[MIND]["steps"], rows[MIND]["hours"]) == (1, 1, 2, 1.8)
    assert (rows[LAW]["opened"], rows[LAW]["overdue"], rows[LAW]["steps"]) == (1, 1, 1)
    assert rows[FAMILY]["opened"] == 0
    assert report["total"]["opened"] == 2 and report["total"]["hours"] == 1.8
    table = aimama(teams, "report", "cases", "--as-of", AS_OF).output
    assert "岳阳县心理健康服务队" in table and "Total" in table


def test_closing_a_child_closes_her_open_cases(teams):
    assert refer(teams, "--to", "legal_aid", "--applicant", "guardian", on="2026-09-01").exit_code == 0
    case = opened(teams)
    result = aimama(teams, "child", "close", CHILD, "--reason", "moved_away", "--on", "2026-10-30")
    assert result.exit_code == 0, result.stderr
    closed = case_data(teams, case)
    assert closed["status"] == "closed" and closed["closed"]["reason"] == "child_closed"
    assert closed["closed"]["on"] == "2026-10-30" and closed["closed"]["outcome"]
    assert f"Aimama-Record: {case}" in git(teams, "log", "-1", "--format=%B")
    assert check_json(teams)[0] == 0


def test_an_incremental_check_sees_the_concern_come_and_go(teams):
    """A case depends on another volunteer's log: a check that reuses the last results judges it
    again when the log changes, and agrees with a check from scratch."""
    case = teams / "records/cases/K430621-0000K001.yaml"
    case.parent.mkdir(exist_ok=True)
    case.write_text(f"id: K430621-0000K001\nkind: mental_health\nchild: {CHILD}\nteam: {MIND}\n"
                    f"opened_on: '2026-10-04'\nsource:\n  kind: visit_concern\n  volunteer: {LOCAL}\n"
                    "  date: '2026-10-03'\nrisk_level: low\nstatus: open\n", encoding="utf-8")
    log = teams / f"records/activities/2026/{LOCAL}.yaml"
    text = log.read_text(encoding="utf-8")
    noted = text.replace("    details: 国庆节带孩子参加", "    concern: 最近不愿上学\n    details: 国庆节带孩子参加")
    seen = []
    for content in (text, noted, text):
        log.write_text(content, encoding="utf-8")
        incremental, scratch = check_json(teams), check_json(teams, "--no-cache")
        assert incremental == scratch
        seen.append([p["code"] for p in incremental[1]["problems"] if p["severity"] == "error"])
    assert seen == [["AM852"], [], ["AM852"]]

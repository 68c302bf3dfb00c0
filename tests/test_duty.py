"""``aimama duty check|remind`` on the demo records, with activity logs written for the test."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import yaml
from conftest import PROJECT, git, run

from aimama_cli.model import duties
from aimama_cli.store import queries

PAIRING, CHILD, VOLUNTEER = "P430621-ES6P2K14", "C430621-7EBVH5KN", "V430621-6EWXMFTT"  # 朱晨曦, 林静
OTHER_CHILD = "C430621-TRTGBFZR"  # 李梓萱, 林静's other child
PLEDGE_2026 = "records/pledges/2026/S430621-3W9P93XB.yaml"
PROGRAMMES = ["yueyang-agency", "jiangxi-six", "qinghai-seven", "jiangsu-five"]
FIRST_DAY = {"month": [dt.date(2026, m, 5) for m in range(1, 13)],
             "quarter": [dt.date(2026, m, 5) for m in (1, 4, 7, 10)],
             "year": [dt.date(2026, 1, 5)], "visit": []}


def programme(name: str) -> dict:
    return yaml.safe_load((PROJECT / "records" / "programmes" / f"{name}.yaml").read_text("utf-8"))


def use_programme(root, name: str) -> None:
    """Remote volunteers (林静) follow ``name``: in aimama.yaml and in her 2026 pledge."""
    config = root / "aimama.yaml"
    text = re.sub(r"programme: yueyang-agency\n    volunteer_kind: remote",
                  f"programme: {name}\n    volunteer_kind: remote", config.read_text("utf-8"))
    config.write_text(text, "utf-8")
    pledge = root / PLEDGE_2026
    pledge.write_text(pledge.read_text("utf-8").replace("programme: yueyang-agency", f"programme: {name}"), "utf-8")


def entries_meeting(prog: dict, skip: str | None = None, child: str = CHILD) -> list[dict]:
    """A year of log entries for 朱晨曦 meeting every duty of ``prog`` but ``skip``: one entry
    per period of each duty, of its first kind; every visit with the whole checklist."""
    checklist = [item["id"] for d in prog["duties"] for item in d.get("checklist", ())]
    visit_kinds = {k for d in prog["duties"] if d["per"] == "visit" for k in d["kinds"]}
    entries = []
    for duty in prog["duties"]:
        if duty["id"] == skip and duty["per"] != "visit":
            continue
        kind = duty["kinds"][0]
        days = FIRST_DAY[duty["per"]] or [dt.date(2026, 3, 9)]
        for day in days:
            entry = {"date": day.isoformat(), "child": child, "kinds": [kind], "contact": "made", "hours": 1}
            if kind == "micro_wish":
                entry["micro_wish"] = {"wish": "一个书包", "fulfilled_on": day.isoformat()}
            if kind == "book":
                entry["book"] = {"title": "《草房子》"}
            if kind == "insurance":
                entry["insurance"] = {"insurer": "示例保险公司", "policy_no": "DEMO-0001",
                                      "from": "2026-01-01", "to": "2026-12-31"}
            entries.append(entry)
    for entry in entries:
        if visit_kinds.intersection(entry["kinds"]):
            entry["checklist"] = list(checklist)
    if skip and any(d["id"] == skip and d["per"] == "visit" for d in prog["duties"]):
        visits = [e for e in entries if "checklist" in e]
        visits[0]["checklist"] = checklist[1:]  # one visit leaves out the first item
    return sorted(entries, key=lambda e: e["date"])


def write_log(root, entries: list[dict], year: int = 2026) -> None:
    path = root / "records" / "activities" / str(year) / f"{VOLUNTEER}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"volunteer": VOLUNTEER, "year": year, "entries": entries},
                                   allow_unicode=True, sort_keys=False), "utf-8")


def duties_of(root, *args, as_of="2027-01-15") -> dict:
    result = run("--root", str(root), "duty", "check", "--year", "2026", "--as-of", as_of,
                 "--volunteer", VOLUNTEER, "--format", "json", *args)
    assert result.exit_code == 0, result.output + result.stderr
    report = result.json()
    (pairing,) = [p for p in report["pairings"] if p["pairing"] == PAIRING]
    return {d["id"]: d for d in pairing["duties"]}


@pytest.mark.parametrize("name", PROGRAMMES)
def test_a_pairing_meeting_every_duty_then_missing_each_in_turn(demo, name):
    prog = programme(name)
    use_programme(demo, name)
    write_log(demo, entries_meeting(prog))
    found = duties_of(demo)
    assert {k: d["status"] for k, d in found.items()} == {d["id"]: "met" for d in prog["duties"]}
    for duty in prog["duties"]:
        write_log(demo, entries_meeting(prog, skip=duty["id"]))
        found = duties_of(demo)
        statuses = {k: d["status"] for k, d in found.items()}
        assert statuses[duty["id"]] == "overdue", (duty["id"], statuses)
        assert all(s == "met" for k, s in statuses.items() if k != duty["id"]), (duty["id"], statuses)


def test_the_village_programme_checks_every_visit_and_the_team_focuses(demo):
    """李秀英 (local) visits 刘若曦 without cooking a meal once: 一看二联三问四帮 is overdue."""
    result = run("--root", str(demo), "duty", "check", "--as-of", "2026-11-01", "--format", "json",
                 "--volunteer", "V430621-D8SWJN5W")
    pairing = [p for p in result.json()["pairings"] if p["pairing"] == "P430621-S9DYTQB0"][0]
    checklist = {d["id"]: d for d in pairing["duties"]}["visit_checklist"]
    assert checklist["status"] == "overdue"
    assert {"date": "2026-01-06", "missed": ["help_meal"], "missed_names": ["帮做一顿饭"]} in checklist["incomplete"]
    table = run("--root", str(demo), "--lang", "zh", "duty", "check", "--as-of", "2026-11-01",
                "--volunteer", "V430621-D8SWJN5W").output  # the item as the programme words it, not its id
    assert "走访清单未完成：2026-01-06 (帮做一顿饭)" in table and "help_meal" not in table
    assert {"visit_checklist", "regular_visit", "safety_education", "after_school_care",
            "group_activity"} <= {d["id"] for d in pairing["duties"]}


@pytest.mark.parametrize("year, festival", [(2026, "2026-02-17"), (2027, "2027-02-06")])
def test_micro_wish_falls_due_at_spring_festival_before_the_birthday(demo, year, festival):
    """朱晨曦 was born on 2 April: Spring Festival comes first."""
    result = run("--root", str(demo), "duty", "check", "--year", str(year), "--as-of", f"{year}-01-10",
                 "--volunteer", VOLUNTEER, "--format", "json")
    pairing = [p for p in result.json()["pairings"] if p["pairing"] == PAIRING][0]
    wish = {d["id"]: d for d in pairing["duties"]}["micro_wish"]
    assert wish["deadline"] == festival and wish["status"] == "due"


def test_micro_wish_falls_due_on_the_birthday_when_it_comes_first(demo):
    child = demo / "records" / "children" / f"{CHILD}.yaml"
    child.write_text(child.read_text("utf-8").replace("birth_date: '2013-04-02'", "birth_date: '2013-01-20'"), "utf-8")
    wish = duties_of(demo, as_of="2026-03-01")["micro_wish"]
    assert wish["deadline"] == "2026-01-20"


def test_spring_festival_is_right_for_every_year_2020_to_2035():
    published = ["2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
                 "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23",
                 "2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08"]
    assert [duties.spring_festival(y).isoformat() for y in range(2020, 2036)] == published


def test_a_pairing_begun_in_october_owes_a_pro_rated_share(demo):
    path = demo / "records" / "pairings" / f"{PAIRING}.yaml"
    path.write_text(path.read_text("utf-8").replace("started_on: '2025-09-10'", "started_on: '2026-10-10'"), "utf-8")
    write_log(demo, [{"date": "2026-10-12", "child": CHILD, "kinds": ["phone_call"], "contact": "made"},
                     {"date": "2026-11-03", "child": CHILD, "kinds": ["wechat"], "contact": "made"}])
    found = duties_of(demo, as_of="2026-12-10")
    contact = found["regular_contact"]
    assert contact["status"] == "due" and contact["deadline"] == "2026-12-31"
    assert (contact["owed"], contact["done"]) == (3, 2)  # October (22 of 31 days), November, December
    assert found["home_visit"]["status"] == "not_applicable"  # 83 days of a year owe no yearly visit
    assert found["home_visit"]["owed"] == 0
    assert duties.owed(1, 22, 31) == 1 and duties.owed(1, 12, 31) == 0 and duties.owed(1, 183, 365) == 1


def insured(demo, *periods) -> dict:
    """Only the policies in ``periods`` (the demo's 2025 log bought one too)."""
    write_log(demo, [{"date": "2025-12-01", "child": CHILD, "kinds": ["phone_call"], "contact": "made"}], 2025)
    write_log(demo, [{"date": "2026-01-02", "child": CHILD, "kinds": ["insurance"], "contact": "made",
                      "insurance": {"insurer": "示例保险公司", "policy_no": f"DEMO-{i}", "from": a, "to": b}}
                     for i, (a, b) in enumerate(periods)])
    return duties_of(demo, as_of="2026-11-15")["insurance"]


def test_insurance_with_a_gap_is_overdue_and_names_the_gap(demo):
    found = insured(demo, ("2025-12-20", "2026-05-31"), ("2026-07-01", "2027-06-30"))
    assert found["status"] == "overdue" and found["gaps"] == [["2026-06-01", "2026-06-30"]]


def test_insurance_running_out_before_the_year_ends_is_due_on_its_last_day(demo):
    found = insured(demo, ("2026-01-01", "2026-11-30"))
    assert found["status"] == "due" and found["deadline"] == "2026-11-30"
    assert insured(demo, ("2025-07-01", "2026-06-30"), ("2026-07-01", "2027-06-30"))["status"] == "met"


def test_strict_exits_1_when_a_duty_is_overdue(demo):
    args = ("--root", str(demo), "duty", "check", "--as-of", "2026-11-01")
    relaxed, strict = run(*args), run(*args, "--strict")
    assert relaxed.exit_code == 0 and "OVERDUE" in relaxed.output
    assert strict.exit_code == 1
    # 林静 meets every duty for both her children: --strict passes for her
    prog = programme("jiangxi-six")
    use_programme(demo, "jiangxi-six")
    write_log(demo, sorted(entries_meeting(prog) + entries_meeting(prog, child=OTHER_CHILD),
                           key=lambda e: e["date"]))
    mine = ("--root", str(demo), "duty", "check", "--year", "2026", "--as-of", "2027-01-15",
            "--volunteer", VOLUNTEER)
    assert run(*mine, "--strict").exit_code == 0
    write_log(demo, entries_meeting(prog))  # 李梓萱 is left out
    assert run(*mine, "--strict").exit_code == 1


def test_remind_lists_what_falls_due_and_children_not_reached(demo):
    write_log(demo, [{"date": "2026-09-01", "child": CHILD, "kinds": ["phone_call"], "contact": "made"},
                     {"date": "2026-10-01", "child": CHILD, "kinds": ["phone_call"], "contact": "attempted"},
                     {"date": "2026-10-20", "child": CHILD, "kinds": ["wechat"], "contact": "attempted"},
                     {"date": "2026-01-02", "child": CHILD, "kinds": ["insurance"], "contact": "made",
                      "insurance": {"insurer": "示例保险公司", "policy_no": "X", "from": "2026-01-01",
                                    "to": "2026-11-20"}}])
    result = run("--root", str(demo), "duty", "remind", "--as-of", "2026-11-01", "--within", "30d",
                 "--volunteer", VOLUNTEER)
    assert result.exit_code == 0
    text = result.output
    assert "林静 (V430621-6EWXMFTT" in text
    assert "朱晨曦: no successful contact for 61 days (last 2026-09-01; 2 attempts since)" in text
    assert "朱晨曦: 购买一份意外伤害保险 — by 2026-11-20" in text
    assert "朱晨曦: 每月电话或微信联系 — OVERDUE" in text  # October had only attempts
    shorter = run("--root", str(demo), "duty", "remind", "--as-of", "2026-11-01", "--within", "1w",
                  "--volunteer", VOLUNTEER, "--format", "json").json()
    items = [i for v in shorter["volunteers"] for i in v["items"] if i["child"] == CHILD]
    assert not any(i.get("duty", {}).get("id") == "insurance" for i in items)  # 19 days away
    assert shorter["within_days"] == 7


def test_usage_errors_exit_2(demo):
    assert run("--root", str(demo), "duty", "check", "--volunteer", "V430621-NOSUCH00").exit_code == 2
    assert run("--root", str(demo), "duty", "remind", "--within", "soon").exit_code == 2
    assert run("--root", str(demo), "duty", "check", "--year", "1999").exit_code == 2


def test_check_warns_of_overdue_duties_and_strict_makes_them_errors(demo):
    args = ("--root", str(demo), "check", "--as-of", "2026-11-01", "--format", "json")
    result = run(*args)
    assert result.exit_code == 0
    late = {p["record"]: p for p in result.json()["problems"] if p["code"] == "AM821"}
    assert late["P430621-S9DYTQB0"]["severity"] == "warning"
    assert "一看二联三问四帮" in late["P430621-S9DYTQB0"]["message"]
    assert late["P430621-S9DYTQB0"]["file"] == "records/pairings/P430621-S9DYTQB0.yaml"
    assert run(*args, "--strict").exit_code == 1
    # the duties met, the warning goes (the index notices the new log)
    write_log(demo, entries_meeting(programme("yueyang-agency")) + entries_meeting(
        programme("yueyang-agency"), child=OTHER_CHILD))
    again = {p["record"] for p in run("--root", str(demo), "check", "--as-of", "2026-11-01", "--format",
                                      "json").json()["problems"] if p["code"] == "AM821"}
    assert "P430621-S9DYTQB0" in again and PAIRING not in again


def test_check_warns_of_paired_volunteers_without_this_years_pledge_after_march(demo):
    def unsigned(day):
        result = run("--root", str(demo), "check", "--as-of", day, "--format", "json")
        return {p["record"] for p in result.json()["problems"] if p["code"] == "AM822"}

    assert unsigned("2026-11-01") == set()  # every paired volunteer signed for 2026
    assert unsigned("2027-03-31") == set()  # 2027's pledges may still come
    late = unsigned("2027-04-01")
    assert VOLUNTEER in late and "V430621-D8SWJN5W" in late
    assert "V430621-DAYM02PW" in late
    # a 2027 pledge written by hand without its volunteer (a problem of its own) signs for no one
    (demo / "records/pledges/2027").mkdir()
    (demo / "records/pledges/2027/S430621-0000S027.yaml").write_text(
        "id: S430621-0000S027\nteam: T430621-0000T001\nyear: 2027\nsigned_on: '2027-03-01'\n", "utf-8")
    assert unsigned("2027-04-01") == late
    assert unsigned("2027-04-02") == late


def test_a_log_that_cannot_be_read_is_named_not_silently_counted_as_nothing(demo):
    path = "records/activities/2026/V430621-6EWXMFTT.yaml"
    (demo / path).write_text("volunteer: V430621-6EWXMFTT\nyear: 2026\nentries:\n  - date: [\n", "utf-8")
    result = run("--root", str(demo), "duty", "check", "--as-of", "2026-11-01", "--volunteer", VOLUNTEER,
                 "--format", "json")
    assert result.exit_code == 0
    assert result.json()["unreadable"] == [path]
    assert f"{path} cannot be read" in result.stderr


def test_judging_in_worker_processes_gives_what_one_process_gives(demo, monkeypatch):
    """A province is judged on every core (duties.in_parts): the report must not depend on it."""
    def outputs():
        found = []
        for args in (("check", "--format", "json"), ("check", "--show", "all"), ("remind", "--format", "json"),
                     ("remind",), ("check", "--region", "430621", "--format", "json"),
                     ("check", "--volunteer", "V430621-8A4JPTKM", "--format", "json")):
            result = run("--root", str(demo), "duty", *args, "--as-of", "2026-11-01")
            assert result.exit_code == 0, result.output + result.stderr
            found.append(result.output)
        return found

    broken = demo / "records/activities/2026/V430621-6EWXMFTT.yaml"
    broken.write_text("volunteer: V430621-6EWXMFTT\nyear: 2026\nentries:\n  - date: [\n", "utf-8")
    alone = outputs()
    assert '"unreadable": ["records/activities/2026/V430621-6EWXMFTT.yaml"]' in alone[0]
    assert '"unreadable": []' in alone[-1]  # another volunteer's broken log is not hers
    monkeypatch.setattr(duties, "PARALLEL_FROM", 1)
    # every log and pledge read, the wanted volunteers' kept, from the first volunteer on
    monkeypatch.setattr(queries, "MANY_IDS", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert outputs() == alone
    assert len(run("--root", str(demo), "duty", "check", "--as-of", "2026-11-01", "--format", "json")
               .json()["pairings"]) > 3  # three parts, each with pairings
    from aimama_cli.store import index as index_module

    here, opened = os.getpid(), index_module.open_file
    monkeypatch.setattr(index_module, "open_file",  # workers that cannot open the index file
                        lambda *args: opened(*args) if os.getpid() == here else None)
    assert outputs() == alone  # their parts judged here, not left out


# The real console script in a process of its own, a module's threshold for worker processes
# lowered and each worker held up long enough to kill the command under it.
_HELD_WORKERS = """
import importlib, os, pathlib, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal, whatever ran the tests
module, threshold, name, marks = sys.argv[1:5]
module = importlib.import_module(module)
setattr(module, threshold, 1)
os.sched_getaffinity = lambda _pid: {0, 1}
work, marks = getattr(module, name), pathlib.Path(marks)
def held(*args):
    (marks / str(os.getpid())).touch()
    time.sleep(4)
    return work(*args)
setattr(module, name, held)
sys.argv = ["aimama", *sys.argv[5:]]
from aimama_cli.entry import main
main()
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
@pytest.mark.parametrize("workers", [  # judging duties; reading every file; the rules judged apart; a plan
    ("aimama_cli.model.duties", "PARALLEL_FROM", "_judge_part", "duty", "check", "--as-of", "2026-11-01"),
    ("aimama_cli.store.index", "PARALLEL_THRESHOLD", "_analyse_chunk", "check", "--no-cache", "--as-of", "2026-11-01"),
    ("aimama_cli.rules.checker", "APART_FROM", "_judge_apart", "check", "--as-of", "2026-11-01"),
    ("aimama_cli.domain.planning", "PARALLEL_FROM", "_plan_part", "pair", "plan", "--dry-run", "--on", "2026-11-01")])
def test_a_command_killed_while_its_workers_run_leaves_no_worker_and_no_traceback(demo, tmp_path, how, workers):
    """kill -9 (or Ctrl-C) of a command whose forked workers are busy: the workers stop with it,
    at once and silently, instead of finishing into a closed pipe with a traceback."""
    marks = tmp_path / "marks"
    marks.mkdir()
    command = subprocess.Popen(
        [sys.executable, "-c", _HELD_WORKERS, *workers[:3], str(marks), "--root", str(demo), *workers[3:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp_path)})  # what kill -9 leaves behind stays in the test's folder
    deadline = time.monotonic() + 60
    while not any(marks.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(marks.iterdir()), command.stderr.read().decode()
    workers = [int(line) for line in subprocess.run(["pgrep", "-P", str(command.pid)], capture_output=True,
                                                    text=True).stdout.split()]
    assert workers
    os.kill(command.pid if how == signal.SIGKILL else -command.pid, how)  # Ctrl-C reaches the whole group
    started = time.monotonic()
    _out, err = command.communicate(timeout=30)  # the pipe closes when every worker has gone
    assert time.monotonic() - started < 3, "the workers outlived the command"
    assert "Traceback" not in err.decode(), err.decode()
    while [pid for pid in workers if _running(pid)] and time.monotonic() - started < 3:
        time.sleep(0.05)  # (a worker closes its pipes a moment before it is gone)
    assert not [pid for pid in workers if _running(pid)]
    if how == signal.SIGINT:  # the command itself says it was interrupted, once
        assert command.returncode == 130 and err.decode().count("interrupted") == 1, err.decode()


_FAILING_WORKER = """
import os, signal, sys
import aimama_cli.model.duties as duties
from aimama_cli.core.errors import UsageError
duties.PARALLEL_FROM = 1
os.sched_getaffinity = lambda _pid: {0, 1}
work, how = duties._judge_part, sys.argv[1]
def failing(i):
    if i == 1:
        if how == "killed":
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        raise UsageError("git.failed", detail="the worker's own words")
    return work(i)
duties._judge_part = failing
sys.argv = ["aimama", *sys.argv[2:]]
from aimama_cli.entry import main
main()
"""


@pytest.mark.parametrize("how, said", [("killed", "worker process 1 stopped without its answer (exit code -9)"),
                                       ("raises", "git failed: the worker's own words")])
def test_a_worker_killed_or_failing_ends_the_command_with_one_line_not_a_hang(demo, how, said):
    """A worker of the duty judging killed from outside (out of memory) or failing: the command
    says so in one line and exits 2, at once, and nothing was written."""
    command = subprocess.run([sys.executable, "-c", _FAILING_WORKER, how, "--root", str(demo), "report", "duties",
                              "--as-of", "2026-11-01", "--no-cache"], capture_output=True, text=True, timeout=60)
    assert command.returncode == 2, command.stderr
    assert said in command.stderr and "Traceback" not in command.stderr, command.stderr
    assert command.stdout == ""
    assert git(demo, "status", "--porcelain") == ""


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("headers", [["编号", "儿童", "说明"], ["pairing", "child", "a rather long header"]])
def test_the_duty_table_is_laid_out_as_tabulate_lays_it_out(headers):
    """duty check draws its long table itself (views.simple_table): it must look like every
    other table of aimama (tabulate's "simple")."""
    from tabulate import tabulate

    from aimama_cli.reports.views import simple_table

    rows = [["P430621-ES6P2K14", "朱晨曦", "每月联系 2026-09, 2026-10"], ["P1", "", ""], ["", "", ""],
            ["P430621-0BRXJNW7", "李梓萱 (C430621-TRTGBFZR)", "done 1 of 2, late"]]
    assert simple_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)

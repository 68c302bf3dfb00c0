"""pair create|end|suggest|plan through the CLI: the rules of check refuse what may not be
paired, suggestions explain their score, and a plan is optimal and lands on its own branch."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys

from conftest import AS_OF, PROJECT, check_json, git, run

CHILD = "C430621-0000C001"
VOLUNTEER = "V430621-0000V001"
PAIRING = "P430621-0000P001"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def last_added(repo, folder):
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return [n.rsplit("/", 1)[1][:-5] for n in names if n.startswith(f"records/{folder}/")]


def add_child(repo, name="赵小树", village="430621101201", consent=True, confirm=True, *extra):
    args = ["child", "add", "--name", name, "--gender", "male", "--birth-date", "2016-02-02",
            "--category", "left_behind", "--village", village, "--guardian-name", "赵奶奶",
            "--guardian-relation", "grandmother", "--source", "village", "--on", "2026-09-01", *extra]
    if consent:
        args += ["--consent-date", "2026-09-01"]
    else:
        args += ["--set", "guardian.consent.given=false"]
    result = aimama(repo, *args)
    assert result.exit_code == 0, result.stderr
    rid = last_added(repo, "children")[0]
    if confirm:
        assert aimama(repo, "child", "confirm", rid, "--on", "2026-09-02").exit_code == 0
    return rid


def add_volunteer(repo, name="孙丽", village="430621101201", kind="local", skills=("cooking",),
                  capacity=1, approve=True):
    args = ["volunteer", "add", "--name", name, "--gender", "female", "--birth-date", "1982-01-01",
            "--phone", "13900006666", "--kind", kind, "--team", "T430621-0000T001", "--village", village,
            "--capacity", str(capacity), "--on", "2026-08-01"]
    for skill in skills:
        args += ["--skill", skill]
    assert aimama(repo, *args).exit_code == 0
    rid = last_added(repo, "volunteers")[0]
    if approve:
        result = aimama(repo, "volunteer", "vet", rid, "--approve", "--on", "2026-08-15",
                        "--check", "criminal_record=clear", "--check", "administrative_sanction=clear",
                        "--check", "administrative_penalty=clear")
        assert result.exit_code == 0, result.stderr
    return rid


def clean(repo):
    return git(repo, "status", "--porcelain") == ""


# --- create and end -------------------------------------------------------------------------------

def test_create_writes_one_pairing_and_commits(repo):
    child, volunteer = add_child(repo), add_volunteer(repo)
    result = aimama(repo, "pair", "create", child, volunteer, "--role", "本地", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    pid = last_added(repo, "pairings")[0]
    text = (repo / f"records/pairings/{pid}.yaml").read_text(encoding="utf-8")
    assert f"child: {child}" in text and f"volunteer: {volunteer}" in text and "role: local" in text
    assert f"started_on: '{AS_OF}'" in text and pid.startswith("P430621-")
    assert check_json(repo)[0] == 0


def refused(repo, *args, code):
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "pair", "create", *args, "--on", AS_OF)
    assert result.exit_code == 1, result.output + result.stderr
    assert code in result.stderr and "nothing was written" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)


def test_refused_without_guardian_consent(repo):
    refused(repo, add_child(repo, consent=False), add_volunteer(repo), code="AM602")


def test_refused_without_roster_confirmation(repo):
    refused(repo, add_child(repo, confirm=False), add_volunteer(repo), code="AM602")


def test_refused_for_a_volunteer_not_yet_approved(repo):
    refused(repo, add_child(repo), add_volunteer(repo, approve=False), code="AM708")


def test_refused_for_a_volunteer_at_capacity(repo):
    volunteer = add_volunteer(repo, capacity=1)
    assert aimama(repo, "pair", "create", add_child(repo), volunteer, "--on", AS_OF).exit_code == 0
    refused(repo, add_child(repo, name="赵小林"), volunteer, code="AM710")


def test_refused_when_already_actively_paired(repo):
    refused(repo, CHILD, VOLUNTEER, code="AM711")


def test_refused_for_a_closed_child(repo):
    child = add_child(repo)
    assert aimama(repo, "child", "close", child, "--reason", "moved_away", "--on", "2026-10-01").exit_code == 0
    refused(repo, child, add_volunteer(repo), code="AM712")


def test_refused_for_a_suspended_volunteer(repo):
    volunteer = add_volunteer(repo)
    assert aimama(repo, "volunteer", "vet", volunteer, "--suspend", "--reason", "调查中",
                  "--on", "2026-10-01").exit_code == 0
    refused(repo, add_child(repo), volunteer, code="AM712")


def test_check_finds_pairings_written_by_hand_after_a_closure_or_a_suspension(repo):
    """What pair create refuses (AM712), written by hand instead: a full check finds each
    pairing begun on or after its child was closed or its volunteer suspended — with the
    index, after the change, and without it."""
    child, volunteer = add_child(repo), add_volunteer(repo, name="孙梅")
    assert aimama(repo, "child", "close", child, "--reason", "moved_away", "--on", "2026-10-01").exit_code == 0
    assert aimama(repo, "volunteer", "vet", volunteer, "--suspend", "--reason", "调查中",
                  "--on", "2026-10-01").exit_code == 0
    check_json(repo)  # the index judged before the pairings are written
    for rid, (who_child, who_volunteer) in {"P430621-0000P101": (child, VOLUNTEER),
                                            "P430621-0000P102": (CHILD, volunteer)}.items():
        (repo / "records" / "pairings" / f"{rid}.yaml").write_text(
            f"id: {rid}\nchild: {who_child}\nvolunteer: {who_volunteer}\nrole: remote\n"
            "started_on: '2026-10-02'\n", encoding="utf-8")
    found = check_json(repo)
    assert found == check_json(repo, "--no-cache")
    named = {p["record"]: p["message"] for p in found[1]["problems"] if p["code"] == "AM712"}
    assert set(named) == {"P430621-0000P101", "P430621-0000P102"}
    assert child in named["P430621-0000P101"] and volunteer in named["P430621-0000P102"]


def test_unknown_child_is_exit_2(repo):
    result = aimama(repo, "pair", "create", "C430621-NOSUCH01", VOLUNTEER, "--on", AS_OF)
    assert result.exit_code == 2


def test_end_records_date_and_reason(repo):
    result = aimama(repo, "pair", "end", PAIRING, "--reason", "调整结对", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (repo / f"records/pairings/{PAIRING}.yaml").read_text(encoding="utf-8")
    assert f"ended_on: '{AS_OF}'" in text and "end_reason: reassigned" in text
    again = aimama(repo, "pair", "end", PAIRING, "--reason", "other", "--on", AS_OF)
    assert again.exit_code == 2 and "already ended" in again.stderr


def test_child_whose_only_local_volunteer_left_is_reported(repo):
    assert aimama(repo, "volunteer", "close", VOLUNTEER, "--reason", "moved_away", "--on", AS_OF).exit_code == 0
    code, report = check_json(repo)
    assert code == 0
    assert any(p["code"] == "AM713" and p["record"] == CHILD for p in report["problems"])


# --- suggest --------------------------------------------------------------------------------------

def test_suggest_ranks_with_reasons(repo):
    child = add_child(repo, "钱小米", "430621101201", True, True, "--need", "study")
    near = add_volunteer(repo, "同村", "430621101201", skills=("cooking",))
    tutor = add_volunteer(repo, "家教", "430621101202", skills=("tutoring",))
    result = aimama(repo, "pair", "suggest", child, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    ranked = result.json()["candidates"]
    order = [c["volunteer"] for c in ranked]
    assert {near, tutor} <= set(order)
    assert [c["score"] for c in ranked] == sorted((c["score"] for c in ranked), reverse=True)
    for c in ranked:
        assert abs(sum(c["parts"].values()) - c["score"]) < 0.05
    by_id = {c["volunteer"]: c for c in ranked}
    assert by_id[tutor]["parts"]["needs"] > 0 and by_id[near]["parts"]["needs"] == 0
    assert by_id[near]["parts"]["distance"] > by_id[tutor]["parts"]["distance"] > 0
    table = aimama(repo, "pair", "suggest", child, "--as-of", AS_OF).output
    assert "distance+" in table and near in table


def test_suggest_prefers_remote_once_a_local_volunteer_is_paired(repo):
    local = add_volunteer(repo, "本地", kind="local", capacity=2)
    remote = add_volunteer(repo, "机关", kind="remote", capacity=2)
    ranked = aimama(repo, "pair", "suggest", CHILD, "--format", "json", "--as-of", AS_OF).json()["candidates"]
    parts = {c["volunteer"]: c["parts"] for c in ranked}
    assert parts[remote]["completeness"] > 0 and parts[local]["completeness"] == 0


def test_suggest_says_why_a_child_cannot_be_paired(repo):
    child = add_child(repo, consent=False)
    out = aimama(repo, "pair", "suggest", child, "--as-of", AS_OF).output
    assert "cannot be paired yet" in out and "consented" in out


# --- plan -----------------------------------------------------------------------------------------

def test_plan_dry_run_writes_nothing(repo):
    add_child(repo), add_volunteer(repo)
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "pair", "plan", "--dry-run", "--on", AS_OF)
    assert result.exit_code == 0 and "1 child(ren) paired" in result.output
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)
    assert "aimama/" not in git(repo, "branch")


def test_plan_commits_on_a_new_branch_and_leaves_main_alone(repo):
    children = [add_child(repo, f"孩子{i}") for i in range(3)]
    add_volunteer(repo, "甲", capacity=2)
    add_volunteer(repo, "乙", capacity=1)
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "pair", "plan", "--region", "430621", "--on", AS_OF, "--branch", "plan-test")
    assert result.exit_code == 0, result.stderr
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)
    files = git(repo, "show", "--name-only", "--format=", "plan-test").split()
    assert len(files) == 3 and all(f.startswith("records/pairings/P430621-") for f in files)
    message = git(repo, "log", "-1", "--format=%B", "plan-test")
    assert message.startswith("aimama pair plan: plan for 430621: 3 pairing(s)")
    whole = aimama(repo, "pair", "plan", "--on", AS_OF, "--branch", "plan-all")  # no --region: the whole repository
    assert whole.exit_code == 0, whole.stderr
    assert git(repo, "log", "-1", "--format=%s", "plan-all").startswith(
        "aimama pair plan: plan for every region: 3 pairing(s)")
    assert message.count("Aimama-Record: P430621-") == 3
    git(repo, "checkout", "-q", "plan-test")
    code, report = check_json(repo)
    assert code == 0, report["problems"]
    paired = {json.loads(json.dumps(p))["id"] for p in
              aimama(repo, "child", "list", "--paired", "--format", "json", "--as-of", AS_OF).json()}
    assert set(children) <= paired
    again = aimama(repo, "pair", "plan", "--region", "430621", "--on", AS_OF, "--branch", "plan-test")
    assert again.exit_code in (0, 2)  # nothing left to plan, or the branch exists


def test_plan_pairs_priority_children_first_when_places_are_short(repo):
    ordinary = add_child(repo, "普通")
    priority = add_child(repo, "重点", "430621101201", True, True, "--risk", "red")
    add_volunteer(repo, capacity=1)
    assert aimama(repo, "volunteer", "edit", VOLUNTEER, "--set", "capacity=1").exit_code == 0
    plan = aimama(repo, "pair", "plan", "--dry-run", "--format", "json", "--on", AS_OF).json()
    assert [p["child"] for p in plan["proposals"]] == [priority]
    assert {u["child"]: u["reason"] for u in plan["unpaired"]}[ordinary] == "pair.why.no_candidate"
    assert plan["summary"]["priority_paired"] == 1


def test_plan_is_optimal(repo):
    """On a small region, the plan's total score equals the best of every possible assignment."""
    from aimama_cli.domain import pairing
    from aimama_cli.rules.checker import open_index

    kids = [add_child(repo, "甲童", "430621101201", True, True, "--need", "study"),
            add_child(repo, "乙童", "430621101202", True, True, "--need", "daily_care"),
            add_child(repo, "丙童", "430621101201", True, True, "--need", "emotional")]
    add_volunteer(repo, "家教", "430621101202", skills=("tutoring",))
    add_volunteer(repo, "厨师", "430621101201", skills=("cooking",))
    add_volunteer(repo, "心理", "430621101202", skills=("psychology",))
    plan = aimama(repo, "pair", "plan", "--dry-run", "--format", "json", "--on", AS_OF).json()
    assert len(plan["proposals"]) == 3
    total = sum(p["score"] for p in plan["proposals"])

    index = open_index(repo)
    day = dt.date.fromisoformat(AS_OF)
    pool = pairing.Pool.load(index, day)
    fields = {rid: f for _p, rid, f in index.fields("child")}
    locals_ = [v for v, f in pool.volunteers.items() if f.get("kind") == "local"]
    best = max(sum(pairing.score(k, fields[k], v, pool.volunteers[v], pool).score
                   for k, v in zip(kids, chosen)) for chosen in itertools.permutations(locals_, 3))
    assert abs(total - best) < 0.01


def test_a_province_plan_made_by_worker_processes_is_the_plan_made_here(tmp_path, monkeypatch):
    """A province's counties are planned in forked workers, a group of counties each: the plan
    is the one a single process makes, byte for byte, down to a child whose county no
    volunteer lives in."""
    from aimama_cli.domain import planning
    from aimama_cli.store import queries

    root = tmp_path / "province"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root), "--children", "300",
                    "--git", "--unpaired", "--jobs", "1"], check=True, capture_output=True)
    child = next((root / "records/children").glob("C430603-*.yaml"))
    text = child.read_text(encoding="utf-8")
    assert "village: '430603" in text
    child.write_text(text.replace("village: '430603", "village: '430699"), encoding="utf-8")  # no volunteer there
    git(root, "commit", "-qam", "a child of a county with no volunteer")

    def plan():
        result = aimama(root, "pair", "plan", "--dry-run", "--format", "json", "--on", AS_OF)
        assert result.exit_code == 0, result.stderr
        return result.output

    monkeypatch.setattr(queries, "MANY_IDS", 1)  # every volunteer's checks read (AM716), as at a province
    alone = plan()
    assert json.loads(alone)["summary"]["paired"] > 250
    assert {"child": child.stem, "reason": "pair.why.no_candidate"}.items() <= \
        next(u for u in json.loads(alone)["unpaired"] if u["child"] == child.stem).items()
    marks = tmp_path / "marks"
    marks.mkdir()
    work = planning._plan_part

    def marked(i):
        (marks / str(os.getpid())).touch()
        return work(i)

    monkeypatch.setattr(planning, "_plan_part", marked)
    monkeypatch.setattr(planning, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert plan() == alone
    assert len(list(marks.iterdir())) == 2  # two counties with volunteers: two workers

    from aimama_cli.store import index as index_module

    here, opened = os.getpid(), index_module.open_file
    monkeypatch.setattr(index_module, "open_file",  # a worker that cannot open the index file
                        lambda *args: opened(*args) if os.getpid() == here else None)
    assert plan() == alone  # its counties planned here, not left out


def test_weights_come_from_aimama_yaml(repo):
    config = repo / "aimama.yaml"
    config.write_text(config.read_text(encoding="utf-8") +
                      "pairing:\n  weights:\n    distance: {village: 100}\n    needs: 0\n", encoding="utf-8")
    git(repo, "commit", "-qam", "weights")
    assert check_json(repo)[0] == 0
    child = add_child(repo, "钱小米", "430621101201", True, True, "--need", "study")
    near = add_volunteer(repo, "同村", "430621101201", skills=("cooking",))
    ranked = aimama(repo, "pair", "suggest", child, "--format", "json", "--as-of", AS_OF).json()["candidates"]
    parts = {c["volunteer"]: c["parts"] for c in ranked}
    assert parts[near]["distance"] == 100 and all(p["needs"] == 0 for p in parts.values())


def test_help_of_every_pair_command_has_an_example():
    for command in (["create"], ["end"], ["suggest"], ["plan"], ["team", "create"], ["team", "end"],
                    ["team", "list"]):
        for lang, word in (("en", "Example:"), ("zh", "示例")):
            result = run("--lang", lang, "pair", *command, "--help")
            assert result.exit_code == 0 and word in result.output, (command, lang)

"""The record index never changes an answer: after each change, a check with the index says what
a check without it (``--no-cache``) says."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from dataclasses import replace

from conftest import PROJECT, check_json, git, run

from aimama_cli.core.registry import REGISTRY

sys.path.insert(0, str(PROJECT / "benchmarks"))
import cache_diff  # noqa: E402  (the walk lives beside the benchmarks, which run long ones)


def same_answer(root) -> None:
    assert check_json(root) == check_json(root, "--no-cache")


def test_a_symlinked_record_folder_is_judged_alike_every_time(repo, tmp_path):
    """A full scan does not follow a symlink (git stores the link, not the folder it points
    to), so neither does the index: the first check, the next, and --no-cache agree."""
    check_json(repo)
    shutil.move(repo / "records/children", tmp_path / "children")
    (repo / "records/children").symlink_to(tmp_path / "children", target_is_directory=True)
    first, second = check_json(repo), check_json(repo)
    assert first == second == check_json(repo, "--no-cache")
    assert first[0] == 1 and "C430621-0000C001" not in {p["record"] for p in first[1]["problems"]}
    (repo / "records/children").unlink()
    shutil.move(tmp_path / "children", repo / "records/children")
    assert check_json(repo) == check_json(repo, "--no-cache") == (0, check_json(repo)[1])


def test_switching_branches_keeps_every_warning(demo):
    """A pairing deleted on a branch: its volunteer's visits to the child become AM812
    warnings there, and the deletion an AM310 error; back on main neither, and again on the
    branch both — as a check without the index says each time."""
    git(demo, "checkout", "-qb", "other")
    git(demo, "rm", "-q", "records/pairings/P430626-ECNZS704.yaml")
    git(demo, "commit", "-qm", "pairing deleted")
    same_answer(demo)
    for branch in ("main", "other", "main", "other"):
        git(demo, "checkout", "-q", branch)
        code, report = check_json(demo)
        assert (code, report) == check_json(demo, "--no-cache")
        codes = [p["code"] for p in report["problems"]]
        assert (codes.count("AM812") >= 10 and "AM310" in codes) == (branch == "other")


def test_another_day_judges_again_only_the_rules_that_read_the_day(demo, monkeypatch):
    """On another day with no file changed, a rule whose problems depend on the records alone
    (AM812: visits to a child the volunteer is not paired with) is not judged again, one that
    reads the day (AM821: duties overdue) is; after a change, on a third day, the first is
    judged again for what changed. Every answer is the one a check without the index gives."""
    days = ("2026-11-01", "2027-03-15", "2026-12-01")

    def checked(day, *extra):
        result = run("--root", str(demo), "check", "--format", "json", "--as-of", day, *extra)
        return result.exit_code, result.json()

    expected = {day: checked(day, "--no-cache") for day in days[:2]}
    assert expected[days[0]] != expected[days[1]]  # the day matters to this repository
    judged = Counter()
    for code in ("AM812", "AM821"):
        def counted(repo, rule=REGISTRY[code]):
            judged[rule.code] += 1
            return rule.func(repo)
        monkeypatch.setitem(REGISTRY, code, replace(REGISTRY[code], func=counted))
    assert checked(days[0]) == expected[days[0]]
    assert checked(days[1]) == expected[days[1]]
    assert judged == {"AM812": 1, "AM821": 2}
    git(demo, "rm", "-q", "records/pairings/P430626-ECNZS704.yaml")  # its visits become AM812's
    assert checked(days[2]) == checked(days[2], "--no-cache")
    assert "AM812" in {p["code"] for p in checked(days[2])[1]["problems"]}
    assert checked(days[0]) == checked(days[0], "--no-cache")


def test_a_pairing_broken_by_hand_still_counts_for_its_visits(demo):
    """A pairing that no longer parses names no one: the visits it covered are judged again."""
    same_answer(demo)
    path = demo / "records/pairings/P430626-ECNZS704.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "entries: [\n", encoding="utf-8")
    same_answer(demo)


def test_what_a_changed_file_named_before_is_judged_again_as_it_was(demo):
    """The ids a file named before it changed, defined by other files, are looked at again as
    what it named: a priority child whose only pairing moves to another child is unpaired now
    (AM604), and a copied child given an id of its own is no duplicate.  Each answer is the
    one a check without the index gives."""
    same_answer(demo)
    pairing = demo / "records/pairings/P430626-XKBSEVAE.yaml"
    pairing.write_text(pairing.read_text(encoding="utf-8").replace("C430626-WJ1C7E4S", "C430626-56AX3T1Z"),
                       encoding="utf-8")
    code, report = check_json(demo)
    assert (code, report) == check_json(demo, "--no-cache")
    assert ("AM604", "records/children/C430626-WJ1C7E4S.yaml") in {(p["code"], p["file"]) for p in report["problems"]}
    original = demo / "records/children/C430626-WJ1C7E4S.yaml"
    copy = demo / "records/children/C430626-COPY0001.yaml"
    copy.write_bytes(original.read_bytes())  # the child's id on two records
    same_answer(demo)
    copy.write_text(copy.read_text(encoding="utf-8").replace(original.stem, copy.stem), encoding="utf-8")
    same_answer(demo)


def cli(*args: str) -> tuple[int, str]:
    result = run(*args)
    return result.exit_code, result.output


def test_cached_and_uncached_checks_agree_along_a_random_walk(demo):
    """30 random steps (edits through the CLI and by hand, commits, branches, old commits, a
    symlinked folder, touched files), each followed by the two checks, with or without the
    key; benchmarks/cache_diff.py walks further."""
    differences, _failed_commands = cache_diff.walk(demo, cli, steps=30, seed=17)
    assert differences == []


def test_more_changes_than_the_index_follows_rerun_every_rule(repo, monkeypatch):
    """Past PENDING_LIMIT changed files the repository rules run on everything again (the
    problems kept from before were once returned as they were)."""
    from aimama_cli.store import index

    monkeypatch.setattr(index, "PENDING_LIMIT", 1)
    same_answer(repo)
    pairing = repo / "records/pairings/P430621-0000P001.yaml"
    pairing.write_text(pairing.read_text(encoding="utf-8").replace("C430621-0000C001", "C430621-0000C009"),
                       encoding="utf-8")
    (repo / "records/teams/T430621-0000T001.yaml").write_text("id: T430621-0000T001\n", encoding="utf-8")
    code, report = check_json(repo)
    assert (code, report) == check_json(repo, "--no-cache")
    assert {"AM202", "AM401"} <= {p["code"] for p in report["problems"]}

"""The first index (a cold build: worker processes, rows written with the secondary indexes
made afterwards) holds what an index brought up to date file by file holds, and a check on it
says the same."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from conftest import PROJECT, check_json

from aimama_cli.core.registry import REGISTRY
from aimama_cli.store.index_file import CACHE_DIR, CACHE_FILE

TABLES = ("files", "ids", "refs", "problems", "entries", "brief", "names", "deleted", "watched")


def _generated(root):
    """A county in miniature with a year of logs (over 400 files: parsed by workers), and a few
    files with problems of their own and repository problems, whose lines are looked up."""
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "120", "--activities", "--git", "--jobs", "1"],
                   check=True, capture_output=True)
    child = sorted((root / "records" / "children").glob("*.yaml"))[3]
    child.write_text(child.read_text(encoding="utf-8") + "hobby: 画画\n", encoding="utf-8")
    pairing = sorted((root / "records" / "pairings").rglob("*.yaml"))[5]
    text = pairing.read_text(encoding="utf-8")
    pairing.write_text("\n".join("child: C430602-NOBODY00" if line.startswith("child:") else line
                                 for line in text.splitlines()) + "\n", encoding="utf-8")
    (root / "records" / "children" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return root


def _content(root) -> dict:
    db = sqlite3.connect(root / CACHE_DIR / CACHE_FILE)
    try:
        found = {t: sorted(db.execute(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
        found["schema"] = sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        return found
    finally:
        db.close()


def test_a_cold_build_holds_and_finds_what_a_build_in_steps_does(tmp_path):
    cold = _generated(tmp_path / "cold")
    steps = tmp_path / "steps"
    shutil.copytree(cold, steps, symlinks=True)

    # in steps: the index made while only aimama.yaml and the regions were there (no workers,
    # rows written one by one), then brought up to date with every other file
    aside = tmp_path / "aside"
    aside.mkdir()
    for folder in (steps / "records").iterdir():
        if folder.is_dir():
            folder.rename(aside / folder.name)
    check_json(steps)
    for folder in aside.iterdir():
        folder.rename(steps / "records" / folder.name)
    in_steps = check_json(steps)
    assert len(_content(steps)["files"]) > 400

    at_once = check_json(cold)
    assert at_once == in_steps
    code, report = at_once
    assert code == 1 and {"AM104", "AM201", "AM401", "AM821"} <= {p["code"] for p in report["problems"]}
    assert all(p["line"] > 0 for p in report["problems"])
    assert _content(cold) == _content(steps)
    assert check_json(cold) == at_once  # and warm


def test_overdue_duties_found_on_every_core_as_in_one_process(tmp_path, monkeypatch):
    """A province's pairings (20,000 or more) are judged by AM821 in forked workers, a part each,
    as ``duty check`` judges them: the same problems as in one process."""
    from aimama_cli.model import duties

    root = _generated(tmp_path / "repo")
    alone = check_json(root)
    assert "AM821" in {p["code"] for p in alone[1]["problems"]}
    shutil.rmtree(root / CACHE_DIR)
    monkeypatch.setattr(duties, "PARALLEL_FROM", 10)
    assert check_json(root) == alone


def test_rules_judged_in_a_second_process_find_what_one_process_finds(tmp_path, monkeypatch):
    """Over a province's whole index, a forked process shares the repository rules with the
    first one, which judges the duty engine first; the same problems, in the same order — and
    should that process fail, at once or after taking some rules, those rules are judged in
    the first one after all."""
    from aimama_cli.rules import checker

    root = _generated(tmp_path / "repo")
    alone = check_json(root)
    shutil.rmtree(root / CACHE_DIR)
    monkeypatch.setattr(checker, "APART_FROM", 10)
    assert check_json(root) == alone

    def fails():
        raise OSError("the index cannot be read here")

    shutil.rmtree(root / CACHE_DIR)
    monkeypatch.setattr(checker, "_judge_apart", fails)
    assert check_json(root) == alone
    monkeypatch.undo()
    monkeypatch.setattr(checker, "APART_FROM", 10)
    from aimama_cli.store import index as index_module

    here, opened = os.getpid(), index_module.open_file
    monkeypatch.setattr(index_module, "open_file",  # the second process cannot open the index file:
                        lambda *args: opened(*args) if os.getpid() == here else None)  # no rule judged
    shutil.rmtree(root / CACHE_DIR)  # over an empty index in memory there
    assert check_json(root) == alone
    monkeypatch.setattr(index_module, "open_file", opened)

    def slowly(repo, rule=REGISTRY["AM821"]):  # the first process is busy while that one takes them
        time.sleep(2)
        return rule.func(repo)

    assert {p["code"] for p in alone[1]["problems"]} & {"AM302", "AM812"}  # what shared rules find
    monkeypatch.setitem(REGISTRY, "AM821", replace(REGISTRY["AM821"], func=slowly))

    shutil.rmtree(root / CACHE_DIR)
    monkeypatch.setattr(checker, "_judge_apart", _takes_every_rule_left_then_dies)
    assert check_json(root) == alone


def _takes_every_rule_left_then_dies():
    """In check's second process, in place of its work (at module level: the function is sent
    to that process by name): every rule not yet taken is taken, none answered."""
    from aimama_cli.rules import checker

    _root, _day, codes, taken = checker._apart
    list(checker._taking(codes, taken))
    raise OSError("killed")


_WORKER_FAILING_LATE = """
import os, signal, sys
import aimama_cli.store.index as index
from aimama_cli.core.errors import UsageError
index.CHUNK = 40  # many chunks: the failing worker has sent some answers already
work, how, calls = index._analyse_chunk, sys.argv[1], []
def failing(jobs):
    calls.append(1)
    if len(calls) == 3 and os.getpid() != PARENT:
        if how == "killed":
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        raise UsageError("git.failed", detail="the worker's own words")
    return work(jobs)
PARENT = os.getpid()
index._analyse_chunk = failing
sys.argv = ["aimama", *sys.argv[2:]]
from aimama_cli.entry import main
main()
"""


def test_a_first_index_whose_worker_fails_midway_says_so_and_keeps_nothing_half_built(tmp_path):
    """A parsing worker of a first index that fails or is killed after sending some answers
    (they go from a thread of its own while it parses on): the command ends at once with one
    line and exit 2, no traceback, no hang; the next check builds the whole index as if
    nothing had happened."""
    root = _generated(tmp_path / "county")
    expected = check_json(root, "--no-cache")
    for how, said in (("raises", "git failed: the worker's own words"),
                      ("killed", "stopped without its answer")):
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
        command = subprocess.run([sys.executable, "-c", _WORKER_FAILING_LATE, how, "--root", str(root),
                                  "check", "--as-of", "2026-11-01"], capture_output=True, text=True, timeout=120)
        assert command.returncode == 2, _with_details(command.stderr)
        assert said in command.stderr and "Traceback" not in command.stderr, command.stderr
        assert check_json(root) == expected


def _with_details(said: str) -> str:
    """What the command said, and the details of an internal error it saved."""
    saved = said.rpartition("details saved to ")[2].strip().rstrip(")")
    return said + (Path(saved).read_text(encoding="utf-8") if saved.endswith(".log") else "")

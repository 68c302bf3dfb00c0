"""A small run of benchmarks/chaos.py: changing commands killed at random moments, and writers
and readers at once, leave no torn file, lost change, dirt, stale lock or internal error."""

import json
import subprocess
import sys

from conftest import PROJECT, git


def test_kills_and_a_crowd_leave_the_repository_sound(repo):
    git(repo, "config", "user.email", "chaos@example.org")
    proc = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "chaos.py"), str(repo),
                           "--kills", "2", "--crowd", "6", "--seed", "7",
                           "--commands", "child add,child edit"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1) and proc.stdout, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert set(report["kills"]) == {"child add", "child edit"}
    for counts in [*report["kills"].values(), report["crowd"]]:
        assert [counts[k] for k in ("torn", "lost", "dirt", "stale_locks", "exit_3")] == [0] * 5, report
    assert sum(report["kills"]["child edit"]["outcomes"].values()) == 4  # 2 kills, 2 looked at
    assert report["crowd"]["commits"] == report["crowd"]["reported_commits"] >= 1
    assert proc.returncode == 0

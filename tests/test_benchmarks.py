"""Tiny smoke runs of the benchmark scripts: the generator makes valid repositories, and the
timing script runs end to end (the real figures are in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import AS_OF, PROJECT, check_json, git, run


def test_generated_repository_is_valid_and_deterministic(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"),
                        str(tmp_path / name), "--children", "60", "--seed", "3", "--jobs", "1"],
                       check=True, capture_output=True)
    code, report = check_json(tmp_path / "a", "--as-of", "2026-11-01")
    assert code == 0, report["problems"][:5]
    kinds = {p.split("/")[1] for p in (str(f.relative_to(tmp_path / "a")) for f in
                                       (tmp_path / "a" / "records").rglob("*.yaml"))}
    assert {"children", "volunteers", "pairings", "pledges", "teams"} <= kinds
    diff = subprocess.run(["diff", "-r", "-x", ".aimama", str(tmp_path / "a"), str(tmp_path / "b")],
                          capture_output=True, text=True)
    assert diff.returncode == 0, diff.stdout[:500]


def _generated(tmp_path):
    """A small generated repository in git, as the benchmarks take."""
    root = tmp_path / "bench"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "30", "--git", "--jobs", "1"], check=True, capture_output=True)
    return root


def _bench(script: str, root, *args: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / script), str(root), *args],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def test_benchmark_script_runs(tmp_path):
    root = _generated(tmp_path)
    assert git(root, "status", "--porcelain") == ""
    # git set up as `aimama init` sets up a repository of many files, so benchmarks time what users run
    assert [git(root, "config", key).strip() for key in ("feature.manyFiles", "core.splitIndex")] == ["true", "true"]
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "check.py"), str(root),
                          "--skip-baseline"], check=True, capture_output=True, text=True).stdout
    assert "aimama check, cold (no cache)" in out and "one file changed" in out
    assert "the next day" in out and "the next month's first day (2026-12-01)" in out


def test_changes_benchmark_runs_and_its_floor_leaves_git_clean(tmp_path):
    root = _generated(tmp_path)
    out = _bench("changes.py", root, "--runs", "1")
    for row in ("| check, warm (nothing changed) |", "| child close (and end its pairings) |",
                "| floor: git's stat of every file |", "| floor: git takes one edited file into its index |"):
        assert row in out.stdout
    # the floor's edits are put back: git sees nothing left over, and the last commit is a command's
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%s").startswith("aimama ")
    if sys.platform.startswith("linux"):  # the same with the watcher running, stopped afterwards
        watched = _bench("changes.py", root, "--runs", "1", "--watch").stdout
        assert "watched" in watched and "| child add |" in watched
        assert "not watched" in run("--root", str(root), "watch", "status").output


def test_people_benchmark_runs(tmp_path):
    root = _generated(tmp_path)
    out = _bench("people.py", root, "--runs", "1")
    assert "| child add (judged, written, committed) |" in out.stdout
    assert "child close" in out.stdout
    # every changing command committed
    assert git(root, "log", "--format=%s").count("aimama ") == 4


def test_plan_benchmark_runs_and_the_plan_matches_the_exact_optimum(tmp_path):
    root = tmp_path / "bench"
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "plan.py"), str(root),
                          "--children", "300", "--exact"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0.000% below the exact optimum" in out.stdout
    assert "`aimama pair plan --dry-run` end to end" in out.stdout
    code, report = check_json(root)
    assert code == 0, report["problems"][:5]  # an unpaired repository is valid too


def test_activity_logs_are_valid_and_the_duty_benchmark_runs(tmp_path):
    root = tmp_path / "bench"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "100", "--git", "--activities", "--jobs", "1"], check=True, capture_output=True)
    logs = list((root / "records" / "activities" / "2026").glob("*.yaml"))
    assert logs and all(p.stem.startswith("V") for p in logs)
    _code, report = check_json(root)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert not errors, errors[:5]
    # the entries name children paired with their volunteer, with the programme's checklist
    assert not {p["code"] for p in report["problems"]} & {"AM812", "AM813", "AM816"}, report["problems"][:5]

    result = run("--root", str(root), "duty", "check", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    out = result.json()
    total = out["summary"]
    assert total["pairings"] == len(out["pairings"]) > 0
    assert total["duties"] == sum(total[s] for s in ("met", "due", "overdue", "not_applicable"))
    assert total["met"] > total["overdue"] > 0  # most duties done, a few missed on purpose
    assert total["no_programme"] == 0
    assert 0 < total["pairings_overdue"] < total["pairings"]

    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "duty.py"), str(root), "--runs", "1",
                          "--skip-check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "| `aimama duty check --format json > /dev/null` |" in out.stdout
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["summary"] == total and figures["entries"] > figures["pairings_judged"]


def test_git_history_benchmark_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "git_history.py"), str(tmp_path / "gh"), "--commits", "60",
                           "--every", "3", "--runs", "1"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["commits"] == 61 and figures["versions"] == 20


def test_report_benchmark_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "report.py"), str(tmp_path / "r"),
                           "--children", "30", "--runs", "1"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["children"] == 30


def test_leak_scan_benchmark_runs_and_a_generated_repository_has_no_leak(tmp_path):
    root = tmp_path / "leaks"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "30", "--git", "--jobs", "1"], check=True, capture_output=True)
    proc = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "leaks.py"), str(root)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "leak scan, plaintext repository (0 findings)" in proc.stdout
    assert "leak scan, encrypted repository" in proc.stdout


def test_startup_benchmark_runs():
    """One pair a row, on a clone of the demo: the table is printed with each goal beside it."""
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "startup.py"), "--pairs", "1"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "| `aimama --version` | after |" in out.stdout and "≤ 1.5× (moonshot 1.2×)" in out.stdout
    assert "| `aimama child show ID` | after |" in out.stdout and "load average" in out.stdout
def test_log_import_benchmark_runs(tmp_path):
    root = _generated(tmp_path)
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "log_import.py"), str(root),
                          "--rows", "5", "--runs", "1"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "| import logs, 5 rows (judged, written, one commit) |" in out.stdout
    assert git(root, "log", "-1", "--format=%s") == "aimama import logs: 5 entries from visits-5.xlsx\n"

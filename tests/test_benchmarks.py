"""Tiny smoke runs of the benchmark scripts: the generator makes valid repositories, and the
timing script runs end to end (the real figures are in docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT, check_json, git


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


def test_benchmark_script_runs(tmp_path):
    root = tmp_path / "bench"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "30", "--git", "--jobs", "1"], check=True, capture_output=True)
    assert git(root, "status", "--porcelain") == ""
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "check.py"), str(root),
                          "--skip-baseline"], check=True, capture_output=True, text=True).stdout
    assert "aimama check, cold (no cache)" in out and "one file changed" in out


def test_people_benchmark_runs(tmp_path):
    root = tmp_path / "bench"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "30", "--git", "--jobs", "1"], check=True, capture_output=True)
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "people.py"), str(root),
                          "--runs", "1"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
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

"""Time aimama's start-up against `python -c "import typer"` (issue 23).

    python benchmarks/startup.py [--before DIR] [--pairs N] [--demo DIR]

Each figure is a set of A/B pairs: aimama and `python -c "import typer"` run in turn, A B A B …,
each a new process, and the ratio taken pair by pair, so that a machine whose speed drifts (other
work on it) shifts both sides of a pair alike. The medians are shown: wall-clock seconds, CPU
seconds (user + system, what the process itself spent, less moved by other processes) and the
ratio. With ``--before DIR`` (a checkout of an older aimama, e.g. ``git worktree add DIR
c68cbbd``), that code runs too, in the same rounds, so before and after meet the same load.

The commands on records run on a clone of the demo (the project's own records, or ``--demo``),
one clone per version, each brought up to date by one `aimama check` first: what is timed is a
coordinator's second command, not the first index. Prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-01"
BASELINE = ("import typer", [sys.executable, "-c", "import typer"])


def run(argv: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one process; its output is thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


class Version:
    """One checkout of aimama: its code on PYTHONPATH, a clone of the demo to run on."""

    def __init__(self, label: str, code: Path, demo: Path, work: Path):
        self.label, self.code = label, code
        self.env = {**os.environ, "PYTHONPATH": str(code), "AIMAMA_LANG": "en"}
        for name in ("AIMAMA_ROOT", "AIMAMA_AGE_IDENTITY", "PYTHONDONTWRITEBYTECODE"):
            self.env.pop(name, None)
        # as an installed package is: compiled once (without .pyc files every run compiles)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "aimama_cli")], check=True)
        self.root = work / f"demo-{label}"
        subprocess.run(["git", "clone", "--quiet", str(demo), str(self.root)], check=True)
        subprocess.run(self.argv("--root", str(self.root), "check", "--as-of", AS_OF), env=self.env,
                       cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # the index, built once

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "aimama_cli", *args]


def first_child(version: Version) -> str:
    done = subprocess.run(version.argv("--root", str(version.root), "child", "list", "--format", "csv",
                                       "--as-of", AS_OF), env=version.env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"aimama child list failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout.splitlines()[1].split(",")[0]


def measure(versions: list[Version], commands: list[tuple[str, list[str]]], pairs: int, work: Path):
    """{(version, command): [(wall, cpu, baseline wall, baseline cpu), …]}, every round running
    each (version, command) right after its own baseline run."""
    results: dict = {}
    plan = [(v, label, args) for label, args in commands for v in versions]
    for _ in range(1):  # a warm-up round: page cache, .pyc files
        for version, label, args in plan:
            run(version.argv(*args(version)), version.env, work)
    for _ in range(pairs):
        for version, label, args in plan:
            base = run(BASELINE[1], version.env, work)
            mine = run(version.argv(*args(version)), version.env, work)
            results.setdefault((version.label, label), []).append((*mine, *base))
    return results


def table(results: dict, versions: list[Version], commands, goals: dict) -> str:
    lines = ["| command | version | wall (median) | CPU (median) | ÷ `import typer` (wall, median of pairs) "
             "| ÷ `import typer` (CPU) | goal |", "|---|---|---:|---:|---:|---:|---|"]
    for label, _ in commands:
        for version in versions:
            rows = results[(version.label, label)]
            wall = statistics.median(r[0] for r in rows)
            cpu = statistics.median(r[1] for r in rows)
            ratio = statistics.median(r[0] / r[2] for r in rows)
            cpu_ratio = statistics.median(r[1] / r[3] for r in rows)
            lines.append(f"| `aimama {label}` | {version.label} | {wall:.3f} s | {cpu:.3f} s | "
                         f"{ratio:.2f}× | {cpu_ratio:.2f}× | {goals.get(label, '')} |")
    base = [r for rows in results.values() for r in rows]
    lines.append(f"| `python -c \"import typer\"` | – | {statistics.median(r[2] for r in base):.3f} s | "
                 f"{statistics.median(r[3] for r in base):.3f} s | 1 | 1 | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of an older aimama, timed beside this one")
    parser.add_argument("--demo", type=Path, default=PROJECT, help="the records repository to clone")
    parser.add_argument("--pairs", type=int, default=15, help="A/B pairs per figure")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="aimama-startup-") as folder:
        work = Path(folder)
        versions = [Version("after", PROJECT, args.demo, work)]
        if args.before:
            versions.insert(0, Version("before", args.before.resolve(), args.demo, work))
        child = first_child(versions[-1])
        commands = [
            ("--version", lambda v: ["--version"]),
            ("--help", lambda v: ["--help"]),
            ("child --help", lambda v: ["child", "--help"]),
            ("child show ID", lambda v: ["--root", str(v.root), "child", "show", child, "--as-of", AS_OF]),
            ("child list", lambda v: ["--root", str(v.root), "child", "list", "--as-of", AS_OF]),
        ]
        goals = {"--version": "≤ 1.5× (moonshot 1.2×)", "child show ID": "≤ 0.25 s (moonshot 0.15 s)",
                 "child list": "≤ 0.25 s (moonshot 0.15 s)"}
        results = measure(versions, commands, args.pairs, work)
    print(f"{args.pairs} A/B pairs per row, interleaved; load average before {load[0]:.1f} / "
          f"after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(table(results, versions, commands, goals))


if __name__ == "__main__":
    main()

"""Time the single-record changes and `check` warm / one file changed, at one or more scales.

    python benchmarks/changes.py DIR [DIR ...] [--runs R] [--watch]

Each DIR is a generated records repository in git (generate.py --git; a copy: the commands
commit into it).  Its index is brought up to date first (one ``aimama check``, not counted),
then R times each, every run a new process as a user runs it:

* ``check`` with nothing changed, and with one child's file edited by hand (a new edit each run);
* ``child add``, ``child edit --set`` (two fields, new values each run), ``volunteer vet
  --suspend`` and ``child close`` (another volunteer and child each run), each judged, written
  and committed.

Then the floor under any such change at that scale, R times each: Python starting
(``python -c pass``), git's stat of every file (``git diff-index --quiet HEAD``: what knowing
that nothing else changed costs without a file-system monitor), and git taking one edited file
into its index (``git update-index``: a change keeps ``git status`` clean).  The file is put
back afterwards, nothing committed.

With ``--watch`` the watcher runs throughout (``aimama watch start`` first, ``stop`` after): the
record index asks it what changed instead of git's stat of every file.

It prints one Markdown table per DIR: the median wall-clock seconds and the median CPU seconds
(user + system of aimama and the git processes it runs). The CPU figure is the one to compare
on a machine that other work loads: the wall clock then counts the waiting too.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import watch_option, watcher  # noqa: E402  (benchmarks/ is the script's folder)

AS_OF = "2026-11-01"
GOALS = {"check, warm (nothing changed)": 0.5, "check, one file changed": 1.0,
         "child add": 1.0, "child edit --set (two fields)": 1.0, "volunteer vet --suspend": 1.0,
         "child close (and end its pairings)": 1.0}


def aimama(root: Path, *args: str, ok=(0,)) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of ``aimama --root ROOT ARGS`` in a new process."""
    return timed([sys.executable, "-m", "aimama_cli", "--root", str(root), *args], ok)


def timed(command: list[str], ok=(0,), cwd: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of ``command`` and the processes it runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def floors(root: Path, runs: int) -> list[tuple[str, float, float]]:
    """What no single-record change can go below at ``root``'s scale (module docstring)."""
    def median(runs_of):
        return tuple(map(statistics.median, zip(*(r[:2] for r in runs_of))))

    rows = [("floor: Python starts", *median(timed([sys.executable, "-c", "pass"]) for _ in range(runs))),
            ("floor: git's stat of every file", *median(
                timed(["git", "diff-index", "--quiet", "HEAD"], (0, 1), root) for _ in range(runs)))]
    child = sorted((root / "records" / "children").glob("*.yaml"))[-1]
    original, path = child.read_bytes(), str(child.relative_to(root))
    updates = []
    for i in range(runs):
        child.write_bytes(original + f"# floor of a change {i}\n".encode())
        updates.append(timed(["git", "update-index", "--", path], cwd=root))
    child.write_bytes(original)
    timed(["git", "update-index", "--", path], cwd=root)
    rows.append(("floor: git takes one edited file into its index", *median(updates)))
    return rows


def listed(root: Path, kind: str, *filters: str) -> list[dict]:
    _, _, out = aimama(root, kind, "list", "--format", "json", "--as-of", AS_OF, *filters)
    return json.loads(out)


def commands(root: Path, runs: int) -> dict[str, list[list[str]]]:
    """Each changing command's argument lists, one a run, on records not touched before."""
    children = [c for c in listed(root, "child", "--paired") if c.get("status") != "closed"]
    volunteers = listed(root, "volunteer", "--vetting", "approved")
    if len(children) < 2 * runs or len(volunteers) < runs:
        raise SystemExit(f"{root}: too few paired children or approved volunteers")
    village = children[0]["village"]
    risks = ["yellow", "red", "orange", "green"]
    return {
        "child add": [["child", "add", "--name", f"测试{i}", "--gender", "female", "--birth-date",
                       "2016-05-01", "--category", "left_behind", "--village", village,
                       "--guardian-name", "测试监护人", "--guardian-relation", "mother",
                       "--consent-date", "2026-10-01", "--source", "village", "--on", AS_OF]
                      for i in range(runs)],
        "child edit --set (two fields)": [
            ["child", "edit", children[0]["id"], "--set", f"risk_level={risks[i % 4]}",
             "--set", f"notes=benchmark {i}"] for i in range(runs)],
        "volunteer vet --suspend": [
            ["volunteer", "vet", v["id"], "--suspend", "--reason", "benchmark", "--on", AS_OF,
             "--by", v.get("vetting.decided_by") or ""]
            for v in volunteers[:runs]],
        "child close (and end its pairings)": [
            ["child", "close", c["id"], "--reason", "moved_away", "--on", AS_OF]
            for c in children[1:runs + 1]],
    }


def measure(root: Path, runs: int) -> list[tuple[str, float, float]]:
    aimama(root, "check", "--as-of", AS_OF, "--format", "json", ok=(0, 1))  # the index up to date
    rows = []
    warm = [aimama(root, "check", "--as-of", AS_OF, ok=(0, 1))[:2] for _ in range(runs)]
    rows.append(("check, warm (nothing changed)", *map(statistics.median, zip(*warm))))
    child = next((root / "records" / "children").glob("*.yaml"))
    original = child.read_bytes()
    one = []
    for i in range(runs):
        child.write_bytes(original + f"# touched by the benchmark {i}\n".encode())
        one.append(aimama(root, "check", "--as-of", AS_OF, ok=(0, 1))[:2])
    child.write_bytes(original)
    aimama(root, "check", "--as-of", AS_OF, ok=(0, 1))
    rows.append(("check, one file changed", *map(statistics.median, zip(*one))))
    for label, arg_lists in commands(root, runs).items():
        times = [aimama(root, *args)[:2] for args in arg_lists]
        rows.append((label, *map(statistics.median, zip(*times))))
    return rows + floors(root, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    watch_option(parser)
    args = parser.parse_args()
    for root in args.roots:
        root = root.resolve()
        files = sum(1 for _ in (root / "records").rglob("*.yaml"))
        with watcher(root, args.watch):
            rows = measure(root, args.runs)
        print(f"\n{root}: {files:,} record files; median of {args.runs} runs"
              f"{', watched' if args.watch else ''}\n")
        print("| command | wall s | CPU s | goal s |\n|---|---:|---:|---:|")
        for label, wall, cpu in rows:
            print(f"| {label} | {wall:.2f} | {cpu:.2f} | {GOALS.get(label, '')} |")


if __name__ == "__main__":
    main()

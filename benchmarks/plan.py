"""Time `aimama pair plan` and measure how far its decomposition is from the exact optimum.

    python benchmarks/plan.py DIR [--children N] [--exact] [--skip-cli]

With ``--children N``, a repository of N children, none of them paired yet (the start of a
pairing round), is generated into DIR first (generate.py --unpaired --git).  Then:

* the record index is brought up to date (`aimama check`; its time is reported apart);
* the plan is made in-process, per township then per county (what `pair plan` does), and with
  ``--exact`` also as one exact assignment per county, to report the gap in total score;
* unless ``--skip-cli``, `aimama pair plan --dry-run --format json` runs end to end as a user
  runs it (a new process, the index up to date).

Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
ON = "2026-11-01"


def totals(plan) -> tuple[int, int, float]:
    return (len(plan.proposals), sum(p.priority for p in plan.proposals),
            sum(p.score for p in plan.proposals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--children", type=int, help="generate an unpaired repository of N children first")
    parser.add_argument("--exact", action="store_true", help="also solve each county exactly")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    root = args.root.resolve()
    if args.children:
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--children",
                        str(args.children), "--git", "--unpaired"], check=True)

    from aimama_cli.domain import planning
    from aimama_cli.rules.checker import open_index

    start = time.perf_counter()
    index = open_index(root)
    indexed = time.perf_counter() - start
    files = index.count()
    rows = []
    import scipy.optimize  # noqa: F401  (imported once, not timed: `pair plan` pays it below)

    day = dt.date.fromisoformat(ON)
    runs = [("plan, sub-problems of at most 2,000,000 cells (what `pair plan` does)", planning.CELLS)]
    if args.exact:
        runs += [("plan, one exact assignment per county", math.inf)]
    for label, cells in runs:
        start = time.perf_counter()
        plan = planning.make_plan(index, "", day, cells=cells)
        rows.append((label, time.perf_counter() - start, totals(plan)))
    if not args.skip_cli:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), "pair", "plan",
                               "--dry-run", "--format", "json", "--on", ON], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"pair plan failed: {proc.stderr[-2000:]}")
        summary = json.loads(proc.stdout)["summary"]
        rows.append(("`aimama pair plan --dry-run` end to end (index up to date)", seconds,
                     (summary["paired"], summary["priority_paired"], None)))

    waiting = len(plan.proposals) + sum(1 for u in plan.unpaired if u[2] == "pair.why.no_candidate")
    print(f"repository: {files:,} files; index brought up to date in {indexed:.1f} s; "
          f"{waiting:,} children waiting to be paired, {len(plan.unpaired):,} left unpaired\n")
    print("| run | seconds | paired | priority paired | total score |\n|---|---:|---:|---:|---:|")
    for label, seconds, (paired, priority, score) in rows:
        shown = f"{score:,.1f}" if score is not None else "—"
        print(f"| {label} | {seconds:.2f} | {paired:,} | {priority:,} | {shown} |")
    if args.exact:
        best = rows[1][2]
        for label, _seconds, (paired, priority, score) in rows[:1]:
            gap = (best[2] - score) / best[2] * 100 if best[2] else 0.0
            print(f"\n{label}: {gap:.3f}% below the exact optimum's total score "
                  f"(paired {paired:,} vs {best[0]:,}, priority {priority:,} vs {best[1]:,})")


if __name__ == "__main__":
    main()

"""Time the roster commands (list, show, add, edit, vet, close) on a generated repository.

    python benchmarks/people.py DIR [--children N] [--runs R] [--watch]

With ``--children N`` a repository of N children is generated into DIR first (see
generate.py; ``--git`` is implied: the commands commit).  The index is brought up to date by
one ``aimama check``, then each command runs as a user runs it (a new process), reading
commands R times (the median is shown), changing commands once each, since each commits.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

AS_OF = "2026-11-01"

from timing import repository_args, watch_option, watcher  # noqa: E402  (benchmarks/ is the script's folder)


def aimama(root: Path, *args: str, ok=(0,)) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), *args],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"aimama {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, proc.stdout


def first(root: Path, kind: str, *filters: str) -> dict:
    _, out = aimama(root, kind, "list", "--format", "json", "--as-of", AS_OF, *filters)
    rows = json.loads(out)
    if not rows:
        raise SystemExit(f"no {kind} matching {filters}")
    return rows[0]


def main() -> None:
    args, root = repository_args(__doc__, watch_option)
    with watcher(root, args.watch):
        measure(args, root)


def measure(args, root: Path) -> None:
    seconds, _ = aimama(root, "check", "--as-of", AS_OF, "--format", "json", ok=(0, 1))
    files = sum(1 for _ in (root / "records").rglob("*.yaml"))
    print(f"repository: {files:,} record files; index brought up to date in {seconds:.1f} s\n")

    child = first(root, "child", "--paired")
    volunteer = first(root, "volunteer", "--vetting", "approved")
    reading = [
        ("child list (every child, table)", ["child", "list", "--as-of", AS_OF]),
        ("child list --unpaired --priority --format json",
         ["child", "list", "--unpaired", "--priority", "--format", "json", "--as-of", AS_OF]),
        ("volunteer list --vetting approved --format csv",
         ["volunteer", "list", "--vetting", "approved", "--format", "csv", "--as-of", AS_OF]),
        ("child show ID", ["child", "show", child["id"], "--as-of", AS_OF]),
    ]
    rows = []
    for label, command in reading:
        times = [aimama(root, *command)[0] for _ in range(args.runs)]
        rows.append((label, statistics.median(times)))
    village = child["village"]
    changing = [
        ("child add (judged, written, committed)",
         ["child", "add", "--name", "测试", "--gender", "female", "--birth-date", "2016-05-01",
          "--category", "left_behind", "--village", village, "--guardian-name", "测试监护人",
          "--guardian-relation", "mother", "--consent-date", "2026-10-01", "--source", "village",
          "--on", AS_OF]),
        ("child edit --set (two fields)",
         ["child", "edit", child["id"], "--set", "risk_level=yellow", "--set", "needs=study,safety"]),
        ("volunteer vet --suspend", ["volunteer", "vet", volunteer["id"], "--suspend", "--reason",
                                     "benchmark", "--by", volunteer.get("vetting.decided_by") or "",
                                     "--on", AS_OF]),
        ("child close (and end its pairings)",
         ["child", "close", child["id"], "--reason", "moved_away", "--on", AS_OF]),
    ]
    for label, command in changing:
        rows.append((label, aimama(root, *command)[0]))
    print("| command | seconds |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()

"""What the benchmark scripts share: timing a command as a user runs it."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed_cli(root: Path, *args: str, runs: int = 1, ok=(0,)) -> float:
    """Median wall-clock seconds of ``aimama --root ROOT ARGS > /dev/null`` over ``runs`` runs
    (a new process each time); a run that exits otherwise than ``ok`` stops the benchmark."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok:
            raise SystemExit(f"aimama {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return statistics.median(times)


def repository_args(doc: str, extra=None):
    """The options every benchmark takes (ROOT, --children N, --runs R, and ``extra(parser)``'s),
    parsed; with ``--children N`` a repository of N children is generated into ROOT first
    (generate.py --git).  Returns (args, the root resolved)."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--children", type=int, help="generate a repository of N children first")
    parser.add_argument("--runs", type=int, default=3)
    if extra:
        extra(parser)
    args = parser.parse_args()
    root = args.root.resolve()
    if args.children:
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "generate.py"), str(root),
                        "--children", str(args.children), "--git"], check=True)
    return args, root

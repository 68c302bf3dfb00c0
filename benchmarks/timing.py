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

"""What the benchmark scripts share: timing a command as a user runs it."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def timed_cli(root: Path, *args: str, runs: int = 1, ok=(0,)) -> float:
    """Median wall-clock seconds of ``aimama --root ROOT ARGS > /dev/null`` over ``runs`` runs
    (a new process each time); a run that exits otherwise than ``ok`` stops the benchmark."""
    return timed_cli_cpu(root, *args, runs=runs, ok=ok)[0]


def timed_cli_cpu(root: Path, *args: str, runs: int = 1, ok=(0,)) -> tuple[float, float]:
    """:func:`timed_cli`, and the median CPU seconds (user + system) of the command and the
    git processes it ran: the figure to compare on a loaded machine, where wall-clock time is
    mostly waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
        if proc.returncode not in ok:
            raise SystemExit(f"aimama {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


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


def watch_option(parser) -> None:
    parser.add_argument("--watch", action="store_true", help="with the watcher running (aimama watch start)")


@contextmanager
def watcher(root: Path, on: bool = True):
    """With ``on``, the repository's watcher runs inside (``aimama watch start``, then ``stop``):
    the record index asks it what changed instead of git's stat of every file."""
    if not on:
        yield
        return
    command = [sys.executable, "-m", "aimama_cli", "--root", str(root), "watch"]
    subprocess.run([*command, "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        subprocess.run([*command, "stop"], stdout=subprocess.DEVNULL)

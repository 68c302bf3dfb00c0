"""Time finding records by name: ``aimama find`` and names in place of ids, on a generated repository.

    python benchmarks/names.py DIR [--children N] [--runs R] [--watch]

With ``--children N`` a repository of N children is generated into DIR first (generate.py).
The index is brought up to date by one ``aimama find``, then each command runs as a user runs
it (a new process, R times, the median shown).  The names come from the repository: a name
several children share (resolved with ``--in`` their village) and one only one child has.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from timing import repository_args, watch_option, watcher  # noqa: E402  (benchmarks/ is the script's folder)

from aimama_cli.core.spelling import spelled


def found(root: Path, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), "find", *args,
                           "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["found"]


def timed(root: Path, *args: str, runs: int, ok=(0,)) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (user + system, the command's process and its children)
    of ``aimama --root ROOT ARGS``: on a busy machine the CPU time still says what it costs."""
    walls, cpus = [], []
    for _ in range(runs):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in ok:
            raise SystemExit(f"aimama {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    args, root = repository_args(__doc__, watch_option)
    with watcher(root, args.watch):
        measure(root, args.runs)


def measure(root: Path, runs: int) -> None:
    start = time.perf_counter()
    found(root, "zzzz")
    files = sum(1 for _ in (root / "records").rglob("*.yaml"))
    print(f"repository: {files:,} record files; index brought up to date in "
          f"{time.perf_counter() - start:.1f} s\n")

    children = [c for surname in "王李张刘陈" for c in found(root, surname, "--kind", "child", "--limit", "2000")]
    if not children:
        raise SystemExit("no child named 王, 李, 张, 刘 or 陈 to look up")
    counts = Counter(c["name"] for c in children)
    shared = next((c for c in children if counts[c["name"]] > 1), children[0])
    unique = next((c for c in children if counts[c["name"]] == 1), shared)
    spelling, initials = spelled(shared["name"])
    rows = [
        (f"find {shared['name']} (a name)", ["find", shared["name"]]),
        (f"find {initials} (pinyin initials)", ["find", initials]),
        (f"find {spelling} (pinyin)", ["find", spelling]),
        (f"find {unique['id'][:10]} (id prefix)", ["find", unique["id"][:10]]),
        (f"find {shared['village_name'][-3:]} (a village's name)", ["find", shared["village_name"][-3:]]),
        (f"child show {unique['name']} (a name one child has)", ["child", "show", unique["name"]]),
        (f"child show {shared['name']} (shared: exit 2, the candidates listed)", ["child", "show", shared["name"]]),
        (f"child show {shared['name']} --in {shared['village']}", ["child", "show", shared["name"], "--in",
                                                                     shared["village"]]),
        (f"child list --name {initials}", ["child", "list", "--name", initials]),
        ("child show ID (for comparison)", ["child", "show", unique["id"]]),
    ]
    print("| command | seconds | CPU seconds |\n|---|---:|---:|")
    for label, command in rows:
        ok = (0, 2) if command[:2] == ["child", "show"] else (0,)
        wall, cpu = timed(root, *command, runs=runs, ok=ok)
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    in_process(root, unique["name"], initials)


def in_process(root: Path, name: str, initials: str) -> None:
    """The lookups alone, the index already open (what a command adds to its start-up)."""
    from aimama_cli.domain import lookup, session

    records = session.records(root)
    print("\n| in one process, index open | milliseconds |\n|---|---:|")
    for label, work in ((f"Records.id_of({name})", lambda: records.id_of(name, "child")),
                        (f"lookup.find({initials})", lambda: lookup.find(records, initials))):
        start = time.perf_counter()
        work()
        print(f"| {label} | {1000 * (time.perf_counter() - start):.1f} |")


if __name__ == "__main__":
    main()

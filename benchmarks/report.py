"""Time the supervision reports (`aimama report …`) and the roster lists on a generated repository.

    python benchmarks/report.py DIR [--children N] [--runs R] [--quick] [--watch]

With ``--children N`` a repository of N children is generated into DIR first (generate.py
--git; no activity logs, so for the duties use the shared county and province repositories).  The record index is brought up to date once (what any earlier command
leaves), then each command runs as a user runs it (a new process, the median of R runs):

* each report four ways: ``--no-cache`` (everything judged and counted again, what every run
  cost before the index kept the reports' figures); the first run of a day after a day
  reported (the next day: the verdicts that cannot have turned are kept, the rest judged); the
  first run of a day with nothing kept (a day before those judged; on the first of a month or
  a year, or with a new index, every pairing is judged too); and again (the figures the index
  keeps);
* ``report duties`` and ``report volunteers`` after one activity log changed (a line added by
  hand: that volunteer's pairings are judged again, the counts made again);
* ``child list`` (every child, table) and ``volunteer list --format csv``.

DIR's files are changed (one log, put back at the end): run it on a copy.  Prints a Markdown
table for docs/performance.md, with the goal of issue 23 beside each figure, and the figures as
one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timing import repository_args, timed_cli, watch_option, watcher  # noqa: E402  (benchmarks/ is the script's folder)

AS_OF = "2026-11-01"


def main() -> None:
    def options(parser) -> None:
        parser.add_argument("--quick", action="store_true", help="only the kept figures and the lists (no --no-cache runs)")
        watch_option(parser)

    args, root = repository_args(__doc__, options)
    with watcher(root, args.watch):
        measure(args, root)


def measure(args, root: Path) -> None:
    from aimama_cli.rules.checker import open_index

    start = time.perf_counter()
    index = open_index(root)
    brought_up = time.perf_counter() - start
    children = index.count("WHERE kind = 'child'")
    runs = args.runs
    earlier = iter(f"{dt.date(2026, 10, 31) - dt.timedelta(days=n)}" for n in range(1000))
    later = iter(f"{dt.date(2026, 11, 2) + dt.timedelta(days=n)}" for n in range(58))

    def cli(*command, as_of=AS_OF) -> float:
        return timed_cli(root, *command, *(("--as-of", as_of) if as_of else ()), runs=runs)

    def first_of_day(days, *command, primed: bool = False) -> float:
        """The median of ``runs`` runs, each for a day not reported yet (``primed``: each the
        day after the one before, which is reported first, untimed)."""
        if primed:
            timed_cli(root, *command, "--as-of", next(days), runs=1)
        times = sorted(timed_cli(root, *command, "--as-of", next(days), runs=1) for _ in range(runs))
        return times[len(times) // 2]

    page = str(root / ".aimama" / "dashboard")
    rows = []  # (key, label, seconds, goal)
    for key, command, goal in (("coverage", ("report", "coverage"), 2), ("duties", ("report", "duties"), 5),
                               ("volunteers", ("report", "volunteers"), 3), ("html", ("report", "html", page), 10)):
        label = f"`{' '.join(command[:2])}`"
        if not args.quick:
            rows.append((f"{key} no-cache", f"{label} `--no-cache` (counted again)", cli(*command, "--no-cache"), goal))
            rows.append((f"{key} next day", f"{label}, first run of the next day", first_of_day(later, *command,
                                                                                        primed=True), goal))
            rows.append((f"{key} first", f"{label}, first run of a day with nothing kept",
                         first_of_day(earlier, *command), goal))
        rows.append((key, f"{label}, again (figures kept in the index)", cli(*command), goal))
    rows.append(("coverage village", "`report coverage --level village`, kept",
                 cli("report", "coverage", "--level", "village"), 2))
    log = min((root / "records" / "activities").glob("*/*.yaml"), default=None) or root / "aimama.yaml"
    text = log.read_bytes()  # a repository without logs: a line added to aimama.yaml instead
    try:
        for key, command, goal in (("duties", ("report", "duties"), 5), ("volunteers", ("report", "volunteers"), 3)):
            times = []
            for n in range(runs):
                log.write_bytes(text + f"# benchmark {n}\n".encode())
                times.append(timed_cli(root, *command, "--as-of", AS_OF, runs=1))
            rows.append((f"{key} one log changed", f"`{' '.join(command)}` after one log changed",
                         sorted(times)[len(times) // 2], goal))
    finally:
        log.write_bytes(text)
    rows.append(("child list", "`child list` (every child, table)", cli("child", "list", as_of=None), 4))
    rows.append(("volunteer list csv", "`volunteer list --format csv`",
                 cli("volunteer", "list", "--format", "csv", as_of=None), 3))
    print(f"\nrepository: {index.count():,} files, {children:,} children; index brought up to date "
          f"first in {brought_up:.1f} s\n")
    print(f"| command, index up to date (median of {runs}) | seconds | goal |\n|---|---:|---:|")
    for _key, label, seconds, goal in rows:
        print(f"| {label} | {seconds:.2f} | ≤ {goal} |")
    print("\n" + json.dumps({"children": children, **{key: round(s, 2) for key, _l, s, _g in rows}},
                            ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Time the supervision reports (`aimama report …`) on a generated repository.

    python benchmarks/report.py DIR [--children N] [--runs R]

With ``--children N`` a repository of N children is generated into DIR first (generate.py
--git).  The record index is brought up to date once (what any earlier command leaves), then
each report runs as a user runs it (a new process, the median of R runs): coverage per county
(the default), per township, per village, and as JSON; the duties and volunteers reports; and
the HTML dashboard (all three reports and twelve months of history).

Prints a Markdown table for docs/performance.md and the figures as one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timing import repository_args, timed_cli  # noqa: E402  (benchmarks/ is the script's folder)

AS_OF = "2026-11-01"


def main() -> None:
    args, root = repository_args(__doc__)

    from aimama_cli.rules.checker import open_index

    start = time.perf_counter()
    index = open_index(root)
    brought_up = time.perf_counter() - start
    children = index.count("WHERE kind = 'child'")
    report = ["report", "coverage", "--as-of", AS_OF]
    rows = [(f"`report coverage` (per county) — {children:,} children", timed_cli(root, *report, runs=args.runs)),
            ("`report coverage --level township`", timed_cli(root, *report, "--level", "township", runs=args.runs)),
            ("`report coverage --level village`", timed_cli(root, *report, "--level", "village", runs=args.runs)),
            ("`report coverage --format json`", timed_cli(root, *report, "--format", "json", runs=args.runs)),
            ("`report duties`", timed_cli(root, "report", "duties", "--as-of", AS_OF, runs=args.runs)),
            ("`report volunteers`", timed_cli(root, "report", "volunteers", "--as-of", AS_OF, runs=args.runs)),
            ("`report html`", timed_cli(root, "report", "html", str(root / ".aimama" / "dashboard"),
                                        "--as-of", AS_OF, runs=args.runs))]
    print(f"\nrepository: {index.count():,} files, {children:,} children; index brought up to date "
          f"first in {brought_up:.1f} s\n")
    print(f"| command, index up to date (median of {args.runs}) | seconds |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    print("\n" + json.dumps({"children": children, **{label: round(s, 2) for label, s in rows}}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Time ``aimama import logs`` of a sheet of visits on a generated repository.

    python benchmarks/log_import.py DIR [--children N] [--rows 1000] [--runs R]

DIR is changed (the import commits): run it on a copy (``cp -a``).  A sheet is made of ROWS
visits of volunteers to the children they are paired with, in October 2026, as a coordinator
gets one (XLSX, Chinese headers, the children by name, the volunteers by name where the name is
unique, else by id); then the import runs as a user runs it (a new process): once with
--dry-run (read, judged, nothing written), once for real (written and committed in one commit),
and once more (every row is then already logged).  Prints a Markdown table for
docs/performance.md: CPU seconds (the command and its git processes) and wall-clock seconds.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from timing import repository_args, timed_cli, timed_cli_cpu  # noqa: E402  (benchmarks/ is the script's folder)

AS_OF = "2026-11-01"
KINDS = ["入户走访", "电话联系", "微信联系", "视频通话", "入户走访、做一顿饭"]


def sheet_rows(root: Path, count: int) -> list[list]:
    """``count`` visits (one per pairing active all October, each on its own day)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from aimama_cli.domain import session

    index = session.records(root).index
    pairings = [f for _p, _rid, f in index.fields("pairing", ("child", "volunteer", "started_on", "ended_on"))
                if str(f.get("started_on", "9")) <= "2026-10-01" and not f.get("ended_on")]
    names = index.names({f["volunteer"] for f in pairings} | {f["child"] for f in pairings})
    named_twice = {n for n, k in Counter(f.get("name") for _p, _r, f in index.fields("volunteer", ("name",))).items()
                   if k > 1}
    rows = []
    for i, pairing in enumerate(pairings[:count]):
        volunteer = names.get(pairing["volunteer"])
        who = pairing["volunteer"] if not volunteer or volunteer in named_twice else volunteer
        rows.append([dt.datetime(2026, 10, 1 + i % 28), who, names.get(pairing["child"]) or pairing["child"],
                     KINDS[i % len(KINDS)], "已联系上", 1 + (i % 4) * 0.5, "例行走访，情况良好"])
    if len(rows) < count:
        raise SystemExit(f"only {len(rows)} pairings active in October 2026: generate more children")
    return rows


def main() -> None:
    args, root = repository_args(__doc__, lambda p: p.add_argument("--rows", type=int, default=1000))
    from openpyxl import Workbook

    timed_cli(root, "check", "--as-of", AS_OF, ok=(0, 1))  # the index up to date, as a user has it
    book = Workbook()
    book.active.append(["日期", "志愿者", "儿童", "方式", "联系情况", "时长（小时）", "内容"])
    for row in sheet_rows(root, args.rows):
        book.active.append(row)
    sheet = root.parent / f"visits-{args.rows}.xlsx"
    book.save(sheet)
    command = ["import", "logs", str(sheet), "--as-of", AS_OF]
    rows = [(f"import logs, {args.rows} rows, --dry-run (read and judged)",
             timed_cli_cpu(root, *command, "--dry-run", runs=args.runs)),
            (f"import logs, {args.rows} rows (judged, written, one commit)", timed_cli_cpu(root, *command)),
            (f"import logs, the same {args.rows} rows again (all already logged)",
             timed_cli_cpu(root, *command, runs=args.runs))]
    print("| command | CPU seconds | wall seconds |\n|---|---:|---:|")
    for label, (wall, cpu) in rows:
        print(f"| {label} | {cpu:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    main()

"""Time `aimama duty check` and `duty remind` on a generated repository with a year of activity logs.

    python benchmarks/duty.py DIR [--children N] [--runs R] [--skip-cli] [--skip-check]

With ``--children N`` a repository of N children, with this year's activity logs, is generated
into DIR first (generate.py --git --activities; 88,200 children give ~100,000 pairings active in
2026 and ~950,000 log entries).  Then, in one run on that repository:

* from scratch: the record index is built with no cache (what the first command of a clone
  does), reported apart; then, unless ``--skip-check``, `aimama check` with the index up to
  date (the repository rules, AM821's duty check of every pairing among them);
* with the index up to date, unless ``--skip-cli``, each command as a user runs it (a new
  process, the median of R runs): `duty check --format json > /dev/null`, `duty check` (text),
  `duty remind` (text) and `duty remind --format json`;
* in process, where the time goes: bringing the index up to date, Book.load (the activity
  entries apart), check(), summary(), the JSON and text rendering, remind().

Prints Markdown tables for docs/performance.md and the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timing import timed_cli  # noqa: E402  (benchmarks/ is the script's folder)

AS_OF = "2026-11-01"


def in_process(root: Path) -> tuple[list, dict]:
    """(rows of (step, seconds), facts) of one duty check and remind, step by step."""
    from aimama_cli.model import duties, programmes
    from aimama_cli.reports.duty_check import WANTED, check_text, json_part, remind_text, reminders, text_part
    from aimama_cli.rules.checker import open_index

    day = dt.date.fromisoformat(AS_OF)
    spent = {}
    reading = duties._entries

    def entries(*args, **kwargs):  # Book.load's reading of the activity entries, timed apart
        start = time.perf_counter()
        found = reading(*args, **kwargs)
        spent["entries"] = time.perf_counter() - start
        return found

    rows = []

    def step(label, work):
        start = time.perf_counter()
        value = work()
        rows.append((label, time.perf_counter() - start))
        return value

    index = step("index brought up to date (nothing changed)", lambda: open_index(root))
    duties._entries = entries
    try:
        book = step("Book.load (pairings, people, programmes, entries from the index)",
                    lambda: duties.Book.load(index, day.year, day))
    finally:
        duties._entries = reading
    rows.append(("  of which the activity entries (SQL joins each log's lines by child, Python splits)",
                 spent["entries"]))
    results = step("check() (every duty of every pairing)", lambda: duties.check(book))
    total = step("summary()", lambda: duties.summary(results))
    as_dicts = step("JSON: as_dict() of every pairing", lambda: [r.as_dict(book) for r in results])
    text = step("JSON: json.dumps (no indent, as the command)", lambda: json.dumps(
        {"as_of": book.as_of.isoformat(), "year": book.year, "pairings": as_dicts, "summary": total},
        ensure_ascii=False))
    table = step("text: the table of open duties (tabulate)",
                 lambda: check_text(book.year, day, text_part(book, results, WANTED["open"])[1], total))
    settings = programmes.settings(index)
    found = step("remind() (due within 30 days, overdue, silent), as JSON", lambda: reminders(
        book, results, settings["remind_within_days"], settings["contact_alert_days"]))
    step("remind text", lambda: remind_text(day, found, settings["remind_within_days"]))
    folder = tempfile.mkdtemp(prefix="aimama-bench-")
    step(f"all of it again in {os.cpu_count()} worker processes: select, then Book.of, check() and "
         "JSON a part each (duties.in_parts)", lambda: duties.in_parts(
             index, day.year, day, functools.partial(json_part, folder=folder)))
    shutil.rmtree(folder)
    db = index.db
    facts = {
        "files": index.count(),
        "pairing_files": db.execute("SELECT count(*) FROM files WHERE kind = 'pairing'").fetchone()[0],
        "activity_logs": db.execute("SELECT count(*) FROM files WHERE kind = 'activity'").fetchone()[0],
        "entries": db.execute("SELECT count(DISTINCT path || ' ' || n) FROM entries").fetchone()[0],
        "pairings_judged": len(results),
        "summary": total,
        "json_mb": round(len(text.encode()) / 1e6, 1),
        "text_lines": table.count("\n") + 1,
        "volunteers_reminded": len(found),
    }
    return rows, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--children", type=int, help="generate a repository of N children, with activity logs, first")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (the median is shown)")
    parser.add_argument("--skip-cli", action="store_true", help="no end-to-end runs of the commands")
    parser.add_argument("--skip-check", action="store_true", help="no `aimama check` after the index is built")
    args = parser.parse_args()
    root = args.root.resolve()
    if args.children:
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--children",
                        str(args.children), "--git", "--activities"], check=True)

    from aimama_cli.rules.checker import open_index

    shutil.rmtree(root / ".aimama", ignore_errors=True)
    start = time.perf_counter()
    open_index(root)
    figures = {"index_from_scratch": time.perf_counter() - start}
    if not args.skip_check:
        figures["check_index_up_to_date"] = timed_cli(root, "check", "--as-of", AS_OF, "--format", "json",
                                                      ok=(0, 1))
        figures["check_warm"] = timed_cli(root, "check", "--as-of", AS_OF, "--format", "json", ok=(0, 1))
    commands = [
        ("duty check --format json > /dev/null", ["duty", "check", "--as-of", AS_OF, "--format", "json"]),
        ("duty check (text: open duties)", ["duty", "check", "--as-of", AS_OF]),
        ("duty remind (text)", ["duty", "remind", "--as-of", AS_OF]),
        ("duty remind --format json", ["duty", "remind", "--as-of", AS_OF, "--format", "json"]),
    ]
    cli = [] if args.skip_cli else [(label, timed_cli(root, *command, runs=args.runs)) for label, command in commands]
    from aimama_cli.core.paused_gc import paused_gc

    with paused_gc():  # as the commands run
        steps, facts = in_process(root)

    s = facts["summary"]
    print(f"\nrepository: {facts['files']:,} files ({facts['pairing_files']:,} pairings, "
          f"{facts['activity_logs']:,} activity logs with {facts['entries']:,} entries); {os.cpu_count()} cores")
    print(f"judged as of {AS_OF}: {s['pairings']:,} pairings, {s['duties']:,} duties — met {s['met']:,}, "
          f"due {s['due']:,}, overdue {s['overdue']:,}, not applicable {s['not_applicable']:,}; "
          f"{s['pairings_overdue']:,} pairings with a duty overdue; JSON {facts['json_mb']} MB, "
          f"text {facts['text_lines']:,} lines; {facts['volunteers_reminded']:,} volunteers reminded\n")
    print("| from scratch | seconds |\n|---|---:|")
    print(f"| index built (no cache; {facts['files']:,} files) | {figures['index_from_scratch']:.2f} |")
    if not args.skip_check:
        print(f"| `aimama check`, index up to date (repository rules, AM821 among them) | "
              f"{figures['check_index_up_to_date']:.2f} |")
        print(f"| `aimama check` again (nothing changed) | {figures['check_warm']:.2f} |")
    if cli:
        print(f"\n| command, index up to date (median of {args.runs}) | seconds |\n|---|---:|")
        for label, seconds in cli:
            print(f"| `aimama {label}` | {seconds:.2f} |")
    print("\n| in process | seconds |\n|---|---:|")
    for label, seconds in steps:
        print(f"| {label} | {seconds:.2f} |")
    figures = {k: round(v, 2) for k, v in figures.items()}
    figures.update({"cli": {k: round(v, 2) for k, v in cli}, "in_process": {k.strip(): round(v, 3) for k, v in steps},
                    **{k: v for k, v in facts.items() if k != "summary"}, "summary": s})
    print("\n" + json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

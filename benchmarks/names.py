"""Time finding records by name: ``aimama find`` and names in place of ids, on a generated repository.

    python benchmarks/names.py DIR [--children N] [--runs R]

With ``--children N`` a repository of N children is generated into DIR first (generate.py).
The index is brought up to date by one ``aimama find``, then each command runs as a user runs
it (a new process, R times, the median shown).  The names come from the repository: a name
several children share (resolved with ``--in`` their village) and one only one child has.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from timing import repository_args, timed_cli  # noqa: E402  (benchmarks/ is the script's folder)

from aimama_cli.core.spelling import spelled


def found(root: Path, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), "find", *args,
                           "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["found"]


def main() -> None:
    args, root = repository_args(__doc__)
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
    print("| command | seconds |\n|---|---:|")
    for label, command in rows:
        ok = (0, 2) if command[:2] == ["child", "show"] else (0,)
        print(f"| {label} | {timed_cli(root, *command, runs=args.runs, ok=ok):.2f} |")


if __name__ == "__main__":
    main()

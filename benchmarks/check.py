"""Time `aimama check` on a generated repository, beside check-jsonschema on the same files.

    python benchmarks/check.py DIR [--children N] [--day DATE] [--skip-baseline] [--baseline-sample K] [--floor K]

With ``--children N`` a repository of N children is generated into DIR first (see
generate.py).  Then, in one run on that repository:

* ``aimama check`` cold (no index cache), warm (nothing changed), and after one file changed,
  as of ``--day``; then as of the next day (only the rules that read the day judged again, the
  duties from the judgements kept) and as of the next month's first day (every duty verdict
  turns);
* ``check-jsonschema`` validating the same child files against the same (bundled) child schema,
  in batches as ``xargs`` would give them (or a random sample of K files, extrapolated);

With ``--floor K`` it only measures, on K random files of each kind, the CPU a file costs to
read, to compose with libyaml alone, to read with yaml-rs alone (the floor of the native reader
``parse`` tries first), to parse (``yamlio.parse``: values) and to analyse as the index does,
and what that makes for all the files.

and it prints seconds (wall; and the CPU of aimama and the processes it starts), files per
second and the ratios, as a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCH = 5000  # files per check-jsonschema call, as xargs would split a long argument list


CPU: list[float] = []  # CPU seconds (user + system, with every process it started) of each command run


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    CPU.append(_cpu() - cpu)
    return time.perf_counter() - start, proc


def aimama(root: Path, *args: str) -> tuple[float, dict]:
    seconds, proc = timed([sys.executable, "-m", "aimama_cli", "--root", str(root), "check",
                           "--format", "json", *args])
    if proc.returncode not in (0, 1):
        raise SystemExit(f"aimama check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, json.loads(proc.stdout)


def baseline(root: Path, sample: int | None) -> tuple[float, int]:
    """Seconds check-jsonschema takes for every child file (extrapolated from a sample)."""
    from aimama_cli.store import schemas

    children = sorted(str(p) for p in (root / "records" / "children").glob("*.yaml"))
    chosen = random.Random(1).sample(children, sample) if sample and sample < len(children) \
        else children
    with tempfile.TemporaryDirectory() as tmp:
        schema_file = Path(tmp) / "child.json"
        schema_file.write_text(json.dumps(schemas.schema("child")), encoding="utf-8")
        exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
        total = 0.0
        for i in range(0, len(chosen), BATCH):
            seconds, proc = timed([exe, "--schemafile", str(schema_file), *chosen[i:i + BATCH]])
            if proc.returncode not in (0, 1):
                raise SystemExit(f"check-jsonschema failed: {proc.stderr[-2000:]}")
            total += seconds
    return total * len(children) / len(chosen), len(children)


def floor(root: Path, sample: int) -> list[tuple[str, int, float, list[float]]]:
    """Per kind of record: (kind, files, mean bytes, [µs of CPU a file to read it, to compose its
    YAML nodes with libyaml alone, to read it with yaml-rs alone, to parse it (YAML 1.2 values),
    to analyse it as the index does (parse, schema, file rules, what the index keeps)]), on
    ``sample`` files of each kind chosen at random; the texts are in memory for all but the
    first."""
    from yaml_rs import loads

    from aimama_cli.rules import FILE_CHECKS
    from aimama_cli.store import layout
    from aimama_cli.store.analysis import analyse
    from aimama_cli.store.yamlio import _NodeLoader, decode, parse

    def compose(text: str) -> None:
        loader = _NodeLoader(text)
        try:
            loader.get_single_node()
        finally:
            loader.dispose()

    by_kind: dict[str, list[str]] = {}
    for path in sorted(p.relative_to(root).as_posix() for p in (root / "records").rglob("*.yaml")):
        by_kind.setdefault(layout.classify(path)[0] or "?", []).append(path)
    rows = []
    for kind, paths in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        chosen = random.Random(1).sample(paths, min(sample, len(paths)))
        start = time.process_time()
        raws = [(root / p).read_bytes() for p in chosen]
        costs = [time.process_time() - start]
        texts = [decode(raw) for raw in raws]
        for step in (lambda i: compose(texts[i]), lambda i: loads(texts[i], parse_datetime=False),
                     lambda i: parse(texts[i]),
                     lambda i: analyse(chosen[i], raws[i], FILE_CHECKS)):
            start = time.process_time()
            for i in range(len(chosen)):
                step(i)
            costs.append(time.process_time() - start)
        rows.append((kind, len(paths), sum(map(len, raws)) / len(raws),
                     [c / len(chosen) * 1e6 for c in costs]))
    return rows


def print_floor(rows) -> None:
    print("\n| kind | files | bytes a file | read µs | libyaml compose µs | yaml-rs µs | parse µs "
          "| analyse µs | analyse / compose |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0.0] * 5
    for kind, files, size, costs in rows:
        print(f"| {kind} | {files:,} | {size:,.0f} | " + " | ".join(f"{c:,.0f}" for c in costs)
              + f" | {costs[4] / costs[1]:.1f} |")
        totals = [t + files * c / 1e6 for t, c in zip(totals, costs)]
    print("| **all files, CPU seconds** | | | " + " | ".join(f"{t:,.0f}" for t in totals)
          + f" | {totals[4] / totals[1]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--children", type=int, help="generate a repository of N children first")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--baseline-sample", type=int,
                        help="time check-jsonschema on K random child files and extrapolate")
    parser.add_argument("--floor", type=int, metavar="K",
                        help="only the cost a file of each kind against libyaml's composer, on K "
                             "random files of each kind (nothing is written)")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2026, 11, 1),
                        help="the day the checks judge (--as-of; default 2026-11-01)")
    args = parser.parse_args()
    root = args.root.resolve()
    if args.floor:
        print_floor(floor(root, args.floor))
        return
    if args.children:
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--children",
                        str(args.children), "--git"], check=True)

    shutil.rmtree(root / ".aimama", ignore_errors=True)
    day = ("--as-of", args.day.isoformat())
    cold, report = aimama(root, *day)
    cpu = [CPU[-1]]
    files = report["files"]
    warm, _ = aimama(root, *day)
    cpu.append(CPU[-1])
    child = next((root / "records" / "children").glob("*.yaml"))
    with child.open("a", encoding="utf-8") as handle:
        handle.write("# touched by the benchmark\n")
    one, after = aimama(root, *day)
    cpu.append(CPU[-1])
    assert after["files"] == files
    child.write_text(child.read_text(encoding="utf-8").replace("# touched by the benchmark\n", ""),
                     encoding="utf-8")
    aimama(root, *day)  # the child as it was, judged
    next_day, _ = aimama(root, "--as-of", (args.day + dt.timedelta(days=1)).isoformat())
    cpu.append(CPU[-1])
    month = (args.day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    new_month, _ = aimama(root, "--as-of", month.isoformat())
    cpu.append(CPU[-1])

    rows = [("aimama check, cold (no cache)", cold, files),
            ("aimama check, warm (nothing changed)", warm, files),
            ("aimama check, one file changed", one, files),
            ("aimama check, the next day", next_day, files),
            (f"aimama check, the next month's first day ({month})", new_month, files)]
    if not args.skip_baseline:
        seconds, children = baseline(root, args.baseline_sample)
        label = "check-jsonschema, child files only" + (
            f" (sample of {args.baseline_sample}, extrapolated)" if args.baseline_sample else "")
        rows.append((label, seconds, children))

    print(f"\nrepository: {root} — {files} files, {report['records']} records, "
          f"{len(report['problems'])} problems; {os.cpu_count()} cores\n")
    print("| run | files | seconds | CPU seconds | files/second |")
    print("|---|---:|---:|---:|---:|")
    for (name, seconds, count), used in zip(rows, cpu + [None]):
        shown = "" if used is None else f"{used:.2f}"
        print(f"| {name} | {count:,} | {seconds:.2f} | {shown} | {count / seconds:,.0f} |")
    if not args.skip_baseline:
        ratio = (files / cold) / (rows[-1][2] / rows[-1][1])
        print(f"\ncold aimama throughput / check-jsonschema throughput: {ratio:.1f}x")


if __name__ == "__main__":
    main()

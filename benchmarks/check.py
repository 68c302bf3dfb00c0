"""Time `aimama check` on a generated repository, beside check-jsonschema on the same files.

    python benchmarks/check.py DIR [--children N] [--skip-baseline] [--baseline-sample K]

With ``--children N`` a repository of N children is generated into DIR first (see
generate.py).  Then, in one run on that repository:

* ``aimama check`` cold (no index cache), warm (nothing changed), and after one file changed;
* ``check-jsonschema`` validating the same child files against the same (bundled) child schema,
  in batches as ``xargs`` would give them (or a random sample of K files, extrapolated);

and it prints seconds, files per second and the ratios, as a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCH = 5000  # files per check-jsonschema call, as xargs would split a long argument list


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--children", type=int, help="generate a repository of N children first")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--baseline-sample", type=int,
                        help="time check-jsonschema on K random child files and extrapolate")
    args = parser.parse_args()
    root = args.root.resolve()
    if args.children:
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--children",
                        str(args.children), "--git"], check=True)

    shutil.rmtree(root / ".aimama", ignore_errors=True)
    cold, report = aimama(root)
    files = report["files"]
    warm, _ = aimama(root)
    child = next((root / "records" / "children").glob("*.yaml"))
    with child.open("a", encoding="utf-8") as handle:
        handle.write("# touched by the benchmark\n")
    one, after = aimama(root)
    assert after["files"] == files
    child.write_text(child.read_text(encoding="utf-8").replace("# touched by the benchmark\n", ""),
                     encoding="utf-8")

    rows = [("aimama check, cold (no cache)", cold, files),
            ("aimama check, warm (nothing changed)", warm, files),
            ("aimama check, one file changed", one, files)]
    if not args.skip_baseline:
        seconds, children = baseline(root, args.baseline_sample)
        label = "check-jsonschema, child files only" + (
            f" (sample of {args.baseline_sample}, extrapolated)" if args.baseline_sample else "")
        rows.append((label, seconds, children))

    print(f"\nrepository: {root} — {files} files, {report['records']} records, "
          f"{len(report['problems'])} problems; {os.cpu_count()} cores\n")
    print("| run | files | seconds | files/second |")
    print("|---|---:|---:|---:|")
    for name, seconds, count in rows:
        print(f"| {name} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")
    if not args.skip_baseline:
        ratio = (files / cold) / (rows[-1][2] / rows[-1][1])
        print(f"\ncold aimama throughput / check-jsonschema throughput: {ratio:.1f}x")


if __name__ == "__main__":
    main()

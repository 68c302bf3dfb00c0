"""Whether the native reader reads every record of a repository as libyaml does, and how fast.

    python benchmarks/yaml_agreement.py DIR [--every N]

Reads each record file under DIR/records (every Nth with ``--every``) with both readers of
aimama_cli/store/yamlio.py: the native one (``quick_yaml.values``), which steps aside where it
is not sure, and libyaml with our walker (``parse_slowly``).  Prints how many files the native
reader took, every file where the values differ (there must be none), and the time per file of
each reader in this process.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aimama_cli.store import quick_yaml  # noqa: E402  (after the path tweak)
from aimama_cli.store.yamlio import YamlProblem, decode, parse_slowly  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--every", type=int, default=1, help="read every Nth file only")
    args = parser.parse_args()
    paths = sorted((args.root / "records").rglob("*.yaml"))[::args.every]
    taken = differ = unreadable = 0
    quick_s = slow_s = 0.0
    for path in paths:
        try:
            text = decode(path.read_bytes())
        except YamlProblem:
            unreadable += 1
            continue
        start = time.perf_counter()
        quick = quick_yaml.values(text)
        middle = time.perf_counter()
        try:
            slow = parse_slowly(text)
        except YamlProblem:
            slow = None
        slow_s += time.perf_counter() - middle
        quick_s += middle - start
        if quick is None:
            continue
        taken += 1
        if slow is None or slow.odd or repr(slow.data) != repr(quick):
            differ += 1
            print(f"differs: {path}")
    files = max(len(paths), 1)
    print(f"{len(paths)} files, {unreadable} not text; the native reader took {taken} "
          f"({100 * taken / files:.1f} %), {differ} read differently")
    print(f"per file: native (with its checks) {quick_s / files * 1e6:.0f} µs, "
          f"libyaml and walker {slow_s / files * 1e6:.0f} µs")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

"""What the leak scanner (AM911-AM915) costs on a generated repository.

    python benchmarks/leaks.py DIR

The scanner runs with the file rules when a file is indexed, so its cost is paid on a cold
check (or for the files that changed) and a warm check reads its findings from the index. This
times, in process, the scanner alone over every record file of DIR — plaintext (AM912-AM914)
and as if encrypted (AM911 too) — beside the parse it rides on, then a cold and a warm
``aimama check`` for scale, and the commit-message scan (AM915) over the whole history. Prints
a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from timing import timed_cli  # noqa: E402

from aimama_cli.rules import leaks as leak_rules  # noqa: E402
from aimama_cli.store import gitio, layout  # noqa: E402  (after the path tweak)
from aimama_cli.store.analysis import FileContext  # noqa: E402
from aimama_cli.store.sealing import leaks  # noqa: E402  (after the path tweak)
from aimama_cli.store.yamlio import decode, parse  # noqa: E402


def scan_seconds(contexts: list, sealed: bool) -> tuple[float, int]:
    """Seconds the leak rules take over ``contexts``, and how many findings they make."""
    found = 0
    start = time.perf_counter()
    for ctx in contexts:
        ctx.sealed = sealed
        found += len(leak_rules.file_name_problems(ctx.path, sealed))
        found += sum(1 for _ in leak_rules.numbers_in_other_fields(ctx))
        found += sum(1 for _ in leak_rules.plaintext_in_sensitive_field(ctx))
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    root = args.root.resolve()

    start = time.perf_counter()
    contexts = []
    for path, _st in layout.scan(root, {}):
        kind = layout.classify(path)[0]
        if kind:
            parsed = parse(decode((root / path).read_bytes()))
            contexts.append(FileContext(path, kind, parsed.data, parsed))
    parse_seconds = time.perf_counter() - start
    plain, plain_found = scan_seconds(contexts, sealed=False)
    sealed, sealed_found = scan_seconds(contexts, sealed=True)

    cold = timed_cli(root, "check", "--no-cache", "--format", "json", ok=(0, 1))
    timed_cli(root, "check", "--format", "json", ok=(0, 1))  # build the index
    warm = timed_cli(root, "check", "--format", "json", ok=(0, 1), runs=3)

    tree = gitio.Worktree.find(root)
    commits, message_seconds = 0, 0.0
    if tree and tree.head_commit():
        start = time.perf_counter()
        messages = tree.messages("HEAD")
        found = leaks.commit_problems(tree, "HEAD", False)
        message_seconds = time.perf_counter() - start
        commits = len(messages)
        assert not found, found[:3]

    n = len(contexts)
    print(f"repository: {root} ({n:,} record files)\n")
    print("| step | seconds | µs a file |")
    print("|---|---:|---:|")
    print(f"| parse every record (libyaml, for scale; not timed by check) | {parse_seconds:.2f} | {parse_seconds / n * 1e6:.0f} |")
    print(f"| leak scan, plaintext repository ({plain_found} findings) | {plain:.2f} | {plain / n * 1e6:.0f} |")
    print(f"| leak scan, encrypted repository ({sealed_found} findings) | {sealed:.2f} | {sealed / n * 1e6:.0f} |")
    print(f"| aimama check, cold (no index) | {cold:.2f} | {cold / n * 1e6:.0f} |")
    print(f"| aimama check, warm (findings read from the index) | {warm:.2f} | |")
    print(f"| commit messages of the whole history ({commits} commits) | {message_seconds:.3f} | |")


if __name__ == "__main__":
    main()

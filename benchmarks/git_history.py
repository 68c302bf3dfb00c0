"""Time `aimama history`, `audit` and `diff` on a repository with a long git history.

    python benchmarks/git_history.py DIR [--commits N] [--every K] [--runs R]

The demo records (records/ of this project) are committed into a new git repository in DIR,
then N commits are added with `git fast-import` (seconds, not the minutes `git commit` would
take): each changes one field of one child — every K-th commit the same child, so her history
holds N/K versions — by one of the coordinators of records/coordinators.yaml, or, one commit in
fifty, by an author who is none of them.  Then, each command as a user runs it (a new process,
the median of R runs): `history` of that child (json and table), `audit` of the whole history,
and `diff` of the last thousand commits (markdown).

Prints a Markdown table for docs/git.md and the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from timing import timed_cli  # noqa: E402  (benchmarks/ is the script's folder)


def git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=True).stdout.decode()


def build(root: Path, commits: int, every: int) -> tuple[str, int]:
    """The repository with ``commits`` commits on top of the demo records; (the child edited
    every ``every``-th commit, how many commits touch her)."""
    import yaml

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copy(PROJECT / "aimama.yaml", root / "aimama.yaml")
    git(root, "init", "-q", "-b", "main")
    people = [(c["name"], c["email"]) for c in
              yaml.safe_load((root / "records/coordinators.yaml").read_text("utf-8"))["coordinators"]]
    git(root, "add", "-A")
    git(root, "-c", f"user.name={people[0][0]}", "-c", f"user.email={people[0][1]}", "commit", "-qm", "demo records")
    children = sorted((root / "records/children").glob("*.yaml"))
    texts = {p: p.read_text("utf-8") for p in children}
    stream, start, target = [], 1_700_000_000, children[0]
    for i in range(commits):
        path = target if i % every == 0 else children[1 + i % (len(children) - 1)]
        name, email = ("实习生", "intern@example.org") if i % 50 == 49 else people[i % len(people)]
        texts[path] = _edited(texts[path], i)
        data = texts[path].encode()
        message = f"aimama child edit: {path.stem} risk_level\n\nAimama-Command: child edit\nAimama-Record: {path.stem}\n".encode()
        stream += [b"commit refs/heads/main\n", f"committer {name} <{email}> {start + 60 * i} +0800\n".encode(),
                   b"data %d\n" % len(message), message]
        if i == 0:
            stream.append(b"from refs/heads/main^0\n")
        stream += [f"M 100644 inline {path.relative_to(root).as_posix()}\n".encode(), b"data %d\n" % len(data), data, b"\n"]
    git(root, "fast-import", "--quiet", stdin=b"".join(stream))
    git(root, "reset", "-q", "--hard", "main")
    return target.stem, len(range(0, commits, every))


RISK = ("green", "yellow", "orange")


def _edited(text: str, i: int) -> str:
    """The child with another risk level."""
    text = re.sub(r"^risk_level: .*$", f"risk_level: {RISK[i % 3]}", text, count=1, flags=re.M)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=5, help="one commit in K edits the child whose history is timed")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = args.root.resolve()
    start = time.perf_counter()
    child, versions = build(root, args.commits, args.every)
    built = time.perf_counter() - start
    subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), "check"], capture_output=True)  # the index
    total = int(git(root, "rev-list", "--count", "HEAD"))
    span = min(1000, total - 1)
    rows = [
        (f"`history {child} --format json` ({versions:,} commits of {total:,} touch her)",
         timed_cli(root, "history", child, "--format", "json", runs=args.runs)),
        (f"`history {child}` (table)", timed_cli(root, "history", child, runs=args.runs)),
        (f"`audit` (all {total:,} commits)", timed_cli(root, "audit", "--format", "json", runs=args.runs, ok=(0, 1))),
        (f"`diff HEAD~{span}..HEAD --format markdown`",
         timed_cli(root, "diff", f"HEAD~{span}..HEAD", "--format", "markdown", runs=args.runs)),
    ]
    print(f"\nrepository: {total:,} commits (built with git fast-import in {built:.1f} s)\n")
    print(f"| command (median of {args.runs}) | seconds |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    print("\n" + json.dumps({"commits": total, "versions": versions, **{label: round(s, 2) for label, s in rows}},
                            ensure_ascii=False))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Kill aimama's changing commands at random moments, run many at once, and count the damage.

    python benchmarks/chaos.py REPO [--kills 50] [--crowd 20] [--seed S] [--commands a,b]

REPO is a records repository in git, used as it is and put back to its HEAD between trials
(``git reset --hard``): give it a copy (the demo: ``git clone . /tmp/demo``; a generated one:
``python benchmarks/generate.py /tmp/big --children 5000 --git``).  With an encrypted
repository, set ``AIMAMA_AGE_IDENTITY`` (the demo's is demo/demo-age-identity.txt).

For each changing command of the README's tour that applies to REPO, ``--kills`` runs, each
killed (SIGKILL) at a random moment of the command's own duration; after each, one ``aimama
check`` (which settles what the kill left) and then the repository is inspected:

- torn: a record file that does not parse (AM10x) or a file left half-written beside one;
- lost: HEAD moved but the work tree does not hold it, or it neither moved nor stayed;
- dirt: anything ``git status`` shows after the check, or a journal left in .git/aimama/;
- stale locks: .git/index.lock, a ref's .lock, or a write lock that cannot be taken;
- exit 3: any command (the killed one aside) that ended with an internal error.

Then ``--crowd`` commands at once — writers (child add, child edit, volunteer edit) and readers
(check, child list, child show) — and the same counts, plus writers that said they committed
but whose commit is not in the history.  Every count must be zero.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = [sys.executable, "-c", "from aimama_cli.entry import main; main()"]
COUNTS = ("torn", "lost", "dirt", "stale_locks", "exit_3")


def aimama(repo: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    # a session of its own: a kill takes the command and the git it runs, as a dying laptop does
    return subprocess.Popen([*SCRIPT, "--lang", "en", "--root", str(repo), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            env={**os.environ, "AIMAMA_LOCK_WAIT": "120", **(env or {})})


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def first(repo: Path, folder: str) -> str | None:
    files = sorted((repo / "records" / folder).glob("*.yaml"))
    return files[0].stem if files else None


def open_pairing(repo: Path) -> str | None:
    for path in sorted((repo / "records" / "pairings").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "ended_on:" not in text:
            return path.stem
    return None


def tour(repo: Path, n: int) -> dict[str, list[str]]:
    """The changing commands of the README's tour that apply to ``repo`` (``n`` varies the
    values, so that each run changes something)."""
    child, volunteer, pairing = first(repo, "children"), first(repo, "volunteers"), open_pairing(repo)
    village = _a_village(repo)
    commands = {
        "child add": ["child", "add", "--name", f"测试{n:04d}", "--gender", "女",
                      "--birth-date", "2016-05-01", "--category", "留守儿童", "--village", village,
                      "--guardian-name", "测奶奶", "--guardian-relation", "祖母",
                      "--guardian-phone", "13900009999", "--consent-date", "2026-01-02",
                      "--source", "village"],
        "child edit": ["child", "edit", child, "--set", f"risk_level={('orange', 'yellow')[n % 2]}"],
        "volunteer edit": ["volunteer", "edit", volunteer, "--set", f"capacity={2 + n % 3}"],
    }
    if pairing:
        commands["pair end"] = ["pair", "end", pairing, "--reason", "reassigned"]
    roster = PROJECT / "demo" / "samples" / "children-roster.xlsx"
    if _succeeds(repo, "import", "children", str(roster), "--dry-run"):
        commands["import children"] = ["import", "children", str(roster)]
    if (repo / "keys.yaml").exists() and os.environ.get("AIMAMA_AGE_IDENTITY"):
        commands["keys rotate"] = ["keys", "rotate"]
    return commands


def _a_village(repo: Path) -> str:
    child = first(repo, "children")
    for line in (repo / "records" / "children" / f"{child}.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("village:"):
            return line.split(":", 1)[1].split("#")[0].strip().strip("'\"")
    return "430621101201"


def _succeeds(repo: Path, *args: str) -> bool:
    proc = aimama(repo, *args)
    proc.communicate()
    return proc.returncode == 0


def reset(repo: Path, head: str) -> None:
    git(repo, "reset", "-q", "--hard", head)
    git(repo, "clean", "-qfdx", "-e", ".aimama")


def inspect(repo: Path, head: str, counts: Counter, check: subprocess.Popen) -> None:
    out, _ = check.communicate()
    if check.returncode == 3:
        counts["exit_3"] += 1
    try:
        problems = json.loads(out).get("problems", [])
    except ValueError:
        problems = []
    counts["torn"] += sum(1 for p in problems if str(p.get("code", "")).startswith("AM10"))
    counts["torn"] += len(list(repo.rglob(".*.aimama-new")))
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    journal = repo / ".git" / "aimama" / "journal.json"
    counts["dirt"] += bool(status) + journal.exists()
    now = git(repo, "rev-parse", "HEAD").strip()
    if now != head and git(repo, "rev-parse", "HEAD~1").strip() != head:
        counts["lost"] += 1
    locks = [repo / ".git" / "index.lock", repo / ".git" / "refs" / "heads" / "main.lock"]
    counts["stale_locks"] += sum(lock.exists() for lock in locks) + (not _lock_free(repo))


def _lock_free(repo: Path) -> bool:
    path = repo / ".git" / "aimama" / "write-lock"
    if not path.exists():
        return True
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False


def duration(repo: Path, head: str, args: list[str]) -> float:
    started = time.monotonic()
    proc = aimama(repo, *args)
    proc.communicate()
    took = time.monotonic() - started
    reset(repo, head)
    return took


def kill_runs(repo: Path, kills: int, rng: random.Random, only: set[str] | None) -> dict:
    head = git(repo, "rev-parse", "HEAD").strip()
    report = {}
    for n, (name, args) in enumerate(tour(repo, 0).items()):
        if only and name not in only:
            continue
        took = duration(repo, head, args)
        counts: Counter = Counter({k: 0 for k in COUNTS})
        outcomes: Counter = Counter()
        for i in range(kills):
            proc = aimama(repo, *tour(repo, i + 1)[name])
            time.sleep(rng.uniform(0, took))
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # it had finished
            proc.communicate()
            outcomes["killed" if proc.returncode == -9 else f"exit {proc.returncode}"] += 1
            counts["exit_3"] += proc.returncode == 3
            check = aimama(repo, "check", "--format", "json")
            inspect(repo, head, counts, check)
            outcomes["moved" if git(repo, "rev-parse", "HEAD").strip() != head else "as before"] += 1
            reset(repo, head)
        report[name] = {"seconds": round(took, 2), **counts, "outcomes": dict(outcomes)}
    return report


def crowd(repo: Path, size: int, rng: random.Random) -> dict:
    head = git(repo, "rev-parse", "HEAD").strip()
    child, volunteer = first(repo, "children"), first(repo, "volunteers")
    writers, readers = [], []
    for i in range(size):
        if i % 2 == 0:
            args = tour(repo, 1000 + i)[rng.choice(["child add", "child add", "child edit",
                                                     "volunteer edit"])]
            writers.append((args, aimama(repo, *args)))
        else:
            args = rng.choice([["check"], ["child", "list"], ["child", "show", child],
                               ["volunteer", "show", volunteer]])
            readers.append((args, aimama(repo, *args)))
    counts: Counter = Counter({k: 0 for k in COUNTS})
    codes: Counter = Counter()
    said: list[str] = []  # the commits writers reported
    for args, proc in writers + readers:
        out, err = proc.communicate()
        codes[proc.returncode] += 1
        counts["exit_3"] += proc.returncode == 3
        said += re.findall(r"committed ([0-9a-f]{7,40})", out)
    commits = int(git(repo, "rev-list", "--count", f"{head}..HEAD").strip() or 0)
    counts["lost"] += sum(1 for sha in said if not _in_history(repo, sha))
    counts["dirt"] += bool(git(repo, "status", "--porcelain", "--untracked-files=all"))
    result = {"processes": size, "writers": len(writers), "exit_codes": dict(codes),
              "commits": commits, "reported_commits": len(said), **counts}
    reset(repo, head)
    return result


def _in_history(repo: Path, sha: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", sha, "HEAD"], cwd=repo,
                          capture_output=True).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--crowd", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commands", help="only these (comma-separated: 'child edit,keys rotate')")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    repo = args.repo.resolve()
    only = set(args.commands.split(",")) if args.commands else None
    report = {"kills": kill_runs(repo, args.kills, rng, only) if args.kills else {},
              "crowd": crowd(repo, args.crowd, rng) if args.crowd else {}}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    bad = sum(v.get(k, 0) for v in [*report["kills"].values(), report["crowd"]]
              for k in COUNTS)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

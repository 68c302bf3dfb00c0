"""The record index never changes an answer: a seeded random walk over a copy of the demo records.

    python benchmarks/cache_diff.py [DIR] [--steps N] [--seed S] [--verbose]

Each step changes the repository the way coordinators do — edits through the CLI (child edit,
close, add, pair create, pair end, log add) and by hand (a date, a reference, an unknown field,
broken YAML, a file deleted, copied or put back), git commits, branch switches, checkouts of old
commits, a record folder replaced by a symlink to a folder outside, files touched or rewritten
unchanged — and is followed by ``aimama check --format json`` twice: with the index (``.aimama/``)
and with ``--no-cache``, with or without the demo key, as of one of two days.  Any difference, or
an exit code other than 0 or 1, is reported with the steps that led to it; the exit code is the
number of differences found (at most 1 with ``--stop``).  A changing command that fails (exit 3)
is listed apart: the write path, not the index.

The test suite runs a short walk (tests/test_index_cache_diff.py); this script runs long ones.
Commands run in this process (as the test suite runs them): a step costs ~0.2-0.5 s, not ~2 s.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Callable

PROJECT = Path(__file__).resolve().parent.parent
IDENTITY = PROJECT / "demo" / "demo-age-identity.txt"  # DEMO ONLY: opens the demo's keys.yaml
DAYS = ("2026-11-01", "2027-03-15")
ID = re.compile(r"\b([CVPT])(43\d{4})-([0-9A-Z]{8})\b")
DATE = re.compile(r"'(20\d\d-\d\d-\d\d)'")
FOLDERS = ("children", "pairings", "activities/2026", "volunteers")

Cli = Callable[..., tuple[int, str]]  # cli(*args) -> (exit code, standard output)


def build(root: Path) -> Path:
    """A git repository holding a copy of the demo records, one commit on ``main``."""
    root.mkdir(parents=True)
    shutil.copytree(PROJECT / "records", root / "records")
    for name in ("aimama.yaml", "keys.yaml"):
        shutil.copy(PROJECT / name, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "demo records")
    return root


def git(root: Path, *args: str, check: bool = True) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试员", "GIT_AUTHOR_EMAIL": "tester@example.org",
           "GIT_COMMITTER_NAME": "测试员", "GIT_COMMITTER_EMAIL": "tester@example.org"}
    return subprocess.run(["git", *args], cwd=root, check=check, capture_output=True, text=True,
                          env=env).stdout


class Walk:
    """Random steps over the repository at ``root``; ``cli`` runs aimama."""

    def __init__(self, root: Path, cli: Cli, seed: int, outside: Path):
        self.root, self.cli, self.rng, self.outside = root, cli, random.Random(seed), outside
        self.log: list[str] = []
        self.failed: list[str] = []  # commands (not checks) that exited 3
        self.steps = [(self.hand_edit, 6), (self.cli_edit, 5), (self.commit, 3), (self.switch, 2),
                      (self.old_commit, 1), (self.symlink, 1), (self.touch, 2), (self.delete_or_copy, 2)]

    # --- what there is ---------------------------------------------------------------------------

    def files(self, folder: str = "") -> list[Path]:
        base = self.root / "records" / folder
        if not base.is_dir():
            return []
        return sorted(p for p in base.rglob("*.yaml") if p.is_file())

    def ids(self, letter: str) -> list[str]:
        folder = {"C": "children", "V": "volunteers", "P": "pairings", "T": "teams"}[letter]
        return [p.stem for p in self.files(folder)] or [f"{letter}430621-00000000"]

    def pick(self, items):
        return items[self.rng.randrange(len(items))] if items else None

    def day(self) -> str:
        return f"202{self.rng.choice('4567')}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    # --- steps ------------------------------------------------------------------------------------

    def step(self) -> str:
        funcs, weights = zip(*self.steps)
        what = self.rng.choices(funcs, weights)[0]()
        self.log.append(what)
        return what

    def hand_edit(self) -> str:
        path = self.pick(self.files())
        if path is None:
            return "hand edit: no file"
        text = path.read_text(encoding="utf-8")
        how = self.rng.choice(["date", "ref", "field", "break", "revert", "same_size"])
        if how == "date" and DATE.search(text):
            found = self.pick(list(DATE.finditer(text)))
            text = text[:found.start(1)] + self.day() + text[found.end(1):]
        elif how == "ref" and ID.search(text):
            found = self.pick(list(ID.finditer(text))[1:] or list(ID.finditer(text)))
            text = text[:found.start()] + self.pick(self.ids(found.group(1))) + text[found.end():]
        elif how == "field":
            text += "hobby: 画画\n"
        elif how == "break":
            text += "entries: [\n"
        elif how == "revert":
            git(self.root, "checkout", "HEAD", "--", str(path.relative_to(self.root)), check=False)
            return f"hand revert {path.relative_to(self.root)}"
        elif how == "same_size" and "yellow" in text:  # same size, same mtime: only the content moves
            st = path.stat()
            path.write_text(text.replace("yellow", "orange", 1), encoding="utf-8")  # six letters each
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            return f"hand edit (same size and mtime) {path.relative_to(self.root)}"
        else:
            text = text.replace("status: active", "status: closed", 1)
        path.write_text(text, encoding="utf-8")
        return f"hand edit ({how}) {path.relative_to(self.root)}"

    def cli_edit(self) -> str:
        rng, on = self.rng, ["--on", self.day()]
        child, volunteer, pairing = self.pick(self.ids("C")), self.pick(self.ids("V")), self.pick(self.ids("P"))
        extra = rng.choice([[], ["--no-commit"]])
        force = rng.choice([[], ["--force"]])
        args = rng.choice([
            ["child", "edit", child, "--set", f"risk_level={rng.choice(['red', 'orange', 'yellow', 'green'])}",
             *extra, *force],
            ["child", "close", child, "--reason", "moved_away", *on, *extra, *force],
            ["pair", "end", pairing, "--reason", "reassigned", *on, *extra, *force],
            ["pair", "create", child, volunteer, *on, *extra],
            ["log", "add", volunteer, "--kind", "phone_call", "--child", child, "--date", on[1],
             "--hours", "0.5", "--as-of", DAYS[0], *extra],
            ["child", "add", "--name", "测试儿童", "--birth-date", "2017-03-04", "--gender", "female",
             "--category", "left_behind", "--village", "430621101201", "--guardian-name", "张某",
             "--guardian-relation", "mother", "--consent-date", "2026-01-02", "--source", "village",
             *on, *extra],
        ])
        with key(True):
            code, _out = self.cli("--root", str(self.root), *args)
        if code not in (0, 1, 2):  # not the index's to answer for: noted, and the walk goes on
            self.failed.append(f"step {len(self.log) + 1}: aimama {' '.join(args)} exited {code}")
        return f"aimama {' '.join(args)} -> {code}"

    def commit(self) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", f"step {len(self.log)}", check=False)
        return "git commit -a"

    def switch(self) -> str:
        branch = self.rng.choice(["main", "b1", "b2", "b3"])
        if self.rng.random() < 0.5:
            self.commit()
        exists = git(self.root, "branch", "--list", branch).strip()
        git(self.root, "checkout", "-qf", *([branch] if exists else ["-b", branch]))
        return f"git checkout {branch}"

    def old_commit(self) -> str:
        commit = self.pick(git(self.root, "rev-list", "--all").split())
        git(self.root, "checkout", "-qf", "--detach", commit)
        return f"git checkout {commit[:8]}"

    def symlink(self) -> str:
        folder = self.rng.choice(FOLDERS)
        place, away = self.root / "records" / folder, self.outside / folder.replace("/", "-")
        if place.is_symlink():
            place.unlink()
            if away.is_dir():
                shutil.move(str(away), str(place))
            return f"symlink {folder} replaced by the folder"
        if place.is_dir():
            shutil.rmtree(away, ignore_errors=True)
            shutil.move(str(place), str(away))
            place.symlink_to(away, target_is_directory=True)
            return f"{folder} moved outside, a symlink left"
        return f"symlink {folder}: nothing"

    def touch(self) -> str:
        chosen = self.rng.sample(self.files(), min(3, len(self.files())))
        for path in chosen:
            if self.rng.random() < 0.5:
                os.utime(path)
            else:
                path.write_bytes(path.read_bytes())
        os.utime(self.root / "records" / "children") if (self.root / "records" / "children").is_dir() else None
        return f"touched {len(chosen)} files"

    def delete_or_copy(self) -> str:
        path = self.pick(self.files())
        if path is None:
            return "delete: no file"
        if self.rng.random() < 0.5:
            path.unlink()
            return f"deleted {path.relative_to(self.root)}"
        letter = path.stem[:1]
        copy = path.with_name(f"{letter}430621-Z{self.rng.randrange(10 ** 6):07d}.yaml")
        shutil.copy(path, copy)
        return f"copied {path.relative_to(self.root)} to {copy.name}"

    # --- judging ----------------------------------------------------------------------------------

    def compare(self) -> str | None:
        """None when a check with the index and one without agree, else what differs."""
        as_of, with_key = self.rng.choice(DAYS), self.rng.random() < 0.5
        with key(with_key):
            runs = [self.cli("--root", str(self.root), "check", "--format", "json", "--as-of", as_of, *extra)
                    for extra in ([], ["--no-cache"])]
        (code, out), (plain_code, plain_out) = runs
        if {code, plain_code} - {0, 1}:
            return f"exit codes {code} (index) and {plain_code} (--no-cache)"
        cached, plain = json.loads(out), json.loads(plain_out)
        if code == plain_code and cached == plain:
            return None
        seen = Counter(json.dumps(p, sort_keys=True, ensure_ascii=False) for p in cached["problems"])
        truth = Counter(json.dumps(p, sort_keys=True, ensure_ascii=False) for p in plain["problems"])
        order = "" if seen != truth else "  the same problems, in another order\n"
        return (f"as of {as_of}, {'with' if with_key else 'without'} the key: exit {code} with the index, "
                f"{plain_code} without; files {cached['files']}/{plain['files']}, "
                f"records {cached['records']}/{plain['records']}\n" + order
                + "".join(f"  only with the index: {p}\n" for p in sorted((seen - truth).elements())[:10])
                + "".join(f"  only without it: {p}\n" for p in sorted((truth - seen).elements())[:10]))


class key:
    """The demo key for the commands inside (or none)."""

    def __init__(self, on: bool):
        self.on, self.old = on, None

    def __enter__(self):
        self.old = os.environ.pop("AIMAMA_AGE_IDENTITY", None)
        if self.on:
            os.environ["AIMAMA_AGE_IDENTITY"] = str(IDENTITY)

    def __exit__(self, *exc):
        os.environ.pop("AIMAMA_AGE_IDENTITY", None)
        if self.old is not None:
            os.environ["AIMAMA_AGE_IDENTITY"] = self.old


def walk(root: Path, cli: Cli, steps: int, seed: int, stop: bool = False,
         say: Callable[[str], None] = lambda _line: None, watch: bool = False) -> tuple[list[str], list[str]]:
    """Run ``steps`` steps over the repository at ``root``, comparing after each; the reports of
    what differed (each with the steps so far), and the commands of the steps that failed.
    ``watch``: with the watcher running (``aimama watch start``): the index asks it what changed."""
    outside = Path(tempfile.mkdtemp(prefix="aimama-outside-"))
    found, walker = [], None
    if watch:
        code, out = cli("--root", str(root), "watch", "start")
        assert code == 0, out
    try:
        walker = Walk(root, cli, seed, outside)
        for n in range(steps):
            what = walker.step()
            difference = walker.compare()
            say(f"{n + 1:4d} {what}" + (" — DIFFERS" if difference else ""))
            if difference:
                found.append(f"after step {n + 1} ({what}):\n{difference}steps:\n  "
                             + "\n  ".join(walker.log))
                if stop:
                    break
    finally:
        if watch:
            cli("--root", str(root), "watch", "stop")
        shutil.rmtree(outside, ignore_errors=True)
    return found, walker.failed


def in_process() -> Cli:
    """aimama run in this process, as the console script runs it (and as tests/conftest.py does)."""
    import typer.main
    from typer.testing import CliRunner

    from aimama_cli.cli import get_app

    command = typer.main.get_command(get_app(["--lang", "en"]))
    runner = CliRunner()

    def cli(*args: str) -> tuple[int, str]:
        with runner.isolation() as streams:
            try:
                command.main(args=["--lang", "en", *args], prog_name="aimama")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            finally:
                sys.stdout.flush()
            return code, streams[0].getvalue().decode("utf-8", "replace")
    return cli


def main() -> None:
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", help="where to put the repository (default: a temporary folder)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stop", action="store_true", help="stop at the first difference")
    parser.add_argument("--verbose", action="store_true", help="print every step")
    parser.add_argument("--watch", action="store_true", help="with the watcher running (aimama watch start)")
    args = parser.parse_args()
    place = None if args.root else Path(tempfile.mkdtemp(prefix="aimama-cache-diff-"))
    root = build((args.root or place / "demo").resolve())
    started = time.perf_counter()
    try:
        found, failed = walk(root, in_process(), args.steps, args.seed, args.stop,
                             print if args.verbose else lambda _: None, args.watch)
    finally:
        if place:
            shutil.rmtree(place, ignore_errors=True)
    for report in found:
        print(report)
    for line in failed:
        print(f"a command failed (exit 3), {line}")
    print(f"{args.steps} steps (seed {args.seed}) in {time.perf_counter() - started:.0f} s: "
          f"{len(found)} difference(s) between a check with the index and one without; "
          f"{len(failed)} command(s) failed")
    sys.exit(min(len(found), 100))


if __name__ == "__main__":
    main()

"""Every command of the README runs as shown on a fresh clone (issue 19): each `$ aimama …` line
of its console blocks, in order, against a copy of the demo, with the exit code the README shows
(0 unless listed below), and the demo's `check` as the README describes it."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import AS_OF, PROJECT, run

README = PROJECT / "README.md"

# Commands the README shows refused or failing, with the exit code it shows.
EXITS = {
    "check --as-of 2031-09-01 --strict": 1,  # time-caused findings become errors
    "volunteer vet V430681-N4ZKVMEB --approve --by U430600-CQK7RC7K "
    "--check administrative_penalty=clear:汨罗市公安局查询回执No.2026118": 1,  # a check missing
    "import children demo/samples/children-roster-gbk.csv": 1,  # a bad row: nothing imported
}
# Commands that stand for what a reader does with her own values (age1… is her public key), not
# runnable as written: each says so in the README.
NOT_RUN = {
    "encrypt U430600-CQK7RC7K --recipient age1…",  # for a plaintext repository; the demo is encrypted
    "keys add U430600-TA6M4G7H --recipient age1…",
    "keys remove U430600-TA6M4G7H",  # the one added above
}
# Ids the tour's commands make: the README shows the ones it got, a run gets others; each is
# taken from the output of the command that makes it, and put in place of the README's.
MADE_BY = {"C430621-4DK0W7XN": "child add", "K430626-7C2QM0WX": "refer C430626-RXRG0QR6",
           "D430621-2C5X7FE3": "support add"}
MADE = re.compile(r"\b(?:added|opened case|recorded support) ([A-Z]\d{6}-[0-9A-Z]{8})")


def commands() -> list[str]:
    """The README's `$ aimama …` lines, continuation lines joined, comments and the prompt off;
    `A && B` is two commands."""
    text = README.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if not line.startswith("$ "):
                continue
            line = re.sub(r"\s+#.*$", "", line[2:]).strip()
            for part in line.split(" && "):
                found.append(re.sub(r"\s+", " ", part))
    return [c for c in found if re.match(r"(AIMAMA_AGE_IDENTITY=\S+ |env -u \S+ |export )?aimama |export ", c)]


def test_every_readme_command_runs_as_shown(demo, monkeypatch, tmp_path):
    """As a coordinator following the README on a fresh clone: no key until the tour gives one,
    origin/main where the clone came from, and the pull request pr-1 its review section reads."""
    from conftest import git

    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "zhoulihua@example.org")  # U430600-CQK7RC7K
    git(demo, "config", "user.email", "zhoulihua@example.org")
    git(demo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(demo, "branch", "pr-1")
    work = tmp_path / "work"
    work.mkdir()
    made, failed, ran = {}, [], 0
    for command in commands():
        for shown, maker in MADE_BY.items():
            command = command.replace(shown, made.get(maker, shown))
        words = shlex.split(command)
        if words[0] == "export":  # the tour's key: the demo's, from the clone's top folder
            name, _, value = words[1].partition("=")
            monkeypatch.setenv(name, value.replace("$PWD", str(PROJECT)))
            continue
        env = {}
        if words[0] == "env":
            env, words = {words[2]: None}, words[3:]
        elif words[0].startswith("AIMAMA_AGE_IDENTITY="):
            env, words = {"AIMAMA_AGE_IDENTITY": str(PROJECT / words[0].split("=", 1)[1])}, words[1:]
        key = " ".join(words[1:])
        if key in NOT_RUN:
            continue
        args = [w.replace("demo/samples/", f"{PROJECT}/demo/samples/") for w in words[1:]]
        with monkeypatch.context() as m:
            for name, value in env.items():
                m.delenv(name, raising=False) if value is None else m.setenv(name, value)
            result = run("--root", str(demo), *args, cwd=work)
        ran += 1
        if result.exit_code != EXITS.get(key, 0):
            failed.append((key, result.exit_code, (result.stderr or result.output)[-300:]))
        for maker in MADE_BY.values():
            if key.startswith(maker) and MADE.search(result.output):
                made[maker] = MADE.search(result.output).group(1)
    assert not failed, "\n".join(map(repr, failed))
    assert ran > 60 and set(made) == set(MADE_BY.values())


@pytest.mark.parametrize("day", ["2026-11-01", "2027-06-30", "2028-12-31", "2030-06-30", "2031-12-31"])
def test_the_demo_has_no_error_for_years(demo, day):
    """The README says so: the calendar makes only warnings (duties overdue, checks expiring,
    children turning 18), never an error, on any day it may be read."""
    result = run("--root", str(demo), "check", "--as-of", day, "--format", "json")
    assert result.exit_code == 0
    assert [p for p in result.json()["problems"] if p["severity"] == "error"] == []


def test_the_readme_shows_what_check_reads_on_the_demo(demo):
    report = run("--root", str(demo), "check", "--as-of", AS_OF, "--format", "json").json()
    readme = README.read_text(encoding="utf-8")
    assert f"\n{report['files']} files, {report['records']} records: 0 errors, " in readme
    warnings = sum(p["severity"] == "warning" for p in report["problems"])
    assert f"there were {warnings} (`aimama check --as-of {AS_OF}`)" in readme

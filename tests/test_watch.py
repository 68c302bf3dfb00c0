"""``aimama watch``: a watcher tells the record index what changed, and never hides a change."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import time

import pytest
from conftest import PROJECT, check_json, git, run

sys.path.insert(0, str(PROJECT / "benchmarks"))
import cache_diff  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture
def watched(demo):
    """The demo repository with its watcher running; stopped afterwards, whatever happened."""
    result = run("--root", str(demo), "watch", "start")
    assert result.exit_code == 0, result.output
    yield demo
    run("--root", str(demo), "watch", "stop")


def pid_of(root) -> int | None:
    match = re.search(r"process (\d+)", run("--root", str(root), "watch", "status").output)
    return int(match.group(1)) if match else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def git_commands(trace) -> list[str]:
    """The git commands a GIT_TRACE2 file shows started."""
    return re.findall(r"\bstart (?:\S*/)?git (\S+)", trace.read_text()) if trace.exists() else []


def test_start_status_and_stop(demo):
    result = run("--root", str(demo), "watch", "start")
    assert result.exit_code == 0 and "watched" in result.output
    pid = pid_of(demo)
    assert pid is not None and alive(pid)
    assert run("--root", str(demo), "watch", "start").output == result.output  # the same watcher, nothing new
    assert pid_of(demo) == pid
    assert "not watched" in run("--root", str(demo), "watch", "stop").output
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)
    assert "not watched" in run("--root", str(demo), "watch", "status").output


def test_a_watched_check_asks_git_to_stat_nothing_and_misses_no_hand_change(watched, tmp_path, monkeypatch):
    """With the watcher's answer, a check runs no ``git diff-index`` (git's stat of every
    file); every change by hand — a field, a file deleted, copied, a folder moved away and
    back, a new folder — is judged as a check without the index judges it."""
    check_json(watched)  # the first: the index learns the watcher's token
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE2", str(trace))
    child = watched / "records/children/C430626-WJ1C7E4S.yaml"
    pairing = watched / "records/pairings/P430626-XKBSEVAE.yaml"

    def same_answer_without_git_stat():
        trace.unlink(missing_ok=True)
        seen = check_json(watched)
        assert "diff-index" not in git_commands(trace)
        assert seen == check_json(watched, "--no-cache")
        return seen

    before = same_answer_without_git_stat()
    child.write_text(child.read_text(encoding="utf-8").replace("risk_level:", "risk_level: purple\nold_risk:"),
                     encoding="utf-8")
    assert same_answer_without_git_stat() != before
    pairing.unlink()
    assert "AM310" in {p["code"] for p in same_answer_without_git_stat()[1]["problems"]}
    git(watched, "checkout", "--", "records/pairings", "records/children")
    assert same_answer_without_git_stat() == before
    shutil.copy(child, child.with_name("C430626-COPY0001.yaml"))
    same_answer_without_git_stat()
    shutil.move(watched / "records/pairings", tmp_path / "pairings")
    same_answer_without_git_stat()
    shutil.move(tmp_path / "pairings", watched / "records/pairings")
    (watched / "records/children/extra").mkdir()
    shutil.copy(child, watched / "records/children/extra/C430626-COPY0002.yaml")
    same_answer_without_git_stat()


def test_a_killed_watcher_hides_nothing_and_the_next_command_starts_another(watched):
    check_json(watched)
    pid = pid_of(watched)
    os.kill(pid, signal.SIGKILL)
    child = watched / "records/children/C430626-WJ1C7E4S.yaml"
    child.write_text(child.read_text(encoding="utf-8").replace("risk_level:", "risk_level: purple\nold_risk:"),
                     encoding="utf-8")
    seen = check_json(watched)  # git tells, this once; a new watcher is started meanwhile
    assert seen == check_json(watched, "--no-cache") and seen[0] == 1
    deadline = time.monotonic() + 20
    while pid_of(watched) in (None, pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pid_of(watched) not in (None, pid)
    git(watched, "checkout", "--", "records/children")
    assert check_json(watched) == check_json(watched, "--no-cache")
    assert check_json(watched)[0] == 0


def test_cached_and_uncached_checks_agree_along_a_watched_random_walk(demo):
    """The random walk of test_index_cache_diff with the watcher running: branches, old
    commits checked out, a folder replaced by a symlink, files touched, deleted, copied."""
    differences, _failed = cache_diff.walk(demo, lambda *a: (lambda r: (r.exit_code, r.output))(run(*a)),
                                           steps=30, seed=23, watch=True)
    assert differences == []


def test_a_repository_on_a_network_file_system_is_not_watched(demo, monkeypatch):
    """A change made on another computer never reaches inotify: such a repository is refused,
    and nothing is started or marked."""
    from aimama_cli.store import watching

    monkeypatch.setattr(watching, "file_system", lambda _path: "nfs4")
    result = run("--root", str(demo), "watch", "start")
    assert result.exit_code == 2 and "network file system (nfs4)" in result.stderr
    assert "not watched" in run("--root", str(demo), "watch", "status").output


def test_after_a_watcher_failed_commands_ask_git_and_start_none_until_later(watched):
    """A watcher that could not watch (the kernel's limit of watches) leaves why: status says
    it, commands ask git without starting one that would fail again, `watch start` retries."""
    check_json(watched)
    pid = pid_of(watched)
    os.kill(pid, signal.SIGKILL)
    home = watched / ".git" / "aimama-watch"
    (home / "failed").write_text("WatchFailed: [Errno 28] No space left on device\n", encoding="utf-8")
    child = watched / "records/children/C430626-WJ1C7E4S.yaml"
    child.write_text(child.read_text(encoding="utf-8").replace("risk_level:", "risk_level: purple\nold_risk:"),
                     encoding="utf-8")
    seen = check_json(watched)
    assert seen == check_json(watched, "--no-cache") and seen[0] == 1
    time.sleep(1)
    status = run("--root", str(watched), "watch", "status").output
    assert "watcher failed (WatchFailed: [Errno 28] No space left on device)" in status
    assert pid_of(watched) is None  # none was started
    assert "watched: commands ask the watcher" in run("--root", str(watched), "watch", "start").output
    assert not (home / "failed").exists() and pid_of(watched) not in (None, pid)


def test_past_the_changes_it_keeps_the_watcher_forgets_old_tokens_and_honours_the_next(tmp_path, monkeypatch):
    """The watcher's own bookkeeping (it runs as a process of its own, so this is asked of it
    in this one): beyond KEEP changed paths every token given before is answered "cannot
    tell", and the token given next is answered exactly again."""
    from aimama_cli.store import watcher

    monkeypatch.setattr(watcher, "KEEP", 3)
    (tmp_path / "top").mkdir()
    (tmp_path / "cookies").mkdir()
    changes = watcher.Changes(tmp_path / "top", tmp_path / "cookies")
    try:
        old = changes.answer(b"none", 1).split(b"\0")[0]
        for n in range(5):
            (tmp_path / "top" / f"f{n}.yaml").write_text("x")
        assert changes.answer(old, 2).split(b"\0")[1] == b"/"  # forgotten: cannot tell
        new = changes.answer(old, 3).split(b"\0")[0]
        assert changes.answer(new, 4).split(b"\0")[1:] == [b""]  # nothing since: an exact answer
        (tmp_path / "top" / "f9.yaml").write_text("y")
        assert changes.answer(new, 5).split(b"\0")[1:] == [b"f9.yaml", b""]
    finally:
        changes.inotify.close()

"""The one write path (store/transaction.py): every change all-or-nothing, one writer at a time,
odd git states refused up front, a kill at any step finished or undone by the next command.

Commands run as real processes here (a kill must kill a process, and writers must race)."""

import fcntl
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import AS_OF, git

CHILD = "C430621-0000C001"
CHILD_FILE = f"records/children/{CHILD}.yaml"
SCRIPT = [sys.executable, "-c", "from aimama_cli.entry import main; main()"]


def aimama(repo: Path, *args, env: dict | None = None, wait: bool = True):
    command = [*SCRIPT, "--lang", "en", "--root", str(repo), *args]
    full_env = {**os.environ, **(env or {})}
    if not wait:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=full_env)
    return subprocess.run(command, capture_output=True, text=True, env=full_env)


def edit(repo: Path, colour: str = "orange", env: dict | None = None, *extra):
    return aimama(repo, "child", "edit", CHILD, "--set", f"risk_level={colour}", *extra, env=env)


def add_child(repo: Path, name: str, env: dict | None = None, wait: bool = True):
    return aimama(repo, "child", "add", "--name", name, "--gender", "女", "--birth-date", "2016-05-01",
                  "--category", "留守儿童", "--village", "430621101201", "--guardian-name", "李奶奶",
                  "--guardian-relation", "祖母", "--guardian-phone", "13900009999",
                  "--consent-date", "2026-01-02", "--source", "village", "--on", AS_OF,
                  env=env, wait=wait)


def state(repo: Path) -> tuple[str, str, str]:
    """HEAD, `git status` and the child's file: what must not move when a change is refused."""
    return (git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain", "--untracked-files=all"),
            (repo / CHILD_FILE).read_text(encoding="utf-8"))


def clean(repo: Path) -> bool:
    return git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_change_is_one_commit_and_leaves_a_clean_tree(repo):
    before = git(repo, "rev-parse", "HEAD").strip()
    result = edit(repo)
    assert result.returncode == 0, result.stderr
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert clean(repo)
    assert "risk_level: orange" in (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert not (repo / ".git" / "aimama" / "journal.json").exists()


def test_what_the_user_had_staged_stays_staged_and_out_of_the_commit(repo):
    notes = repo / "notes.txt"
    notes.write_text("my own work\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    assert edit(repo).returncode == 0
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [CHILD_FILE]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]


def test_a_commit_holds_heads_files_and_the_ones_written_nothing_else(repo):
    before = dict(line.split("\t")[::-1] for line in git(repo, "ls-tree", "-r", "HEAD").splitlines())
    assert add_child(repo, "周小雨").returncode == 0
    assert edit(repo, "red").returncode == 0
    after = dict(line.split("\t")[::-1] for line in git(repo, "ls-tree", "-r", "HEAD").splitlines())
    added = git(repo, "show", "--name-only", "--format=", "HEAD~1").split()
    assert len(added) == 1 and added[0].startswith("records/children/")
    assert {p for p in after if after[p] != before.get(p)} == {added[0], CHILD_FILE}
    assert set(before) <= set(after)
    assert git(repo, "fsck", "--no-dangling", "--strict") == "" and clean(repo)


def test_a_record_staged_by_hand_is_refused_like_one_edited(repo):
    path = repo / CHILD_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("risk_level:", "notes: staged by hand\nrisk_level:"), encoding="utf-8")
    git(repo, "add", CHILD_FILE)
    path.write_text(text, encoding="utf-8")  # the work tree as committed, the index not
    result = edit(repo)
    assert result.returncode == 1 and "not yet committed" in result.stderr
    assert git(repo, "diff", "--cached", "--name-only").split() == [CHILD_FILE]


def test_file_modes_are_kept_and_new_files_get_gits_usual_mode(repo):
    (repo / CHILD_FILE).chmod(0o640)
    assert edit(repo).returncode == 0
    assert stat.S_IMODE((repo / CHILD_FILE).stat().st_mode) == 0o640
    assert add_child(repo, "周小雨").returncode == 0
    new = git(repo, "show", "--name-only", "--format=", "HEAD").split()[0]
    assert stat.S_IMODE((repo / new).stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- odd git states are refused before anything is written ------------------------------------

def _conflict(repo: Path, start: str) -> None:
    """Two branches changing the same line, then ``start`` (merge, rebase, cherry-pick) stops
    on the conflict."""
    git(repo, "switch", "-qc", "other")
    (repo / "README.md").write_text("theirs\n", encoding="utf-8")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "switch", "-q", "main")
    (repo / "README.md").write_text("ours\n", encoding="utf-8")
    git(repo, "commit", "-qam", "ours")
    args = {"merge": ["merge", "other"], "rebase": ["rebase", "other"],
            "cherry-pick": ["cherry-pick", "other"], "revert": ["revert", "--no-edit", "HEAD"]}[start]
    if start == "revert":  # a revert that conflicts: undo a change the next commit built on
        (repo / "README.md").write_text("ours, then more\n", encoding="utf-8")
        git(repo, "commit", "-qam", "more")
        args = ["revert", "--no-edit", "HEAD~1"]
    assert subprocess.run(["git", *args], cwd=repo, capture_output=True).returncode != 0


@pytest.mark.parametrize("operation, said", [
    ("merge", "a merge is in progress"), ("rebase", "a rebase is in progress"),
    ("cherry-pick", "a cherry-pick is in progress"), ("revert", "a revert is in progress")])
def test_a_change_is_refused_while_git_waits_for_the_user(repo, operation, said):
    _conflict(repo, operation)
    before = state(repo)
    result = edit(repo)
    assert result.returncode == 2
    assert said in result.stderr and "nothing was written" in result.stderr
    assert state(repo) == before


def test_a_stale_index_lock_is_refused_saying_how_to_clear_it(repo):
    (repo / ".git" / "index.lock").write_text("", encoding="utf-8")
    before = state(repo)
    result = edit(repo)
    assert result.returncode == 2
    assert "index.lock" in result.stderr and "delete that file" in result.stderr
    assert state(repo) == before


def test_a_detached_head_is_refused_unless_no_commit(repo):
    git(repo, "switch", "-q", "--detach")
    before = state(repo)
    result = edit(repo)
    assert result.returncode == 2 and "HEAD is detached" in result.stderr
    assert state(repo) == before
    result = edit(repo, "orange", None, "--no-commit")
    assert result.returncode == 0, result.stderr
    assert "risk_level: orange" in (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert git(repo, "rev-parse", "HEAD") == before[0]


def test_a_commit_refused_by_a_hook_leaves_everything_as_it_was(repo):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    notes = repo / "notes.txt"
    notes.write_text("staged by hand\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    before = state(repo)
    result = edit(repo)
    assert result.returncode == 2
    assert "pre-commit" in result.stderr and "no commits today" in result.stderr
    assert state(repo) == before
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]


def test_hooks_see_the_change_and_commit_msg_may_edit_the_message(repo):
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text("#!/bin/sh\ngit diff --cached --name-only > .git/staged.txt\n",
                                      encoding="utf-8")
    (hooks / "commit-msg").write_text('#!/bin/sh\necho "Reviewed-by: 测试" >> "$1"\n', encoding="utf-8")
    for hook in hooks.iterdir():
        hook.chmod(0o755)
    assert edit(repo).returncode == 0
    assert (repo / ".git" / "staged.txt").read_text(encoding="utf-8").split() == [CHILD_FILE]
    assert "Reviewed-by: 测试" in git(repo, "log", "-1", "--format=%B")


# --- a kill at every step: the next command finishes or drops the change, and says which -------

@pytest.mark.parametrize("step, outcome", [
    ("built", None), ("journaled", "dropped"), ("moved", "finished"), ("wrote-one", "finished"),
    ("staged", "finished")])
def test_a_change_killed_at_any_step_is_settled_by_the_next_command(demo, step, outcome):
    """`keys rotate` rewrites every encrypted record and keys.yaml: the widest change there is."""
    head = git(demo, "rev-parse", "HEAD").strip()
    killed = aimama(demo, "keys", "rotate", env={"AIMAMA_CRASH_AT": step})
    assert killed.returncode == -9
    after = aimama(demo, "check", "--as-of", AS_OF)
    assert after.returncode == 0, after.stdout + after.stderr
    if outcome is None:
        assert "interrupted" not in after.stderr
    else:
        assert "an interrupted change (`keys rotate`" in after.stderr and outcome in after.stderr
    moved = git(demo, "rev-parse", "HEAD").strip() != head
    assert moved == (outcome == "finished")
    assert clean(demo), git(demo, "status", "--porcelain")
    assert not (demo / ".git" / "aimama" / "journal.json").exists()
    again = aimama(demo, "check", "--as-of", AS_OF)
    assert "interrupted" not in again.stderr  # said once


@pytest.mark.parametrize("step, holds", [("prepared", False), ("renamed-one", True)])
def test_a_change_without_commit_killed_is_all_or_nothing(repo, step, holds):
    killed = edit(repo, "orange", {"AIMAMA_CRASH_AT": step}, "--no-commit")
    assert killed.returncode == -9
    result = aimama(repo, "child", "show", CHILD)
    assert result.returncode == 0, result.stderr
    assert ("finished" if holds else "dropped") in result.stderr
    assert ("risk_level: orange" in (repo / CHILD_FILE).read_text(encoding="utf-8")) == holds
    assert not list(repo.rglob(".*.aimama-new"))


# --- one writer at a time; readers never fail -------------------------------------------------

def test_parallel_writers_take_turns_each_lands_and_readers_never_fail(repo):
    names = ["周小一", "周小二", "周小三", "周小四", "周小五", "周小六"]
    started = [add_child(repo, name, env={"AIMAMA_LOCK_WAIT": "60"}, wait=False) for name in names]
    readers = [aimama(repo, *args, wait=False) for args in (["check"], ["child", "list"], ["child", "show", CHILD])]
    results = [(p.wait(), p.stderr.read()) for p in started + readers]
    assert [code for code, _ in results] == [0] * len(results), results
    log = git(repo, "log", "--format=%s", f"-{len(names)}")
    assert sorted(n for n in names if n in log) == sorted(names)
    assert clean(repo)
    assert aimama(repo, "check", "--as-of", AS_OF).returncode == 0


def test_a_second_writer_gives_up_naming_who_holds_the_lock(repo):
    folder = repo / ".git" / "aimama"
    folder.mkdir(exist_ok=True)
    with open(folder / "write-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write(json.dumps({"command": "import children", "user": "lihua", "host": "county-pc",
                               "pid": 4242, "since": "09:30:00"}))
        lock.flush()
        before = state(repo)
        started = time.monotonic()
        result = edit(repo, "orange", {"AIMAMA_LOCK_WAIT": "1"})
        assert time.monotonic() - started >= 1
        assert result.returncode == 2
        assert "import children" in result.stderr and "lihua@county-pc" in result.stderr
        assert state(repo) == before
        assert aimama(repo, "child", "show", CHILD).returncode == 0  # readers take no lock
    assert edit(repo).returncode == 0  # released: the next writer goes ahead


def test_a_folder_that_cannot_be_written_refuses_before_anything_is(repo):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = repo / "records" / "children"
    folder.chmod(0o555)
    try:
        before = state(repo)
        result = edit(repo)
        assert result.returncode == 2 and "nothing was written" in result.stderr
        assert state(repo) == before
    finally:
        folder.chmod(0o755)


def test_commits_are_signed_when_git_is_told_to_sign(repo, tmp_path):
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", f"{key}.pub"),
                        ("commit.gpgsign", "true")):
        git(repo, "config", name, value)
    assert edit(repo).returncode == 0
    assert "-----BEGIN SSH SIGNATURE-----" in git(repo, "cat-file", "-p", "HEAD")


def test_no_record_is_written_through_a_linked_folder(repo, tmp_path):
    outside = tmp_path / "elsewhere"
    (repo / "records" / "children").rename(outside)
    (repo / "records" / "children").symlink_to(outside)
    before = git(repo, "rev-parse", "HEAD")
    result = add_child(repo, "周小链")
    assert result.returncode == 2, result.stderr
    assert "symbolic link" in result.stderr and "nothing was written" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before
    assert sorted(p.name for p in outside.iterdir()) == [".gitkeep", f"{CHILD}.yaml"]


def _tree_by_git(repo: Path, parent: str, path: str, text: str, tmp_path: Path) -> str:
    """The tree git itself makes of ``parent`` with ``path`` holding ``text`` (a temporary index)."""
    env = {**os.environ, "GIT_INDEX_FILE": str(tmp_path / "index")}
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=text, text=True,
                          capture_output=True, check=True).stdout.strip()
    for args in (["read-tree", parent], ["update-index", "--add", "--cacheinfo", f"100644,{blob},{path}"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return subprocess.run(["git", "write-tree"], cwd=repo, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_file_named_like_a_tree_entry_does_not_fool_the_commit(repo, tmp_path):
    """The commit's trees are spliced without parsing every entry where a file is replaced; a
    file whose name holds another's entry text (``100644 C….yaml``), put there by a hostile pull
    request, changes nothing: the commit's tree is the one git makes itself."""
    decoy = f"records/children/100644 {CHILD}.yaml"
    (repo / decoy).write_text("id: decoy\n", encoding="utf-8")
    git(repo, "add", decoy)
    git(repo, "commit", "-qm", "a decoy")
    parent = git(repo, "rev-parse", "HEAD").strip()
    result = edit(repo, "red")
    assert result.returncode == 0, result.stderr
    text = (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert "risk_level: red" in text
    assert git(repo, "rev-parse", "HEAD^{tree}").strip() == _tree_by_git(repo, parent, CHILD_FILE, text, tmp_path)
    assert git(repo, "show", f"HEAD:{decoy}") == "id: decoy\n"


def test_a_new_file_beside_one_named_like_its_entry_goes_in_its_place(repo, tmp_path):
    """Where only the decoy carries the new file's entry text, the new file is still added as
    a new entry, in git's order, and the decoy keeps its content."""
    from aimama_cli.store import gitio

    name = "records/children/C430621-0000C777.yaml"
    decoy = "records/children/100644 C430621-0000C777.yaml"
    (repo / decoy).write_text("id: decoy\n", encoding="utf-8")
    git(repo, "add", decoy)
    git(repo, "commit", "-qm", "a decoy")
    parent = git(repo, "rev-parse", "HEAD").strip()
    commit = gitio.build_commit(gitio.Worktree.find(repo), parent, {name: "id: new\n"}, "new\n", hooks=False)
    assert git(repo, "rev-parse", f"{commit}^{{tree}}").strip() == _tree_by_git(repo, parent, name, "id: new\n", tmp_path)
    assert git(repo, "show", f"{commit}:{decoy}") == "id: decoy\n"
    assert git(repo, "show", f"{commit}:{name}") == "id: new\n"

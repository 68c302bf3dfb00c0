"""AM310: records are closed, never deleted — a deletion that loses something is reported,
whether committed long ago or only in the work tree."""

from __future__ import annotations

import shutil

from conftest import AS_OF, check_json, git, run

CHILD = "records/children/C430621-0000C001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"


def am310(report):
    return sorted((p["file"], p["field"]) for p in report["problems"] if p["code"] == "AM310")


def test_deleting_a_paired_child_is_reported_where_it_is_named(repo):
    (repo / CHILD).unlink()  # not yet committed
    code, report = check_json(repo)
    assert code == 1
    assert am310(report) == [("records/activities/2026/V430621-0000V001.yaml", "entries[0].child"),
                             (PAIRING, "child")]
    assert not any(p["code"] == "AM401" for p in report["problems"])  # one report, not two
    assert "git checkout HEAD -- " + CHILD in report["problems"][0]["hint"]
    git(repo, "commit", "-qam", "remove a child")
    commit = git(repo, "rev-parse", "HEAD").strip()
    code, report = check_json(repo)
    assert code == 1 and len(am310(report)) == 2
    assert f"git checkout {commit[:10]}^ -- {CHILD}" in report["problems"][0]["hint"]


def test_a_deleted_pairing_is_reported_even_years_later(repo):
    git(repo, "rm", "-q", PAIRING)
    git(repo, "commit", "-qm", "tidy up")
    for i in range(3):  # later history does not hide it
        (repo / "records" / f"note{i}.txt").write_text("x", encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"later {i}")
        git(repo, "rm", "-q", f"records/note{i}.txt")
        git(repo, "commit", "-qm", f"later {i} undone")
    code, report = check_json(repo)
    assert code == 1 and (PAIRING, None) in am310(report)
    code, report = check_json(repo, "--no-cache")
    assert (PAIRING, None) in am310(report)


def test_restoring_the_file_clears_the_problem(repo):
    git(repo, "rm", "-q", PAIRING, CHILD)
    git(repo, "commit", "-qm", "remove both")
    assert check_json(repo)[0] == 1
    git(repo, "checkout", "HEAD^", "--", PAIRING, CHILD)
    code, report = check_json(repo)
    assert code == 0, report["problems"]


def test_deleting_a_record_nobody_names_is_allowed(repo):
    result = run("--root", str(repo), "child", "add", "--name", "误录", "--gender", "male",
                 "--birth-date", "2015-01-01", "--category", "left_behind", "--village", "430621101201",
                 "--guardian-name", "某某", "--guardian-relation", "father", "--source", "village",
                 "--on", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    added = git(repo, "show", "--name-only", "--format=", "HEAD").split()[0]
    git(repo, "rm", "-q", added)
    git(repo, "commit", "-qm", "entered by mistake")
    code, report = check_json(repo)
    assert code == 0, report["problems"]


def test_moving_a_record_is_not_deleting_it(repo):
    git(repo, "mv", PAIRING, "records/pairings/moved.yaml")
    git(repo, "commit", "-qm", "rename")
    code, report = check_json(repo)
    assert not am310(report)  # the file name is wrong (AM302), but nothing was lost
    assert any(p["code"] == "AM302" for p in report["problems"])


def test_a_first_index_interrupted_leaves_no_git_reading_history(repo, monkeypatch):
    """A first index starts git reading the history's deletions while it parses the files;
    Ctrl-C meanwhile ends that git too, and the next check still finds the deletion."""
    from aimama_cli.store import gitio
    from aimama_cli.store.index import Index

    git(repo, "rm", "-q", PAIRING)
    git(repo, "commit", "-qm", "tidy up")
    shutil.rmtree(repo / ".aimama", ignore_errors=True)  # no index: the next check builds it
    started = []
    start = gitio.Worktree.start_deleted

    def recording(tree, revisions):
        start(tree, revisions)
        started.append(gitio._HISTORY[(str(tree.top), revisions)][0])
    monkeypatch.setattr(gitio.Worktree, "start_deleted", recording)

    def interrupted(*_args):
        raise KeyboardInterrupt
    with monkeypatch.context() as patch:
        patch.setattr(Index, "_update", interrupted)
        result = run("--root", str(repo), "check", "--as-of", AS_OF)
    assert result.exit_code == 130 and "Traceback" not in result.stderr
    assert len(started) == 1 and started[0].poll() is not None and not gitio._HISTORY
    code, report = check_json(repo)
    assert (PAIRING, None) in am310(report) and len(started) == 2

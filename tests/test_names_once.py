"""A name on the command line opens the repository once (issue 20): the index the name was
looked up in is the one the command reads and judges with — unless another writer took the
write lock in between, when the change opens it afresh.  Through the CLI, in-process, counting
how often the index is brought up to date."""

from __future__ import annotations

import json

import pytest
from conftest import AS_OF, git, run

from aimama_cli.domain import session
from aimama_cli.store.index import Index

CHILD = "C430621-0000C001"  # 王小雨


@pytest.fixture
def refreshes(monkeypatch):
    """How many times an index was brought up to date, during each command."""
    counted = []
    refresh = Index.refresh

    def counting(self, *args, **kwargs):
        counted.append(self.root)
        return refresh(self, *args, **kwargs)

    monkeypatch.setattr(Index, "refresh", counting)
    return counted


def aimama(repo, *args):
    return run("--root", str(repo), *args)


@pytest.mark.parametrize("args", [("child", "show", "王小雨"), ("history", "王小雨"),
                                  ("volunteer", "show", "李秀兰", "--format", "json"),
                                  ("duty", "check", "--volunteer", "李秀兰", "--as-of", AS_OF),
                                  ("child", "show", CHILD)])
def test_reading_by_name_opens_the_index_once(repo, refreshes, args):
    assert aimama(repo, "check", "--as-of", AS_OF).exit_code == 0  # the index up to date
    refreshes.clear()
    result = aimama(repo, *args)
    assert result.exit_code == 0, result.stderr
    assert len(refreshes) == 1


def test_a_change_by_name_opens_the_index_once_and_writes_the_id(repo, refreshes):
    refreshes.clear()
    result = aimama(repo, "child", "edit", "王小雨", "--set", "school.name=青松小学")
    assert result.exit_code == 0, result.stderr
    assert len(refreshes) == 1
    assert f"Aimama-Record: {CHILD}" in git(repo, "log", "-1", "--format=%B")
    refreshes.clear()  # the next command is not handed the last one's index
    assert aimama(repo, "child", "show", "王小雨", "--format", "json").json()["record"]["school"]["name"] == "青松小学"
    assert len(refreshes) == 1


def test_a_writer_between_the_names_and_the_lock_makes_the_change_read_afresh(repo, refreshes, monkeypatch):
    looked_up = session.for_names

    def another_writer_meanwhile(root, **kwargs):
        found = looked_up(root, **kwargs)
        lock = git(repo, "rev-parse", "--absolute-git-dir").strip() + "/aimama/write-lock"
        with open(lock, "w", encoding="utf-8") as note:  # as a writer does when it takes the lock
            json.dump({"command": "child edit", "pid": 1}, note)
        return found

    monkeypatch.setattr(session, "for_names", another_writer_meanwhile)
    refreshes.clear()
    result = aimama(repo, "child", "edit", "王小雨", "--set", "school.name=青松小学")
    assert result.exit_code == 0, result.stderr
    assert len(refreshes) == 2  # the names' index was not used for judging
    assert "青松小学" in (repo / "records" / "children" / f"{CHILD}.yaml").read_text(encoding="utf-8")

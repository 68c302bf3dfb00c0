"""The record index never fails a command: processes at once, with and without the key, a
damaged or read-only index file — each check gives the answer a check without the index gives."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import AS_OF, DEMO_IDENTITY, PROJECT, check_json

from aimama_cli.rules.checker import open_index
from aimama_cli.store.index_file import CACHE_DIR, CACHE_FILE

CHILD = "C430621-25AZ81EC"  # a demo child


def spawn(root, *args, key: bool = True) -> subprocess.Popen:
    """``aimama --root ROOT ARGS`` in a process of its own, as a user (or CI) starts it."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    env.pop("AIMAMA_AGE_IDENTITY", None)
    if key:
        env["AIMAMA_AGE_IDENTITY"] = str(DEMO_IDENTITY)
    return subprocess.Popen([sys.executable, "-m", "aimama_cli", "--root", str(root), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(procs) -> list[tuple[int, str, str]]:
    return [(p.returncode, out, err) for p in procs for out, err in [p.communicate(timeout=300)]]


CHECK = ("check", "--format", "json", "--as-of", AS_OF)


def truth(root, key: bool = True) -> tuple[int, dict]:
    """What a check without the index says."""
    ((code, out, err),) = finished([spawn(root, *CHECK, "--no-cache", key=key)])
    assert code in (0, 1), err
    return code, json.loads(out)


def test_concurrent_cold_checks_all_give_the_same_answer(demo):
    results = finished([spawn(demo, *CHECK) for _ in range(5)])
    assert {code for code, _, _ in results} == {truth(demo)[0]}, [err for _, _, err in results]
    assert len({out for _, out, _ in results}) == 1
    assert json.loads(results[0][1]) == truth(demo)[1]


def test_checks_with_and_without_the_key_beside_an_edit(demo):
    """The key and no key have an index file each: neither deletes the other's under it."""
    editor = spawn(demo, "child", "edit", CHILD, "--set", "risk_level=red")
    checks = [spawn(demo, *CHECK, key=key) for key in (True, False, True, False, True, False)]
    results = finished([editor, *checks])
    assert results[0][0] == 0, results[0][2]
    for code, out, err in results[1:]:
        assert code in (0, 1) and "internal error" not in err, err
        assert json.loads(out)["files"] > 100
    names = {p.name for p in (demo / CACHE_DIR).glob("index*.sqlite")}
    assert names == {"index-sealed.sqlite", "index-key-c16efe036a593a78.sqlite"}
    for key in (True, False):  # afterwards, each index answers as a check without it
        ((code, out, err),) = finished([spawn(demo, *CHECK, key=key)])
        assert (code, json.loads(out)) == truth(demo, key)


def test_checks_while_another_process_edits(demo):
    edits = [spawn(demo, "child", "edit", CHILD, "--set", f"risk_level={level}")
             for level in ("red", "orange")]
    checks = [spawn(demo, "child", "list", "--format", "json"), *(spawn(demo, *CHECK) for _ in range(3))]
    results = finished([*edits, *checks])
    assert all(code in (0, 1) for code, _, _ in results), [err for _, _, err in results]
    assert all("internal error" not in err for _, _, err in results)
    ((code, out, _),) = finished([spawn(demo, *CHECK)])
    assert (code, json.loads(out)) == truth(demo)


def test_the_key_and_no_key_keep_their_own_index(demo, monkeypatch):
    open_index(demo)
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    open_index(demo)
    assert open_index(demo).stats.parsed == 0  # without the key: nothing parsed again
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(DEMO_IDENTITY))
    assert open_index(demo).stats.parsed == 0  # with it: its own index was left alone


def _checkpointed(path) -> None:
    """Everything in the main file (none of it left in the WAL), as after a clean close of
    every connection — also those of the commands run in this process before."""
    gc.collect()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "emptied"])
def test_a_damaged_index_is_rebuilt(repo, damage):
    first = check_json(repo)
    path = repo / CACHE_DIR / CACHE_FILE
    _checkpointed(path)
    if damage == "garbage":
        path.write_bytes(os.urandom(3000) * 50)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    else:
        path.write_bytes(b"")
    assert check_json(repo) == first == check_json(repo, "--no-cache")
    index = open_index(repo)
    assert index.path == path and index.stats.parsed == 0  # rebuilt in place, and used again


@pytest.mark.parametrize("table", ["files", "refs"])
def test_a_damaged_page_inside_the_file_is_rebuilt(repo, table):
    """Damage the header check cannot see: the first page of a table — read by the update
    (files) or only by the repository rules (refs)."""
    first = check_json(repo)
    path = repo / CACHE_DIR / CACHE_FILE
    _checkpointed(path)
    db = sqlite3.connect(path)
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    raw = bytearray(path.read_bytes())
    raw[(root - 1) * size:(root - 1) * size + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    assert check_json(repo) == first
    assert open_index(repo).stats.parsed == 0  # rebuilt by that check, used by the next
    assert check_json(repo) == first


@contextlib.contextmanager
def read_only(*paths):
    """``paths`` made read-only — for root too (``chattr +i``), else the test is skipped."""
    done = []
    try:
        for path in paths:
            if os.geteuid() == 0:
                if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                    pytest.skip("cannot make a file read-only for root here")
            else:
                path.chmod(0o555 if path.is_dir() else 0o444)
            done.append(path)
        yield
    finally:
        for path in reversed(done):
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(path)], capture_output=True)
            else:
                path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_index_still_gives_the_right_answer(repo, what):
    check_json(repo)
    child = repo / "records/children/C430621-0000C001.yaml"
    child.write_text(child.read_text(encoding="utf-8") + "hobby: 画画\n", encoding="utf-8")
    folder = repo / CACHE_DIR
    for extra in folder.glob("index.sqlite-*"):  # a clean close leaves no WAL
        extra.unlink()
    targets = [folder / CACHE_FILE] if what == "file" else [*folder.iterdir(), folder]
    with read_only(*targets):
        code, report = check_json(repo)
        assert (code, report) == check_json(repo, "--no-cache")
        assert code == 1 and "AM201" in {p["code"] for p in report["problems"]}

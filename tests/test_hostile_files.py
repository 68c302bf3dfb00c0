"""`check` is total (issue 17): whatever lies in a records repository — a link to /dev/zero, a
FIFO, a folder named like a record, a file of megabytes, `.nan`, a 5,000-digit number, a key
that is a list — it ends, in time, with exit 1 and a problem naming the file and the line:
never exit 3, never a traceback, never a hang."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, check_json, git, run

CHILD = "records/children/C430621-0000C001.yaml"
VOLUNTEER = "records/volunteers/V430621-0000V001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"
ACTIVITIES = "records/activities/2026/V430621-0000V001.yaml"
TIMEOUT = 120  # seconds: a check of this repository takes about one; a hang never ends


def edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, old
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, text: str) -> int:
    return next(i for i, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def _socket(path: Path) -> None:
    """A UNIX socket at ``path`` (bound from its folder: a socket's path has at most 107 bytes)."""
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path.name)
        sock.close()
    finally:
        os.chdir(here)


def hostile(root: Path, outside: Path) -> dict[str, tuple[str, int, str | None]]:
    """Lay the corpus in ``root``; {file: (code, line, field)} that check must report."""
    edit(root, VOLUNTEER, "capacity: 2", "capacity: .nan")
    edit(root, ACTIVITIES, "hours: 2", "hours: .inf")
    edit(root, CHILD, "gender:", f"size: {'9' * 5000}\ngender:")
    edit(root, PAIRING, "role:", "1: one\n? [a, b]\n: list\nrole:")
    children = root / "records" / "children"
    (children / "C430621-0000Z001.yaml").symlink_to("/dev/zero")  # read unbounded, it never ends
    (children / "C430621-0000L001.yaml").symlink_to(outside / "secret.yaml")  # out of the repository
    (children / "C430621-0000G001.yaml").symlink_to(outside / "gone.yaml")  # leads nowhere
    os.mkfifo(children / "C430621-0000F001.yaml")  # opened for reading, it waits for a writer
    (children / "C430621-0000D001.yaml").mkdir()
    _socket(children / "C430621-0000S001.yaml")
    (children / "C430621-0000B001.yaml").write_bytes(b"id: C430621-0000B001\n" + b"#" * 5_000_000)
    (children / "C430621-0000N001.yaml").write_text(f"id: C430621-0000N001\nx: {'[' * 600}{']' * 600}\n",
                                                    encoding="utf-8")
    (root / "records" / "trainings" / "2026").symlink_to(outside, target_is_directory=True)
    return {
        VOLUNTEER: ("AM207", line_of(root, VOLUNTEER, "capacity"), "capacity"),
        ACTIVITIES: ("AM207", line_of(root, ACTIVITIES, ".inf"), "entries[0].hours"),
        CHILD: ("AM207", line_of(root, CHILD, "size:"), "size"),
        PAIRING: ("AM208", line_of(root, PAIRING, "1: one"), "1"),
        "records/children/C430621-0000Z001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000L001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000G001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000F001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000D001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000S001.yaml": ("AM111", 1, None),
        "records/children/C430621-0000B001.yaml": ("AM112", 1, None),
        "records/children/C430621-0000N001.yaml": ("AM104", 1, None),  # nested too deeply
        "records/trainings/2026": ("AM111", 1, None),
    }


def aimama(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The console script in a process of its own, so that a hang is a timeout, not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_a_corpus_of_hostile_files_is_reported_file_by_file(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: C430621-0000L001\n", encoding="utf-8")
    expected = hostile(repo, outside)
    for run_number in (1, 2):  # the first check reads everything, the second what git says changed
        text = aimama(repo, "check", "--as-of", AS_OF)
        assert text.returncode == 1, text.stderr
        assert "Traceback" not in text.stdout + text.stderr and not text.stderr
        for path, (code, line, _field) in expected.items():
            assert f"{path}:{line}:" in text.stdout and code in text.stdout, (run_number, path)
        report = aimama(repo, "check", "--as-of", AS_OF, "--format", "json")
        assert report.returncode == 1 and "Traceback" not in report.stderr
        problems = json.loads(report.stdout)["problems"]
        for path, (code, line, field) in expected.items():
            assert (code, line, field) in [(p["code"], p["line"], p["field"]) for p in problems
                                           if p["file"] == path], (run_number, path, code)
    assert "/dev/zero" in text.stdout  # where the link leads is said, not followed


def test_a_tracked_record_replaced_by_a_link_to_dev_zero_is_not_read(repo):
    assert run("--root", str(repo), "check", "--as-of", AS_OF).exit_code == 0  # the index is warm
    (repo / CHILD).unlink()
    (repo / CHILD).symlink_to("/dev/zero")
    result = aimama(repo, "check", "--as-of", AS_OF)
    assert result.returncode == 1 and f"{CHILD}:1:1: AM111" in result.stdout


@pytest.mark.parametrize("value,shown", [(".nan", ".nan"), ("-.inf", "-.inf"), ("1e999", "1e999"),
                                          ("9223372036854775808", "9223372036854775808"),
                                          ("0x10000000000000000", "0x10000000000000000")])
def test_numbers_no_record_can_hold_are_located_schema_errors(repo, value, shown):
    edit(repo, VOLUNTEER, "capacity: 2", f"capacity: {value}")
    code, report = check_json(repo)
    assert code == 1
    assert [(p["code"], p["file"], p["line"], p["field"]) for p in report["problems"]] == \
        [("AM207", VOLUNTEER, line_of(repo, VOLUNTEER, "capacity"), "capacity")]
    assert shown in report["problems"][0]["message"]


def test_the_largest_64_bit_integer_is_a_number_like_any_other(repo):
    edit(repo, VOLUNTEER, "capacity: 2", "capacity: 9223372036854775807")
    code, report = check_json(repo)  # the schema judges it: more than the 10 a capacity may be
    assert code == 1 and [p["code"] for p in report["problems"]] == ["AM206"]


@pytest.mark.parametrize("key", ["1", "true", "~", "[a, b]", "{a: 1}"])
def test_a_key_that_is_not_text_is_a_located_schema_error(repo, key):
    edit(repo, CHILD, "gender:", f"? {key}\n: x\ngender:")
    code, report = check_json(repo)
    assert code == 1
    assert [(p["code"], p["line"]) for p in report["problems"]] == [("AM208", line_of(repo, CHILD, f"? {key}"))]


def test_the_size_limit_is_set_in_aimama_yaml(repo):
    (repo / "records" / "children" / "C430621-0000B001.yaml").write_text("#" * 3000 + "\n", encoding="utf-8")
    assert check_json(repo)[0] == 1  # empty of data, not too large: AM103
    with (repo / "aimama.yaml").open("a", encoding="utf-8") as config:
        config.write("limits:\n  max_file_bytes: 2048\n")
    code, report = check_json(repo)
    assert code == 1
    found = {(p["file"], p["code"]) for p in report["problems"]}
    assert ("records/children/C430621-0000B001.yaml", "AM112") in found
    assert [p for p in report["problems"] if p["file"] == CHILD] == []  # 700 bytes: read as ever


def test_a_missing_aimama_yaml_is_reported(repo):
    git(repo, "rm", "-q", "aimama.yaml")
    code, report = check_json(repo)
    assert code == 1
    assert [(p["code"], p["file"], p["line"]) for p in report["problems"] if p["code"] == "AM309"] == \
        [("AM309", "aimama.yaml", 1)]


def test_a_folder_that_cannot_be_listed_is_reported(repo, monkeypatch):
    """chmod 000 stops anyone but root; as root (CI) the refusal is simulated where the folder
    is listed and opened."""
    from aimama_cli.store import layout

    folder = repo / "records" / "pairings"
    real_scandir, real_listdir, real_open = os.scandir, os.listdir, os.open

    def scandir(path="."):
        if str(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def listdir(path="."):
        if str(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if os.fspath(path) == "pairings" and not flags & getattr(os, "O_PATH", 0):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(layout.os, "scandir", scandir)
    monkeypatch.setattr(layout.os, "listdir", listdir)
    monkeypatch.setattr(layout.os, "open", open_)
    result = run("--root", str(repo), "check", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    [problem] = [p for p in result.json()["problems"] if p["code"] == "AM113"]
    assert problem["file"] == "records/pairings" and "Permission denied" in problem["message"]


def test_harmless_oddities_pass(repo):
    """A byte-order mark, a hexadecimal capacity, a README and a .gitkeep are no problem."""
    (repo / VOLUNTEER).write_bytes(b"\xef\xbb\xbf" + (repo / VOLUNTEER).read_bytes().replace(
        b"capacity: 2", b"capacity: 0x2"))
    (repo / "records" / "children" / "README.md").write_text("# 儿童\n", encoding="utf-8")
    result = aimama(repo, "check", "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout


def test_a_pull_request_of_many_folders_leaves_no_file_unread(repo):
    """Records in 300 folders of their own, checked with 100 file descriptors allowed (what a
    reader keeps open is bounded): each is reported for where it lies, none as unreadable."""
    import resource

    for i in range(300):
        folder = repo / "records" / "children" / f"f{i:03d}"
        folder.mkdir()
        (folder / "C430621-0000X001.yaml").write_text("id: C430621-0000X001\n", encoding="utf-8")
    few = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))  # noqa: E731
    result = subprocess.run([sys.executable, "-m", "aimama_cli", "--root", str(repo), "check", "--as-of", AS_OF,
                             "--format", "json"], capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=few)
    assert "Traceback" not in result.stderr, result.stderr
    problems = json.loads(result.stdout)["problems"]
    nested = {p["file"]: p["code"] for p in problems if "/f" in p["file"]}
    assert len(nested) == 300 and "AM109" not in nested.values(), sorted(set(nested.values()))

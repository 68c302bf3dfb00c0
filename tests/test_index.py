"""The record index parses only what changed, and never serves a stale answer."""

from __future__ import annotations

import os

from aimama_cli.index import CACHE_DIR, CACHE_FILE, Index
from conftest import check_json

CHILD = "records/children/C430621-0000C001.yaml"


def fresh(root):
    return Index(root).refresh()


def age_files(root, seconds=10):
    """Pretend every file was written a while ago (outside the racy-mtime window)."""
    old = os.stat(root).st_mtime - seconds
    for folder, _, files in os.walk(root / "records"):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old))
    os.utime(root / "aimama.yaml", (old, old))


def test_warm_run_parses_nothing(repo):
    age_files(repo)
    first = fresh(repo)
    assert first.stats.parsed == first.stats.files > 5
    second = fresh(repo)
    assert second.stats.parsed == 0 and second.stats.hashed == 0
    assert [e.to_row() for e in second.entries.values()] == [e.to_row() for e in first.entries.values()]


def test_one_changed_file_is_parsed_again(repo):
    age_files(repo)
    fresh(repo)
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8").replace("risk_level: yellow", "risk_level: red"),
                    encoding="utf-8")
    index = fresh(repo)
    assert index.stats.parsed == 1
    assert index.entries[CHILD].fields["risk_level"] == "red"


def test_same_size_same_mtime_edit_is_still_seen(repo):
    """A file edited twice within one timestamp tick of an index write (same size, same
    mtime) is hashed again rather than trusted."""
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # written just now
    fresh(repo)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("yellow", "orange")[:-1] + "\n",
                    encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    text = path.read_text(encoding="utf-8")
    assert "orange" in text
    index = fresh(repo)
    assert index.entries[CHILD].fields["risk_level"] == "orange"


def test_touched_file_with_same_content_is_not_parsed(repo):
    age_files(repo)
    fresh(repo)
    os.utime(repo / CHILD)
    index = fresh(repo)
    assert index.stats.hashed == 1 and index.stats.parsed == 0


def test_problems_survive_the_cache(repo):
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8") + "hobby: 画画\n", encoding="utf-8")
    first = check_json(repo)
    second = check_json(repo)
    assert first == second and first[0] == 1


def test_deleted_file_leaves_the_index(repo):
    fresh(repo)
    (repo / "records/pledges/2026/S430621-0000S001.yaml").unlink()
    index = fresh(repo)
    assert "records/pledges/2026/S430621-0000S001.yaml" not in index.entries


def test_corrupt_cache_is_rebuilt(repo):
    fresh(repo)
    (repo / CACHE_DIR / CACHE_FILE).write_bytes(b"\x00garbage")
    index = fresh(repo)
    assert index.stats.parsed == index.stats.files
    assert check_json(repo)[0] == 0


def test_cache_is_ignored_by_git(repo):
    fresh(repo)
    assert (repo / CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_parallel_parse_gives_the_same_entries(repo, monkeypatch):
    import aimama_cli.index as index_module

    serial = Index(repo, use_cache=False).refresh(workers=1)
    monkeypatch.setattr(index_module, "PARALLEL_THRESHOLD", 1)
    parallel = Index(repo, use_cache=False).refresh(workers=2)
    assert [e.to_row()[:6] for e in parallel.entries.values()] == \
        [e.to_row()[:6] for e in serial.entries.values()]

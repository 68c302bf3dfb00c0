"""The record index parses only what changed, and never serves a stale answer."""

from __future__ import annotations

import os

from conftest import check_json, git

from aimama_cli.rules import FILE_CHECKS
from aimama_cli.rules.checker import open_index
from aimama_cli.store.index import Index
from aimama_cli.store.index_file import CACHE_DIR, CACHE_FILE, meta

CHILD = "records/children/C430621-0000C001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"


def fresh(root):
    return open_index(root)


def age_files(root, seconds=10):
    """Pretend every file was written a while ago (outside the racy-mtime window)."""
    old = os.stat(root).st_mtime - seconds
    for folder, _, files in os.walk(root / "records"):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old))
    os.utime(root / "aimama.yaml", (old, old))


def test_warm_run_parses_nothing(repo):
    first = fresh(repo)
    assert first.stats.parsed == first.stats.files > 5
    second = fresh(repo)
    assert second.stats.mode == "git"
    assert second.stats.parsed == 0 and second.stats.candidates <= 1  # aimama.yaml is always looked at
    assert second.count() == first.count()


def test_one_changed_file_is_parsed_again(repo):
    fresh(repo)
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8").replace("risk_level: yellow", "risk_level: red"),
                    encoding="utf-8")
    index = fresh(repo)
    assert index.stats.parsed == 1
    assert dict((p, f) for p, _, f in index.fields("child"))[CHILD]["risk_level"] == "red"


def test_a_commit_aimama_made_is_followed_and_what_came_after_is_still_seen(repo):
    """After its own commit aimama tells the index where HEAD went (the next command reads no
    history from git) and what it wrote; a hand edit committed with git afterwards is found as
    always."""
    from conftest import run

    fresh(repo)
    edited = run("--root", str(repo), "child", "edit", "C430621-0000C001", "--set", "risk_level=red")
    assert edited.exit_code == 0, edited.stderr
    index = Index(repo)  # not brought up to date: what the commit left in it
    assert index._meta(index.db, "head") == git(repo, "rev-parse", "HEAD^{tree}").strip()
    # the file as written is indexed: the next command compares its digest and parses nothing
    assert {p: f for p, _, f in index.fields("child")}[CHILD]["risk_level"] == "red"
    assert fresh(repo).stats.parsed == 0
    pairing = repo / PAIRING
    pairing.write_text(pairing.read_text(encoding="utf-8").replace("2024-04-10", "2024-04-11"),
                       encoding="utf-8")
    git(repo, "commit", "-qam", "by hand")
    index = fresh(repo)
    assert {p: f for p, _, f in index.fields("child")}[CHILD]["risk_level"] == "red"
    assert {p: f for p, _, f in index.fields("pairing")}[PAIRING]["started_on"] == "2024-04-11"
    code, report = check_json(repo)
    assert code == 0, report["problems"][:3]


def test_same_size_same_mtime_edit_is_still_seen(repo):
    """A file edited twice within one timestamp tick (same size, same mtime) is not missed."""
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # written just now
    fresh(repo)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("yellow", "orange"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    index = fresh(repo)
    assert dict((p, f) for p, _, f in index.fields("child"))[CHILD]["risk_level"] == "orange"


def test_touched_file_with_same_content_is_not_parsed(repo):
    fresh(repo)
    os.utime(repo / CHILD)
    index = fresh(repo)
    assert index.stats.hashed >= 1 and index.stats.parsed == 0


def test_untracked_file_edited_in_place_is_seen(repo):
    """git cannot see an untracked file change; the index watches files that differ from HEAD."""
    new = repo / "records/teams/T430621-0000T002.yaml"
    new.write_text((repo / "records/teams/T430621-0000T001.yaml").read_text(encoding="utf-8")
                   .replace("T001", "T002"), encoding="utf-8")
    age_files(repo)
    assert fresh(repo).count("WHERE path = ?", (new.relative_to(repo).as_posix(),)) == 1
    age_files(repo)
    fresh(repo)
    with new.open("a", encoding="utf-8") as handle:  # in place: the folder's mtime stays
        handle.write("colour: red\n")
    code, report = check_json(repo)
    assert ("AM201", "records/teams/T430621-0000T002.yaml") in {(p["code"], p["file"])
                                                               for p in report["problems"]}


def test_added_and_removed_files_are_found_through_folder_mtimes(repo):
    age_files(repo)
    fresh(repo)
    fresh(repo)  # folder mtimes are now old enough to be trusted
    (repo / "records/pledges/2026/S430621-0000S001.yaml").unlink()
    extra = repo / "records/children/C430621-0000C002.yaml"
    extra.write_text((repo / CHILD).read_text(encoding="utf-8").replace("C001", "C002"),
                     encoding="utf-8")
    index = fresh(repo)
    paths = set(index.paths())
    assert "records/pledges/2026/S430621-0000S001.yaml" not in paths
    assert "records/children/C430621-0000C002.yaml" in paths


def test_switching_branches_reindexes_what_differs(repo):
    fresh(repo)
    git(repo, "checkout", "-qb", "other")
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8").replace("yellow", "red"), encoding="utf-8")
    git(repo, "commit", "-qam", "red")
    git(repo, "checkout", "-q", "main")
    assert dict((p, f) for p, _, f in fresh(repo).fields("child"))[CHILD]["risk_level"] == "yellow"
    git(repo, "checkout", "-q", "other")
    assert dict((p, f) for p, _, f in fresh(repo).fields("child"))[CHILD]["risk_level"] == "red"


def test_outside_git_every_file_is_compared(repo):
    import shutil

    shutil.rmtree(repo / ".git")
    age_files(repo)
    first = fresh(repo)
    second = fresh(repo)
    assert second.stats.mode == "scan" and second.stats.parsed == 0
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8").replace("yellow", "red"), encoding="utf-8")
    assert fresh(repo).stats.parsed == 1 and first.count() == second.count()


def test_problems_survive_the_cache(repo):
    path = repo / CHILD
    path.write_text(path.read_text(encoding="utf-8") + "hobby: 画画\n", encoding="utf-8")
    first = check_json(repo)
    second = check_json(repo)
    assert first == second and first[0] == 1


def test_deleted_file_leaves_the_index(repo):
    before = meta(fresh(repo).db, "generation")
    (repo / "records/pledges/2026/S430621-0000S001.yaml").unlink()
    index = fresh(repo)
    assert "records/pledges/2026/S430621-0000S001.yaml" not in set(index.paths())
    paths, ids = index.changed_since(before)  # the journal: what changed, and whom it named
    assert paths == {"records/pledges/2026/S430621-0000S001.yaml"} and "S430621-0000S001" in ids
    assert "V430621-0000V001" in ids  # the volunteer the pledge named, known only from before
    # a deletion not yet committed is one change, not one more each run (the kept figures hold)
    after = meta(index.db, "generation")
    assert index.changed_since(after) == (set(), set())
    assert fresh(repo).changed_since(after) == (set(), set()) and meta(fresh(repo).db, "generation") == after


def test_corrupt_cache_is_rebuilt(repo):
    fresh(repo).db.close()  # as a command's process ends: run alone, nothing else collects it
    (repo / CACHE_DIR / CACHE_FILE).write_bytes(b"\x00garbage" * 100)
    index = fresh(repo)
    assert index.stats.parsed == index.stats.files
    assert check_json(repo)[0] == 0


def test_cache_is_ignored_by_git(repo):
    fresh(repo)
    assert (repo / CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_parallel_parse_gives_the_same_entries(repo, monkeypatch):
    import aimama_cli.store.index as index_module

    def dump(index):
        return [list(index.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3"))
                for t in ("files", "ids", "refs", "problems")]

    serial = Index(repo, use_cache=False, checks=FILE_CHECKS).refresh(workers=1)
    monkeypatch.setattr(index_module, "PARALLEL_THRESHOLD", 1)
    parallel = Index(repo, use_cache=False, checks=FILE_CHECKS).refresh(workers=2)
    assert dump(parallel) == dump(serial)


def test_incremental_check_equals_a_full_check(repo):
    """After each edit, the check that reuses the last results agrees with a check from scratch."""
    team = "records/teams/T430621-0000T001.yaml"
    volunteer = "records/volunteers/V430621-0000V001.yaml"
    steps = [
        lambda: (repo / volunteer).rename(repo / "volunteers-away.yaml"),  # deleted: AM310
        lambda: (repo / "volunteers-away.yaml").rename(repo / volunteer),  # and is whole again
        lambda: (repo / PAIRING).write_text((repo / PAIRING).read_text(encoding="utf-8").replace(
            "C430621-0000C001", "C430621-0000C009"), encoding="utf-8"),  # an unknown child
        lambda: (repo / PAIRING).write_text((repo / PAIRING).read_text(encoding="utf-8").replace(
            "C430621-0000C009", "C430621-0000C001"), encoding="utf-8"),  # whole again
        lambda: (repo / "records/pairings/P430621-0000P000.yaml").write_text(
            (repo / PAIRING).read_text(encoding="utf-8").replace("P430621-0000P001", "P430621-0000P000"),
            encoding="utf-8"),  # the same two paired again, in a file that sorts first
        lambda: (repo / "records/teams/T430621-0000T002.yaml").write_text(
            (repo / team).read_text(encoding="utf-8"), encoding="utf-8"),  # a duplicate id
        lambda: (repo / team).unlink(),  # the original goes: still a file-name problem
        lambda: (repo / "records/regions.yaml").write_text(
            (repo / "records/regions.yaml").read_text(encoding="utf-8").replace("'430621101201'", "'430621101209'"),
            encoding="utf-8"),
        lambda: (repo / CHILD).write_text((repo / CHILD).read_text(encoding="utf-8").replace(
            "'2015-03-08'", "'2007-03-08'"), encoding="utf-8"),  # now aged out (and AM502)
    ]
    check_json(repo, "--as-of", "2026-11-01")
    seen = set()
    for step in steps:
        step()
        incremental = check_json(repo, "--as-of", "2026-11-01")
        scratch = check_json(repo, "--as-of", "2026-11-01", "--no-cache")
        assert incremental == scratch
        seen |= {p["code"] for p in incremental[1]["problems"]}
    assert {"AM310", "AM401", "AM301", "AM302", "AM402", "AM502", "AM601", "AM711"} <= seen


def test_a_value_computed_while_another_process_changes_a_file_is_not_kept_as_fresh(repo):
    """remembered() takes the generation before computing: a file changed meanwhile (another
    colleague's command) makes the kept value stale, never a value read before the change fresh."""
    index = fresh(repo)
    path = repo / CHILD

    def compute_while_changed():
        path.write_text(path.read_text(encoding="utf-8").replace("risk_level: yellow", "risk_level: red"),
                        encoding="utf-8")
        fresh(repo)  # the other process brings the index up to date
        return "read before the change"

    assert index.remembered("race", compute_while_changed) == "read before the change"
    assert index.remembered("race", lambda: "read after it") == "read after it"

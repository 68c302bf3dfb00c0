"""An index file is used only by the clone that made it: one committed in a pull request (the
``.aimama`` folder's .gitignore keeps out only what is not added by force) cannot make a check
pass over records that do not."""

from __future__ import annotations

import shutil
import sqlite3

from conftest import check_json, git

from aimama_cli.store.index_file import CACHE_DIR, CACHE_FILE

CHILD = "records/children/C430621-0000C001.yaml"


def test_an_index_file_from_elsewhere_is_not_trusted(repo, tmp_path):
    child = repo / CHILD
    child.write_text(child.read_text(encoding="utf-8").replace("birth_date: '2015-03-08'", "birth_date: '2015-02-30'"),
                     encoding="utf-8")
    git(repo, "commit", "-qam", "a record that does not pass")
    code, report = check_json(repo)
    assert code == 1 and any(p["file"] == CHILD for p in report["problems"])

    forged = tmp_path / "forged.sqlite"  # this index, its rows made to say every record is sound
    with sqlite3.connect(f"file:{repo / CACHE_DIR / CACHE_FILE}?mode=ro", uri=True) as made:
        db = sqlite3.connect(forged)
        made.backup(db)
    db.execute("PRAGMA journal_mode=DELETE")
    for table in ("problems", "repo_problems"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM meta WHERE key LIKE 'memo:%'")
    db.commit()
    db.close()
    pull_request = tmp_path / "pull-request"  # commits it beside the records
    git(tmp_path, "clone", "-q", str(repo), str(pull_request))
    (pull_request / CACHE_DIR).mkdir()
    shutil.copy(forged, pull_request / CACHE_DIR / CACHE_FILE)
    git(pull_request, "add", "-f", f"{CACHE_DIR}/{CACHE_FILE}")
    git(pull_request, "commit", "-qm", "an index that says all is well")

    ci = tmp_path / "ci"  # a fresh clone of the pull request, as CI checks it
    git(tmp_path, "clone", "-q", str(pull_request), str(ci))
    assert (ci / CACHE_DIR / CACHE_FILE).exists()
    code, report = check_json(ci)
    assert code == 1 and any(p["file"] == CHILD for p in report["problems"])

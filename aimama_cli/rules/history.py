"""Records are closed, never deleted: a deleted file that loses something is reported."""

from __future__ import annotations

from aimama_cli.core.registry import REPOSITORY, rule

# kinds whose files are history in themselves: deleting one always loses something
HISTORY_KINDS = ("pairing", "pledge", "activity")
GONE = "NOT EXISTS (SELECT 1 FROM ids i WHERE i.id = d.id AND i.kind = d.kind)"


@rule("AM310", scope=REPOSITORY)
def deleted_records(repo):
    """A deleted record file (in git history or in the work tree) whose id other records still
    name, or which was a pairing, commitment or activity log, is reported (restore it, then
    close it instead)."""
    referred = repo.db.execute(
        f"""SELECT r.path, r.field, f.rid, d.id, d.path, max(d.git_commit)
            FROM deleted d CROSS JOIN refs r ON r.target = d.id JOIN files f ON f.path = r.path
            WHERE d.kind NOT IN ({",".join("?" * len(HISTORY_KINDS))}) AND {GONE}
            {repo.within('r.path')}
            GROUP BY r.path, r.field ORDER BY r.path""", HISTORY_KINDS)
    for path, field, rid, gone, gone_path, commit in referred:
        yield repo.found("AM310", path, field, rid, id=gone, path=gone_path,
                         commit=commit[:10] or "-", restore=_restore(gone_path, commit))
    lost = repo.db.execute(
        f"""SELECT d.path, d.id, max(d.git_commit) FROM deleted d
            WHERE d.kind IN ({",".join("?" * len(HISTORY_KINDS))})
              AND NOT EXISTS (SELECT 1 FROM files f WHERE f.path = d.path) AND {GONE}
              {repo.within('d.path')}
            GROUP BY d.path ORDER BY d.path""", HISTORY_KINDS)
    for path, gone, commit in lost:
        yield repo.found("AM310", path, None, gone, id=gone, path=path, commit=commit[:10] or "-",
                         restore=_restore(path, commit))


def _restore(path: str, commit: str) -> str:
    return f"git checkout {commit[:10]}^ -- {path}" if commit else f"git checkout HEAD -- {path}"

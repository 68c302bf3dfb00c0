"""Merged duplicates: a person merged into another (``closed.merged_into``, written by
``child|volunteer merge``) is named by no record any more, and points at a record of her kind.
"""

from __future__ import annotations

from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import REPOSITORY, rule
from aimama_cli.store.index_rows import field

MERGED_INTO = "closed.merged_into"


@rule("AM403", scope=REPOSITORY, severity=WARNING)
def merged_not_named(repo):
    """No record names a child or volunteer merged into another (a record added since the
    merge, or on a branch made before it, names the record kept instead)."""
    # the whole repository: from the merged records (few) to what names them, not through every
    # reference of a province; a change: from its own files' references (SQLite would otherwise
    # start from the merged records, reading every child's and volunteer's fields: 1.5 s a change
    # at 100,000 children)
    start = ("scope s CROSS JOIN refs r ON r.path = s.path CROSS JOIN files d" if repo.scoped
             else "files d JOIN refs r")
    rows = repo.db.execute(
        f"""SELECT r.path, r.field, f.rid, d.rid, {field('d', MERGED_INTO)}
            FROM {start} ON r.target = d.rid AND r.target_kind = d.kind
            JOIN files f ON f.path = r.path
            WHERE d.kind IN ('child', 'volunteer') AND {field('d', MERGED_INTO)} IS NOT NULL
              -- the duplicate's own log, emptied by the merge, stays hers
              AND NOT (f.kind = 'activity' AND r.field = 'volunteer'
                       AND coalesce(json_array_length(f.fields, '$.entries'), 0) = 0)
            ORDER BY r.path, r.field""")
    for path, name, rid, target, kept in rows:
        yield repo.found("AM403", path, name, rid, id=target, other=kept)


@rule("AM404", scope=REPOSITORY)
def merged_into_its_kind(repo):
    """A record merged into another names an existing record of its kind, not itself."""
    rows = repo.db.execute(
        f"""SELECT d.path, d.rid, d.kind, {field('d', MERGED_INTO)} FROM files d
            WHERE d.kind IN ('child', 'volunteer', 'team') AND {field('d', MERGED_INTO)} IS NOT NULL
              {repo.within('d.path')}
              AND ({field('d', MERGED_INTO)} = d.rid OR NOT EXISTS
                   (SELECT 1 FROM ids i WHERE i.id = {field('d', MERGED_INTO)} AND i.kind = d.kind))
            ORDER BY d.path""")
    for path, rid, kind, target in rows:
        yield repo.found("AM404", path, MERGED_INTO, rid, id=target, kind=kind)

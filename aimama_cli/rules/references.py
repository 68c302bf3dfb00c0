"""References: every id and region code a record names must exist."""

from __future__ import annotations

from aimama_cli.core.registry import REPOSITORY, rule


@rule("AM401", scope=REPOSITORY)
def references_resolve(repo):
    """Every reference to a record (child, volunteer, team, coordinator, programme) exists
    (one whose file was deleted is AM310's)."""
    rows = repo.db.execute(
        f"""SELECT bad.path, bad.field, bad.target_kind, bad.target, f.rid FROM
              (SELECT * FROM refs r WHERE r.target_kind != 'region' {repo.within('r.path')}
                 AND NOT EXISTS
                 (SELECT 1 FROM ids i WHERE i.id = r.target AND i.kind = r.target_kind)
                 AND NOT EXISTS (SELECT 1 FROM deleted d WHERE d.id = r.target)) bad
            JOIN files f ON f.path = bad.path""")
    for path, field, kind, target, rid in rows:
        yield repo.found("AM401", path, field, rid, kind=kind, id=target)


@rule("AM402", scope=REPOSITORY)
def regions_known(repo):
    """Every village code is a village in records/regions.yaml; every team region is listed."""
    if not repo.has_regions():
        return
    rows = repo.db.execute(
        f"""SELECT bad.path, bad.field, bad.target, f.rid, bad.level FROM
             (SELECT r.path, r.field, r.target, i.extra AS level
              FROM refs r LEFT JOIN ids i ON i.id = r.target AND i.kind = 'region'
              WHERE r.target_kind = 'region' {repo.within('r.path')}
                AND (i.extra IS NULL OR (r.field LIKE '%village' AND i.extra != 'village'))) bad
           JOIN files f ON f.path = bad.path""")
    for path, field, code, rid, level in rows:
        yield repo.found("AM402", path, field, rid, region=code, level=level or "-")

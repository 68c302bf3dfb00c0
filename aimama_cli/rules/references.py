"""References: every id and region code a record names must exist."""

from __future__ import annotations

from . import REPOSITORY, rule


@rule("AM401", scope=REPOSITORY)
def references_resolve(repo):
    """Every reference to a record (child, volunteer, team, coordinator, programme) exists."""
    rows = repo.db.execute(
        """SELECT r.path, r.field, r.target_kind, r.target, f.rid
           FROM refs r JOIN files f ON f.path = r.path
           WHERE r.target_kind != 'region' AND NOT EXISTS
                 (SELECT 1 FROM ids i WHERE i.id = r.target AND i.kind = r.target_kind)""")
    for path, field, kind, target, rid in rows:
        yield repo.found("AM401", path, field, rid, kind=kind, id=target)


@rule("AM402", scope=REPOSITORY)
def regions_known(repo):
    """Every village code is a village in records/regions.yaml; every team region is listed."""
    if not repo.has_regions():
        return
    rows = repo.db.execute(
        """SELECT r.path, r.field, r.target, f.rid,
                  (SELECT extra FROM ids i WHERE i.id = r.target AND i.kind = 'region') AS level
           FROM refs r JOIN files f ON f.path = r.path
           WHERE r.target_kind = 'region'""")
    for path, field, code, rid, level in rows:
        wants_village = field.rsplit(".", 1)[-1] == "village"
        if level is None or (wants_village and level != "village"):
            yield repo.found("AM402", path, field, rid, region=code, level=level or "-")

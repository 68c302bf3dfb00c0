"""References: every id and region code a record names must exist."""

from __future__ import annotations

from . import REPOSITORY, rule


@rule("AM401", scope=REPOSITORY)
def references_resolve(repo):
    """Every reference to a record (child, volunteer, team, coordinator, programme) exists."""
    for entry in repo.index.entries.values():
        for path, target, value in entry.refs:
            if target == "region":
                continue
            if value not in repo.id_kinds.get(target, {}):
                yield repo.found("AM401", entry.path, path, entry.rid, kind=target, id=value)


@rule("AM402", scope=REPOSITORY)
def regions_known(repo):
    """Every village code is a village in records/regions.yaml; every team region is listed."""
    if not repo.regions:
        return
    for entry in repo.index.entries.values():
        for path, target, value in entry.refs:
            if target != "region":
                continue
            level = repo.regions.get(value)
            wanted = "village" if path[-1] == "village" else None
            if level is None or (wanted and level != wanted):
                yield repo.found("AM402", entry.path, path, entry.rid, region=value,
                                 level=level or "-")

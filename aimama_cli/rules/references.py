"""References: every id and region code a record names must exist."""

from __future__ import annotations

import json

from aimama_cli.core.registry import FILE, REPOSITORY, rule
from aimama_cli.model import regions as divisions
from aimama_cli.store.index_rows import field as indexed

# the decisions a coordinator signs: (kind, who, on which day)
DECISIONS = (("volunteer", "vetting.decided_by", "vetting.decided_on"),
             ("child", "roster.confirmed_by", "roster.confirmed_on"))


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


@rule("AM406", "AM407", scope=FILE, kinds=("regions",))
def regions_fit_their_codes(ctx):
    """A region's level is the one its code's shape gives (AM406), and a township's county and
    a village's township are listed too (AM407): names are found by that chain (青松镇东塘村)."""
    listed = ctx.data.get("regions")
    entries = [(i, r) for i, r in enumerate(listed if isinstance(listed, list) else ())
               if isinstance(r, dict) and divisions.is_code(r.get("code"))]
    codes = {r["code"] for _i, r in entries}
    for i, region in entries:
        code, level = region["code"], region.get("level")
        shape = divisions.level_of(code)
        if level in divisions.DIGITS and level != shape:
            yield ctx.problem("AM406", ("regions", i, "level"), region=code, level=level, shape=shape)
        parent = divisions.parent_of(code)
        if shape in ("township", "village") and parent not in codes:
            yield ctx.problem("AM407", ("regions", i, "code"), region=code, level=shape, parent=parent,
                              parent_level=divisions.level_of(parent))


@rule("AM408", scope=REPOSITORY)
def decided_while_serving(repo):
    """A vetting decision or a roster confirmation is dated no later than its coordinator's
    retirement (``aimama coordinator retire``): from then on she decides for no one."""
    listed = (repo.index.singleton("coordinators") or {}).get("coordinators")
    retired = {c["id"]: c["retired"]["on"] for c in (listed if isinstance(listed, list) else ())
               if isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("retired"), dict)
               and isinstance(c["retired"].get("on"), str)}
    if not retired:
        return
    for kind, by, on in DECISIONS:
        rows = repo.db.execute(
            f"""SELECT f.path, f.rid, {indexed("f", by)} AS who, {indexed("f", on)} AS day FROM files f
                WHERE f.kind = ? AND who IN (SELECT value FROM json_each(?)) {repo.within('f.path')}
                ORDER BY f.path""", (kind, json.dumps(list(retired))))
        for path, rid, who, day in rows:
            if isinstance(day, str) and day > retired[who]:
                yield repo.found("AM408", path, by, rid, by=who, on=day, retired=retired[who])

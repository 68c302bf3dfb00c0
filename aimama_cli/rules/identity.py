"""Identity: every record has one id, its file name, in the right format and place; every
name is text a person can read and tell apart."""

from __future__ import annotations

import functools

from aimama_cli.core import ids
from aimama_cli.core.registry import FILE, REPOSITORY, register, rule
from aimama_cli.core.text import unfit_in_name
from aimama_cli.store import layout, schemas

ID_KINDS = ("team", "volunteer", "child", "pairing", "team_pairing", "pledge", "programme", "case",
            "team_activity", "training", "support")
# the field whose region the id's county code must match
COUNTY_FIELD = {"child": "village", "volunteer": "village", "team": "region"}


@rule("AM302", scope=FILE, kinds=ID_KINDS + ("activity",))
def file_name_is_id(ctx):
    """The file name is the record id (for activity logs: the volunteer id, in its year folder)."""
    key = "volunteer" if ctx.kind == "activity" else "id"
    value = ctx.data.get(key)
    if isinstance(value, str) and value != layout.stem(ctx.path):
        yield ctx.problem("AM302", (key,), id=value, name=layout.stem(ctx.path))


@rule("AM305", scope=FILE, kinds=("pledge", "activity", *layout.DATED_BY))
def year_folder_matches(ctx):
    """A record of a year folder sits in the folder of its year (or of its date's year)."""
    year = layout.record_year(ctx.kind, ctx.data)
    folder = layout.year_folder(ctx.path)
    if isinstance(year, int) and folder is not None and year != folder:
        yield ctx.problem("AM305", (layout.DATED_BY.get(ctx.kind, "year"),), year=year, folder=folder)


@rule("AM303", scope=FILE, kinds=tuple(COUNTY_FIELD))
def id_carries_county(ctx):
    rid, region = ctx.rid, ctx.data.get(COUNTY_FIELD[ctx.kind])
    county = ids.county_of(rid) if rid else None
    if county and isinstance(region, str) and len(region) == 12 and region[:6] != county:
        yield ctx.problem("AM303", ("id",), id=rid, county=county, region=region)


register("AM304", FILE)  # reported by the index for files in the wrong place


@rule("AM301", scope=REPOSITORY)
def ids_unique(repo):
    """Ids (and region codes) are defined once across the whole repository; every definition
    after the first, in path order, is reported."""
    if repo.scoped:  # only ids defined in scope, each counted through the index
        shared = f"""SELECT id FROM (SELECT DISTINCT id FROM ids WHERE 1 {repo.within('path')}) c
                     WHERE (SELECT count(*) FROM ids i WHERE i.id = c.id) > 1"""
    else:
        shared = "SELECT id FROM ids GROUP BY id HAVING count(*) > 1"
    rows = repo.db.execute(
        f"SELECT id, path, field FROM ids WHERE id IN ({shared}) ORDER BY id, {repo.seniority('path')}, field")
    first: dict[str, str] = {}
    for rid, path, field in rows:
        if rid in first:
            yield repo.found("AM301", path, field, rid, id=rid, other=first[rid])
        else:
            first[rid] = path


@functools.cache
def name_fields(kind: str) -> tuple:
    """The schema's name fields of ``kind``: ('name',), ('guardian', 'name'), ('regions', '*', 'name') …"""
    return tuple(p for p in schemas.info(kind).titles if p and p[-1] == "name")


def _at(data, pattern: tuple, path: tuple = ()):
    """(path, value) of every value at ``pattern`` ("*": each item of a list)."""
    if not pattern:
        yield path, data
    elif pattern[0] == "*" and isinstance(data, list):
        for i, item in enumerate(data):
            yield from _at(item, pattern[1:], path + (i,))
    elif isinstance(data, dict) and pattern[0] in data:
        yield from _at(data[pattern[0]], pattern[1:], path + (pattern[0],))


@rule("AM308", scope=FILE)
def names_readable(ctx):
    """A name holds no control character or line break, nothing invisible (zero-width
    characters), no direction mark: two names that look the same are the same, and a name
    shown on a terminal or in a table stays on its line."""
    if ctx.kind not in schemas.KINDS:
        return
    for pattern in name_fields(ctx.kind):
        for path, value in _at(ctx.data, pattern):
            found = unfit_in_name(value) if isinstance(value, str) else None
            if found:
                yield ctx.problem("AM308", path, char=found)

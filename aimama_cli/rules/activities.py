"""Activity logs (关爱活动记录): entries dated in their file's year, about the children the
volunteer is paired with, with the checklist of her programme and the details their kinds
promise (the wish, the book, the policy).

AM812 is a warning, not an error: a volunteer does visit a paired child's brother or sister,
or brings other children to a group activity, and a visit that happened is recorded as it
happened; the warning asks whether the id is the one meant.  At a province's scale (a million
entries a year, 100,000 pairings) it is one SQL query: the entries are read from the index
(``entries.*.child`` and the rest are projected there), never from the files.
"""

from __future__ import annotations

import json

from aimama_cli.core.dates import parse_date
from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import FILE, REPOSITORY, register, rule
from aimama_cli.model.activities import DETAILS, paired_on, pairing_spans, programmes_of, sameness
from aimama_cli.store.index_rows import facts, field


def _entries(data: dict):
    entries = data.get("entries")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict):
            yield i, entry


@rule("AM811", scope=FILE, kinds=("activity",))
def dated_in_year(ctx):
    """Every entry's date lies in the year of its log."""
    year = ctx.data.get("year")
    if not isinstance(year, int):
        return
    for i, entry in _entries(ctx.data):
        day = parse_date(entry.get("date"))
        if day and day.year != year:
            yield ctx.problem("AM811", ("entries", i, "date"), date=day.isoformat(), year=year)


@rule("AM814", "AM815", scope=FILE, kinds=("activity",))
def details_of_kinds(ctx):
    """A micro-wish names the wish, a book its title, insurance its policy (with a period that
    ends after it begins); details without their kind are not counted as that duty."""
    for i, entry in _entries(ctx.data):
        kinds = entry.get("kinds") if isinstance(entry.get("kinds"), list) else []
        for kind, (key, needed) in DETAILS.items():
            detail = entry.get(key)
            if kind in kinds and not isinstance(detail, dict):
                yield ctx.problem("AM814", ("entries", i, "kinds"), kind=kind,
                                  fields=", ".join(f"{key}.{n}" for n in needed))
            elif kind in kinds:  # a missing field is the schema's (AM202); a blank one is ours
                blank = [n for n in needed if n in detail and not str(detail[n] or "").strip()]
                if blank:
                    yield ctx.problem("AM814", ("entries", i, key, blank[0]), kind=kind,
                                      fields=", ".join(f"{key}.{n}" for n in blank))
            elif detail is not None:
                yield ctx.problem("AM816", ("entries", i, key), key=True, kind=kind,
                                  severity=WARNING)
        insurance = entry.get("insurance") if isinstance(entry.get("insurance"), dict) else {}
        start, end = parse_date(insurance.get("from")), parse_date(insurance.get("to"))
        if start and end and end < start:
            yield ctx.problem("AM815", ("entries", i, "insurance", "to"), start=start.isoformat(),
                              end=end.isoformat())


register("AM816", FILE, kinds=("activity",), severity=WARNING)  # reported by details_of_kinds


@rule("AM817", scope=FILE, kinds=("activity",))
def entered_once(ctx):
    """No entry is written twice: two entries of one day about the same children, of the same
    kinds and contact are one entry entered twice (its hours counted twice), unless the later
    says ``again: true`` (it happened twice)."""
    seen: dict[tuple, int] = {}
    for i, entry in _entries(ctx.data):
        key = sameness(entry)
        if key in seen and entry.get("again") is not True:
            yield ctx.problem("AM817", ("entries", i, "date"), date=key[0], other=seen[key] + 1)
        seen.setdefault(key, i)


@rule("AM812", scope=REPOSITORY, severity=WARNING)
def children_paired(repo):
    """Every child an entry names (child, children, or through its pairing) was paired with the
    log's volunteer on the entry's date (the day a pairing ends still counts)."""
    # through the references first: a child paired with her all the year is fine on any day
    # of it; only the entries of the others have their dates read (parsing the log's fields)
    rows = repo.db.execute(
        f"""WITH logs AS MATERIALIZED (
                    SELECT path, json_extract(vy, '$[0]') AS v, json_extract(vy, '$[1]') AS y
                    FROM (SELECT path, {facts('f', 'volunteer', 'year')} AS vy FROM files f
                          WHERE f.kind = 'activity' {repo.within('f.path')})),
                 pairs AS MATERIALIZED (
                    SELECT json_extract(x, '$[0]') AS v, json_extract(x, '$[1]') AS c,
                           json_extract(x, '$[2]') AS s, json_extract(x, '$[3]') AS e
                    FROM (SELECT {facts('p', 'volunteer', 'child', 'started_on', 'ended_on')} AS x
                          FROM refs r CROSS JOIN files p ON p.path = r.path AND p.kind = 'pairing'
                          WHERE r.field = 'volunteer' AND r.target IN (SELECT v FROM logs))),
                 named AS (SELECT l.path, l.v, l.y, r.field AS at,
                                  CASE r.target_kind WHEN 'child' THEN r.target ELSE
                                  (SELECT {field('p', 'child')} FROM ids i JOIN files p ON p.path = i.path
                                   WHERE i.id = r.target AND i.kind = 'pairing' LIMIT 1) END AS c
                           FROM logs l JOIN refs r ON r.path = l.path
                           WHERE r.target_kind IN ('child', 'pairing')),
                 rough AS MATERIALIZED (
                    SELECT * FROM named n WHERE n.c IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM pairs p WHERE p.v = n.v AND p.c = n.c
                          AND p.s <= n.y || '-01-01' AND coalesce(p.e >= n.y || '-12-31', 1))),
                 dated AS (SELECT r.*, json_extract(f.fields, '$.entries['
                                  || substr(r.at, 9, instr(r.at, ']') - 9) || '].date') AS d
                           FROM rough r JOIN files f ON f.path = r.path)
            SELECT path, at, v, c, d FROM dated WHERE d IS NOT NULL ORDER BY path""").fetchall()
    spans = pairing_spans(repo.db, {(v, c) for _p, _a, v, c, _d in rows})
    for path, at, volunteer, child, day in rows:
        if not paired_on(spans.get((volunteer, child), ()), day):
            yield repo.found("AM812", path, at, None, child=child, volunteer=volunteer, date=day)


@rule("AM813", scope=REPOSITORY)
def checklist_of_programme(repo):
    """The checklist items of an entry are items of the checklist of the volunteer's programme
    (the one she pledged to that year, else the one aimama.yaml gives her kind or team)."""
    rows = repo.db.execute(  # each entry's checklist taken out once; logs without one skipped
        f"""SELECT path, i, items FROM
              (SELECT f.path, e.key AS i, json_extract(e.value, '$.checklist') AS items
               FROM files f, json_each(f.fields, '$.entries') e
               WHERE f.kind = 'activity' {repo.within('f.path')} AND instr(f.fields, '"checklist"'))
            WHERE items IS NOT NULL ORDER BY path, i""").fetchall()
    if not rows:
        return
    logs = {path: json.loads(vy) for path, vy in repo.db.execute(
        f"SELECT path, {facts('f', 'volunteer', 'year')} FROM files f WHERE path IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted({r[0] for r in rows})),))}
    programmes = programmes_of(repo.index, {tuple(vy) for vy in logs.values()})
    judged: dict[tuple, list] = {}  # (programme, checklist text) -> items not on it
    for path, i, text in rows:
        programme = programmes.get(tuple(logs[path]))
        if programme is None:
            continue  # no programme applies, or an unknown one (AM401): nothing to judge by
        key = (programme.id, text)
        if key not in judged:
            items = json.loads(text)
            allowed = programme.checklist_ids
            judged[key] = [(n, item) for n, item in enumerate(items if isinstance(items, list) else [])
                           if isinstance(item, str) and item not in allowed]
        for n, item in judged[key]:
            yield repo.found("AM813", path, f"entries[{i}].checklist[{n}]", None, item=item,
                             programme=programme.id,
                             allowed=", ".join(sorted(programme.checklist_ids)) or "-")



"""What an activity log entry promises and whom it may be about: the details its kinds carry,
what makes two entries one, the days a volunteer was paired with a child, the programme of each
log — shared by the activity rules, ``log add`` and ``import logs``."""

from __future__ import annotations

import json

from aimama_cli.store.index_rows import field, signed

# kind -> (its details, the fields they must fill)
DETAILS = {"micro_wish": ("micro_wish", ("wish",)), "book": ("book", ("title",)),
           "insurance": ("insurance", ("insurer", "policy_no", "from", "to"))}


def sameness(entry: dict) -> tuple:
    """What makes two entries one: the day, whom it was about (``children`` of one is that
    ``child``), the kinds and the contact."""
    about = entry.get("pairing") or entry.get("child") or entry.get("children")
    about = tuple(sorted(map(str, about))) if isinstance(about, list) and len(about) != 1 else \
        str(about[0] if isinstance(about, list) else about)
    kinds = entry.get("kinds") if isinstance(entry.get("kinds"), list) else []
    return (str(entry.get("date")), about, tuple(sorted(map(str, kinds))), entry.get("contact") or "made")


def paired_on(spans, day: str) -> bool:
    """Whether one of the pairings ``spans`` (started, ended) holds on ``day``."""
    return any(s <= day and (e is None or e >= day) for s, e in spans)


def pairing_spans(db, wanted: set[tuple]) -> dict[tuple, list]:
    """{(volunteer, child): [(started_on, ended_on)]} of the pairings of those two."""
    spans: dict[tuple, list] = {}
    for volunteer, child, start, end in db.execute(
            f"""SELECT {field('p', 'volunteer')}, {field('p', 'child')}, {field('p', 'started_on')},
                       {field('p', 'ended_on')}
                FROM refs r CROSS JOIN files p ON p.path = r.path AND p.kind = 'pairing'
                WHERE r.field = 'child' AND r.target IN (SELECT value FROM json_each(?))""",
            (json.dumps(sorted({c for _v, c in wanted})),)):
        if (volunteer, child) in wanted and isinstance(start, str):
            spans.setdefault((volunteer, child), []).append((start, end))
    return spans


def programmes_of(index, logs: set[tuple]) -> dict:
    """{(volunteer, year): Programme or None} for the logs named: the programme pledged to
    that year, else the configured one for her kind and team."""
    # imported here: programmes needs the index, which needs the rules
    from aimama_cli.model.programmes import Assignment, load_all

    volunteers = sorted({v for v, _y in logs if isinstance(v, str)})
    wanted = json.dumps(volunteers)
    people = {rid: (kind, team) for rid, kind, team in index.db.execute(
        f"""SELECT rid, {field('v', 'kind')}, {field('v', 'team')} FROM files v
            WHERE +v.kind = 'volunteer' AND v.rid IN (SELECT value FROM json_each(?))""", (wanted,))}
    assignment = Assignment.load(index, pledges=False)
    for volunteer, year, programme in index.db.execute(
            f"""SELECT {field('p', 'volunteer')}, {field('p', 'year')}, {field('p', 'programme')}
                FROM refs r CROSS JOIN files p ON p.path = r.path AND p.kind = 'pledge'
                WHERE r.field = 'volunteer' AND r.target IN (SELECT value FROM json_each(?))
                  AND {signed('p')}""",
            (wanted,)):
        if programme:
            assignment.pledged[(volunteer, year)] = programme
    known = load_all(index)
    return {(v, y): known.get(assignment.programme_for(v, *people.get(v, (None, None)), y))
            for v, y in logs}

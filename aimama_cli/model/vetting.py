"""Vetting settings (``aimama.yaml`` ``vetting``, by team level) and a volunteer's latest checks:
what the vetting rules judge by and the volunteer report counts."""

from __future__ import annotations

import datetime as dt
import json
import re

from aimama_cli.core.dates import parse_date
from aimama_cli.store import layout, queries

DEFAULTS = {
    "min_age": 18,
    "max_age": 70,
    "required_checks": ["criminal_record", "administrative_sanction", "administrative_penalty"],
    "check_valid_days": 1095,
    "expiring_days": 60,
}


class Policy:
    """The vetting settings of the repository, by team level."""

    def __init__(self, repo):
        index = getattr(repo, "index", repo)  # a rule's repository or the index itself
        config = (index.singleton("config") or {}).get("vetting")
        self.config = config if isinstance(config, dict) else {}
        levels = self.config.get("by_level")
        self.levels = levels if isinstance(levels, dict) else {}

    def get(self, name: str, level: str | None = None):
        """The setting ``name`` for a team of ``level``: by_level, else vetting, else default."""
        wanted = list if name == "required_checks" else int
        for source in (self.levels.get(level), self.config):
            value = source.get(name) if isinstance(source, dict) else None
            if isinstance(value, wanted) and not isinstance(value, bool):
                return value
        return DEFAULTS[name]


def latest_checks(checks) -> dict[str, tuple[int, dict]]:
    """{kind: (position, check)}: the latest check of each kind."""
    latest: dict[str, tuple[int, dict]] = {}
    for i, check in enumerate(checks if isinstance(checks, list) else []):
        if isinstance(check, dict) and isinstance(check.get("kind"), str):
            day = str(check.get("checked_on") or "")
            if check["kind"] not in latest or day >= str(latest[check["kind"]][1].get("checked_on") or ""):
                latest[check["kind"]] = (i, check)
    return latest


_CHECKED_ON = re.compile(r'"checked_on":\s*"([^"]*)"')


def lapsed_on(index, wanted: set[tuple[str, str]], counties: tuple | None = None) -> dict[tuple[str, str], list[str]]:
    """{(volunteer, day): required check kinds not valid on that day} for each of ``wanted``
    (an approved volunteer and the day a pairing of hers starts): the latest check of each
    required kind done on or before that day is clear and not yet expired on it.  A kind checked
    only later is not judged: ``volunteer vet`` replaces a check of the same kind, so the record
    no longer says what was valid on an earlier day (AM701 says when a kind was never checked).
    ``counties``: the wanted all live there (as :meth:`Index.fields` takes them)."""
    if not wanted:
        return {}
    policy = Policy(index)
    levels = {rid: f.get("level") for _p, rid, f in index.fields("team", ("level",))}
    terms: dict = {}  # team level -> (days a check is valid, the checks required)
    whose = {v for v, _d in wanted}
    columns = ("SELECT rid, json_extract(fields, '$.\"vetting.status\"'), json_extract(fields, '$.team'), "
               "json_extract(fields, '$.\"vetting.checks\"') FROM files WHERE +kind = 'volunteer' AND ")
    if len(whose) >= queries.MANY_IDS:  # a province's (a plan): every volunteer read, theirs kept
        folder = f"{layout.RECORDS}/{layout.FOLDER_OF['volunteer']}/"
        where, params = queries.in_counties(counties, 3)
        rows = index.db.execute(columns + "path >= ?1 AND path < ?2" + where, (folder, folder[:-1] + "0", *params))
    else:
        rows = index.db.execute(columns + "rid IN (SELECT value FROM json_each(?))", (json.dumps(sorted(whose)),))
    people = {vid: (status, team, text or "[]") for vid, status, team, text in rows if vid in whose}
    found = {}
    for volunteer, day in wanted:
        status, team, text = people.get(volunteer, (None, None, "[]"))
        start = parse_date(day)
        if status != "approved" or start is None:
            continue  # a volunteer not approved is refused by her own rule (AM708)
        level = levels.get(team)
        if level not in terms:
            terms[level] = (dt.timedelta(days=policy.get("check_valid_days", level)),
                            policy.get("required_checks", level))
        valid, required = terms[level]
        oldest = (start - valid).isoformat()
        # from the text alone: every check done within the term before that day is fine
        if all(oldest < d <= day for d in _CHECKED_ON.findall(text)):
            continue
        checks = json.loads(text)
        lapsed = [kind for kind in required if _lapsed(checks if isinstance(checks, list) else [], kind, oldest, day)]
        if lapsed:
            found[(volunteer, day)] = lapsed
    return found


def _lapsed(checks: list, kind: str, oldest: str, day: str) -> bool:
    """Whether the latest ``kind`` check on or before ``day`` is not clear or was done on or
    before ``oldest`` (expired by ``day``)."""
    before = [c for c in checks if isinstance(c, dict) and c.get("kind") == kind
              and str(c.get("checked_on") or "9") <= day]
    if not before:
        return False
    latest = max(before, key=lambda c: str(c.get("checked_on")))
    return latest.get("result") != "clear" or str(latest.get("checked_on")) <= oldest

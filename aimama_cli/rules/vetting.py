"""Vetting (审核资格): only volunteers vetted by the rules, by a coordinator who may vet, serve and
are paired — and with no more children than they can care for.

The limits come from ``vetting`` in aimama.yaml (``by_level`` of the volunteer's team's level
overriding the ages and the required checks); a repository that says nothing gets the
programme's own: 18 to 70 years old, no criminal record, administrative sanction or
administrative penalty, each check valid for three years.  Of several checks of one kind, the
latest (by ``checked_on``) counts: a check done again replaces the earlier one.

At 100,000 volunteers each look at a record's indexed fields costs (SQLite parses the JSON text
every time), so every volunteer is read once, with all the facts these rules need, and the
checks are parsed only for the few volunteers whose text says they could be at fault.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from aimama_cli.core.dates import age_on, parse_date
from aimama_cli.core.registry import REPOSITORY, register, rule
from aimama_cli.model.vetting import Policy, lapsed_on, latest_checks
from aimama_cli.store.index_rows import active, facts, field

DECIDED = ("approved", "rejected", "suspended")  # vetting statuses that are someone's decision
NO_VALUE = "-"  # shown in messages for a field that is not filled in
_CHECKED_ON = re.compile(r'"checked_on":\s*"([^"]*)"')


def coordinators(repo) -> dict[str, list]:
    """{coordinator id: roles} from records/coordinators.yaml."""
    listed = (repo.index.singleton("coordinators") or {}).get("coordinators")
    return {c["id"]: c.get("roles") if isinstance(c.get("roles"), list) else []
            for c in (listed if isinstance(listed, list) else [])
            if isinstance(c, dict) and isinstance(c.get("id"), str)}


def lacking(repo, role: str) -> dict[str, str]:
    """{coordinator id: their roles, as text} of the coordinators without ``role``."""
    return {cid: ", ".join(map(str, roles)) or NO_VALUE
            for cid, roles in coordinators(repo).items() if role not in roles}


@rule("AM701", "AM702", "AM703", "AM704", "AM705", scope=REPOSITORY)
def vetting(repo):
    """Every volunteer, once: the decision (who, when, why) and, for the approved, the checks,
    their results and validity, and the age on the day of the decision."""
    policy = Policy(repo)
    team_levels = dict(repo.db.execute(
        f"SELECT rid, {field('t', 'level')} FROM files t WHERE t.kind = 'team'"))
    without_role = lacking(repo, "vetting")
    # a check done on or before this day has expired by as_of + expiring_days
    cutoff = (repo.as_of + dt.timedelta(days=policy.get("expiring_days"))
              - dt.timedelta(days=policy.get("check_valid_days"))).isoformat()
    rows = repo.db.execute(
        f"""SELECT v.path, v.rid, {facts('v', 'vetting.status', 'status', 'birth_date', 'joined_on',
                                         'vetting.decided_on', 'vetting.decided_by',
                                         'vetting.reason', 'team')}, v.fields
            FROM files v WHERE v.kind = 'volunteer' {repo.within('v.path')} ORDER BY v.path""")
    for path, rid, row, text in rows:
        status, state, birth, joined, decided_on, decided_by, reason, team = json.loads(row)
        if decided_by in without_role:
            yield repo.found("AM704", path, "vetting.decided_by", rid, status=str(status),
                             by=f"{decided_by} ({without_role[decided_by]})", on=decided_on or NO_VALUE)
        elif status in DECIDED and not (decided_by and decided_on):
            yield repo.found("AM704", path, "vetting", rid, status=status,
                             by=decided_by or NO_VALUE, on=decided_on or NO_VALUE)
        if status in ("rejected", "suspended") and not str(reason or "").strip():
            yield repo.found("AM705", path, "vetting.status", rid, status=status)
        if status != "approved":
            continue
        level = team_levels.get(team)
        born, day = parse_date(birth), parse_date(decided_on) or parse_date(joined)
        low, high = policy.get("min_age", level), policy.get("max_age", level)
        if born and day and not low <= age_on(born, day) <= high:
            yield repo.found("AM703", path, "birth_date", rid, age=age_on(born, day),
                             day=day.isoformat(), min=low, max=high)
        required = policy.get("required_checks", level)
        # from the text alone: is a required check absent, a result not clear, a check old?
        suspect = (any(f'"kind": "{kind}"' not in text for kind in required)
                   or '"found"' in text or '"pending"' in text)
        ageing = state == "active" and any(d <= cutoff for d in _CHECKED_ON.findall(text))
        if suspect or ageing:
            latest = latest_checks(json.loads(text).get("vetting.checks"))
            yield from _judge_checks(repo, path, rid, latest, required, state, policy)


register("AM706", REPOSITORY, timed=True)  # reported by vetting
register("AM707", REPOSITORY, timed=True)  # reported by vetting


def _judge_checks(repo, path, rid, latest, required, state, policy):
    missing = [kind for kind in required if kind not in latest]
    if missing:
        yield repo.found("AM701", path, "vetting.checks", rid, checks=", ".join(missing))
    for kind, (i, check) in latest.items():
        result = check.get("result")
        if result == "found" or (kind in required and result != "clear"):
            yield repo.found("AM702", path, f"vetting.checks[{i}].result", rid, check=kind,
                             result=str(result))
    if state != "active":
        return
    valid = dt.timedelta(days=policy.get("check_valid_days"))
    soon = repo.as_of + dt.timedelta(days=policy.get("expiring_days"))
    lapsing: dict[str, list] = {"AM707": [], "AM706": []}
    for kind in required:
        i, check = latest.get(kind, (None, {}))
        checked = parse_date(check.get("checked_on"))
        if checked and check.get("result") == "clear" and checked + valid <= soon:
            lapsing["AM707" if checked + valid <= repo.as_of else "AM706"].append(
                (checked + valid, i, kind))
    for code, found in lapsing.items():
        if found:
            expires, i, _ = min(found)
            params = {"checks": ", ".join(kind for *_, kind in found), "date": expires.isoformat()}
            if code == "AM707":
                params["pairings"] = repo.db.execute(
                    f"""SELECT count(*) FROM refs r JOIN files p ON p.path = r.path AND p.kind = 'pairing'
                        WHERE r.target = :id AND r.target_kind = 'volunteer' AND r.field = 'volunteer'
                          AND {active('p')}""", {"id": rid, "day": repo.as_of.isoformat()}).fetchone()[0]
            yield repo.found(code, path, f"vetting.checks[{i}].checked_on", rid, **params)


@rule("AM716", scope=REPOSITORY)
def checked_before_pairing(repo):
    """An active pairing (or a volunteer's team pairing, 个人结对) began while its volunteer's
    required checks were valid: checks that
    expire later are a warning on the pairings she has (AM707), but a new one waits for them."""
    pairings = [(path, rid, volunteer, started) for path, rid, volunteer, started in repo.db.execute(
        # a child's pairing, or a volunteer supporting a team (two columns: no JSON to decode)
        f"""SELECT path, rid, {field('p', 'volunteer')}, {field('p', 'started_on')} FROM files p
            WHERE p.kind = 'pairing' AND {active('p')} {repo.within('p.path')}
            UNION ALL
            SELECT path, rid, {field('p', 'by_volunteer')}, {field('p', 'started_on')} FROM files p
            WHERE p.kind = 'team_pairing' AND {field('p', 'by_volunteer')} IS NOT NULL
              AND {active('p')} {repo.within('p.path')} ORDER BY path""",
        {"day": repo.as_of.isoformat()}) if isinstance(volunteer, str) and isinstance(started, str)]
    lapsed = lapsed_on(repo.index, {(v, s) for _p, _r, v, s in pairings})
    for path, rid, volunteer, started in pairings:
        if (volunteer, started) in lapsed:
            yield repo.found("AM716", path, "started_on", rid, volunteer=volunteer, on=started,
                             checks=", ".join(lapsed[(volunteer, started)]))

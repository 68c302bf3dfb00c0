"""Team activities, training and the support ledger: the programme beyond one-to-one pairings.

* team activities (集体活动) name what they were about: the topics of a safety education, the
  theme of a monthly theme activity (Jiangxi's 11+N);
* the children a team activity or a support entry names live in the team's region (a warning:
  a cousin visiting for the summer does come to the 四点半课堂);
* a programme may ask for training hours before a volunteer is paired
  (``pairing_requires: {training_hours: 4}``): a pairing whose volunteer had less on the day
  it started is an error, so ``pair create`` refuses it like any other rule;
* a support entry's amounts are exact decimals: no more received than pledged, no receipt
  before the pledge, a receipt with an amount has its date, and it supports a village team.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from aimama_cli.core.dates import parse_date
from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import FILE, REPOSITORY, rule
from aimama_cli.rules.pairing import SUPPORTED_LEVELS
from aimama_cli.rules.vetting import facts, field

# team activity kind -> the field it must fill
KIND_NEEDS = {"safety_education": "topics", "monthly_theme": "theme"}
REGION_WIDTHS = (2, 4, 6, 9, 12)  # province, city, county, township, village digits


@rule("AM861", scope=FILE, kinds=("team_activity",))
def activity_kind_details(ctx):
    """A safety education names its topics, a monthly theme activity its theme; topics belong
    to safety education only."""
    kind = ctx.data.get("kind")
    needed = KIND_NEEDS.get(kind)
    if needed and not ctx.data.get(needed):
        yield ctx.problem("AM861", ("kind",), kind=kind, needed=needed)
    if ctx.data.get("topics") and kind != "safety_education":
        yield ctx.problem("AM861", ("topics",), key=True, kind=kind, needed="kind: safety_education")


def region_prefix(code: str) -> str:
    """The digits the places within region ``code`` begin with: ``430621101000`` (a township)
    -> ``430621101``; a village's code is all of it."""
    width = len(code.rstrip("0"))
    return code[:next((w for w in REGION_WIDTHS if w >= width), 12)]


@rule("AM862", scope=REPOSITORY, severity=WARNING)
def children_in_team_region(repo):
    """The children a team activity or a support entry names live within the team's region."""
    rows = repo.db.execute(
        f"""SELECT f.path, f.rid, r.field, r.target, {field('c', 'village')}, t.rid, {field('t', 'region')}
            FROM files f JOIN refs r ON r.path = f.path AND r.target_kind = 'child'
            JOIN ids ic ON ic.id = r.target AND ic.kind = 'child' JOIN files c ON c.path = ic.path
            JOIN ids it ON it.id = {field('f', 'team')} AND it.kind = 'team' JOIN files t ON t.path = it.path
            WHERE f.kind IN ('team_activity', 'support') {repo.within('f.path')}
            ORDER BY f.path, r.field""")
    for path, rid, at, child, village, team, region in rows:
        if isinstance(village, str) and isinstance(region, str) and \
                not village.startswith(region_prefix(region)):
            yield repo.found("AM862", path, at, rid, child=child, village=village, team=team,
                             region=region)


# --- training before pairing ----------------------------------------------------------------

def hours_of(value) -> Decimal:
    """Hours as an exact decimal (0 for anything that is not a number): 0.1 + 0.2 is 0.3."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Decimal(0)
    return Decimal(str(value))


def training_by_volunteer(db, volunteers: list[str]) -> dict[str, list[tuple[str, Decimal]]]:
    """{volunteer: [(date, hours)]} of the training sessions each of ``volunteers`` attended."""
    found: dict[str, list] = {}
    for volunteer, day, hours in db.execute(
            f"""SELECT r.target, {field('t', 'date')}, {field('t', 'hours')}
                FROM refs r CROSS JOIN files t ON t.path = r.path AND t.kind = 'training'
                WHERE r.target_kind = 'volunteer' AND r.target IN (SELECT value FROM json_each(?))""",
            (json.dumps(sorted(set(volunteers))),)):
        if parse_date(day):
            found.setdefault(volunteer, []).append((day, hours_of(hours)))
    return found


def shortfall(programme, trained: list, started: str) -> tuple[Decimal, Decimal] | None:
    """(hours had, hours asked) when ``programme`` asks for more training before a pairing
    started on ``started`` than the sessions ``trained`` gave by that day; None when enough."""
    need = hours_of(getattr(programme, "training_hours", 0))
    if not need or (programme.training_since and started < programme.training_since):
        return None
    had = sum((hours for day, hours in trained if day <= started), Decimal(0))
    return (had, need) if had < need else None


def training_shortfalls(index, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """{(volunteer, day): (hours had, hours asked, programme id)} for each of ``wanted`` (a
    volunteer and the day a pairing of hers starts) short of the training her programme of that
    year asks for before pairing; nothing is read when no programme asks for any."""
    from aimama_cli.model.programmes import load_all  # imported here: programmes needs the index, which needs the rules
    from aimama_cli.rules.activities import programmes_of

    if not wanted or not any(isinstance(p.training_hours, (int, float)) and p.training_hours
                             for p in load_all(index).values()):
        return {}
    programmes = programmes_of(index, {(v, int(day[:4])) for v, day in wanted})
    trained = training_by_volunteer(index.db, [v for v, _day in wanted])
    found = {}
    for volunteer, day in wanted:
        programme = programmes.get((volunteer, int(day[:4])))
        short = shortfall(programme, trained.get(volunteer, []), day) if programme else None
        if short:
            found[(volunteer, day)] = (*short, programme.id)
    return found


@rule("AM871", scope=REPOSITORY)
def trained_before_pairing(repo):
    """A volunteer paired under a programme that asks for training (pairing_requires.
    training_hours) had attended that many hours of training by the day the pairing started."""
    pairings = []
    for path, rid, picked in repo.db.execute(
            f"SELECT path, rid, {facts('p', 'volunteer', 'started_on')} FROM files p "
            f"WHERE p.kind = 'pairing' {repo.within('p.path')} ORDER BY path"):
        volunteer, started = json.loads(picked)
        if isinstance(volunteer, str) and parse_date(started):
            pairings.append((path, rid, volunteer, started))
    short = training_shortfalls(repo.index, {(v, s) for _p, _r, v, s in pairings})
    for path, rid, volunteer, started in pairings:
        if (volunteer, started) in short:
            had, need, programme = short[(volunteer, started)]
            yield repo.found("AM871", path, "volunteer", rid, volunteer=volunteer, had=str(had),
                             need=str(need), short=str(need - had), programme=programme, on=started)


# --- the support ledger ---------------------------------------------------------------------

def amount(value) -> Decimal | None:
    """An amount of the ledger ('1200.50') as an exact decimal; None when not one (the schema
    reports its shape: a float written unquoted is AM204)."""
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


@rule("AM881", "AM882", "AM883", scope=FILE, kinds=("support",))
def support_amounts_and_dates(ctx):
    """No more received than pledged; nothing received before it was pledged; an amount
    received has the day it was received."""
    pledged, received = amount(ctx.data.get("pledged_amount")), amount(ctx.data.get("received_amount"))
    if pledged is not None and received is not None and received > pledged:
        yield ctx.problem("AM881", ("received_amount",), received=str(received), pledged=str(pledged))
    pledged_on, received_on = parse_date(ctx.data.get("pledged_on")), parse_date(ctx.data.get("received_on"))
    if pledged_on and received_on and received_on < pledged_on:
        yield ctx.problem("AM882", ("received_on",), received_on=received_on.isoformat(),
                          pledged_on=pledged_on.isoformat())
    if "received_amount" in ctx.data and "received_on" not in ctx.data:
        yield ctx.problem("AM883", ("received_amount",), key=True)


@rule("AM884", "AM885", scope=REPOSITORY)
def support_to_village_team(repo):
    """Support is given to a village or township team, never by that team itself."""
    rows = repo.db.execute(
        f"""SELECT s.path, s.rid, t.rid, {field('t', 'level')}, {field('s', 'by_team')}
            FROM files s JOIN ids it ON it.id = {field('s', 'team')} AND it.kind = 'team'
            JOIN files t ON t.path = it.path
            WHERE s.kind = 'support' {repo.within('s.path')} ORDER BY s.path""")
    for path, rid, team, level, by_team in rows:
        if level not in SUPPORTED_LEVELS:
            yield repo.found("AM884", path, "team", rid, team=team, level=level,
                             expected=", ".join(SUPPORTED_LEVELS))
        elif by_team == team:
            yield repo.found("AM885", path, "by_team", rid, team=team)


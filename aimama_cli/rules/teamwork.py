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

from aimama_cli.core.dates import parse_date
from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import FILE, REPOSITORY, rule
from aimama_cli.model.teamwork import amount, receipts, received, training_shortfalls
from aimama_cli.rules.pairing import SUPPORTED_LEVELS
from aimama_cli.store.index_rows import facts, field

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


@rule("AM881", "AM882", "AM883", scope=FILE, kinds=("support",))
def support_amounts_and_dates(ctx):
    """No more received than pledged (the receipts summed); nothing received before it was
    pledged; an amount received has the day it was received."""
    pledged, total = amount(ctx.data.get("pledged_amount")), received(ctx.data)
    found = receipts(ctx.data)
    if pledged is not None and total is not None and total > pledged:
        path = found[-1][0] + (("amount",) if found[-1][0][0] == "receipts" else ())
        yield ctx.problem("AM881", path, received=str(total), pledged=str(pledged))
    pledged_on = parse_date(ctx.data.get("pledged_on"))
    for path, receipt in found:
        received_on = parse_date(receipt.get("date"))
        if pledged_on and received_on and received_on < pledged_on:
            where = ("received_on",) if path[0] == "received_amount" else path + ("date",)
            yield ctx.problem("AM882", where, received_on=received_on.isoformat(),
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



# --- the teams above a team -------------------------------------------------------------------


@rule("AM863", scope=REPOSITORY)
def parents_without_loops(repo):
    """Following ``parent`` from team to team ends at a team without one: a team is never its
    own parent, nor its parent's parent (the chain of 上级队伍 that reports and reviews climb)."""
    rows = repo.db.execute(
        f"""SELECT rid, path, {field('files', 'parent')}, 1 {repo.within('path')} FROM files
            WHERE kind = 'team' AND rid IS NOT NULL""").fetchall()
    parent = {rid: up for rid, _, up, _ in rows if isinstance(up, str)}
    for rid, path, _, in_scope in rows:
        loop = _loop_from(rid, parent)
        if in_scope and loop:
            yield repo.found("AM863", path, "parent", rid, loop=" → ".join(loop))


def _loop_from(rid: str, parent: dict[str, str]) -> list[str] | None:
    """The teams from ``rid`` up its parents back to ``rid`` when it is on a loop, else None
    (a loop above it, not through it, is reported on the teams on that loop)."""
    chain, seen = [rid], {rid}
    up = parent.get(rid)
    while up is not None and up not in seen:
        chain.append(up)
        seen.add(up)
        up = parent.get(up)
    return chain + [rid] if up == rid else None

"""``pair plan``: a proposal pairing every unpaired child of a region at once, optimal for the
score ``pair suggest`` shows.

The plan is a maximum-weight assignment of children to volunteers' free places (a volunteer
with room for two children is two columns), solved with scipy's ``linear_sum_assignment``:

* every place taken is worth a constant that outweighs any difference in score, and a priority
  child (应结尽结) a larger one, so the optimum pairs as many priority children as places allow,
  then as many children as possible, and only then prefers better matches;
* volunteers serve the children of their own county, and a county is solved at once when it
  is small enough (exactly).  A larger one is solved township by township (the children and the
  volunteers who live there: nearly every good match), a large township village by village,
  each time followed by one problem for the children and places left.  Each sub-problem is
  exact; the whole is within a fraction of a percent of the county-wide optimum
  (benchmarks/plan.py measures the gap) at a small part of its time and memory.

Scores are the same numbers ``pair suggest`` shows, computed for whole blocks at once
(:func:`pairing.score_matrix`).  The rules of ``check`` decide who may be paired before, and
judge the resulting records after: a plan never proposes what ``check`` would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from aimama_cli.core.i18n import t
from aimama_cli.domain import pairing
from aimama_cli.domain.pairing import CHILD_FIELDS, Pool, child_can_be_paired, score_matrix, tier
from aimama_cli.store.change import Change, Saved
from aimama_cli.store.index import Index

PLACE_VALUE = 1_000  # any pairing beats any difference in score (scores are at most ~120)
PRIORITY_VALUE = 10_000  # a priority child beats any number of others for one place
CELLS = 2_000_000  # the largest sub-problem solved at once: 16 MB, about a tenth of a second


@dataclass
class Proposal:
    child: str
    child_name: str
    volunteer: str
    volunteer_name: str
    role: str
    score: float
    tier: str
    priority: bool


@dataclass
class Plan:
    region: str
    proposals: list = field(default_factory=list)
    unpaired: list = field(default_factory=list)  # (child id, name, reason key)

    def summary(self) -> dict:
        return {
            "region": self.region,
            "paired": len(self.proposals),
            "priority_paired": sum(p.priority for p in self.proposals),
            "unpaired": len(self.unpaired),
            "unpaired_by_reason": dict(Counter(reason for _, _, reason in self.unpaired)),
            "by_tier": dict(Counter(p.tier for p in self.proposals)),
        }


def make_plan(index: Index, region: str, on: dt.date, *, cells: float = CELLS) -> Plan:
    """The plan for every active child in ``region`` (a code prefix) with no active pairing.
    A problem larger than ``cells`` (children x places) is solved area by area first (see
    :func:`_solve`); ``cells=math.inf`` solves each county at once, exactly."""
    from aimama_cli.domain.people import is_priority

    pool = Pool.load(index, on)
    plan = Plan(region)
    waiting: dict[str, list] = defaultdict(list)  # county -> [(id, fields)]
    for _path, rid, child in index.fields("child", CHILD_FIELDS):
        village = child.get("village") or ""
        if not village.startswith(region) or child.get("status") != "active" or pool.pairings.get(rid):
            continue
        reasons = child_can_be_paired(child)
        if reasons:
            plan.unpaired.append((rid, child.get("name", ""), reasons[0]))
        else:
            waiting[village[:6]].append((rid, {**child, "priority": is_priority(child)}))
    by_county: dict[str, list] = defaultdict(list)
    for vid, volunteer in pool.volunteers.items():
        by_county[(volunteer.get("village") or "")[:6]].append((vid, volunteer))
    for county in sorted(waiting):
        children, volunteers = waiting[county], by_county.get(county, [])
        free = {vid: int(v.get("capacity") or 0) - v["load"] for vid, v in volunteers}
        placed = _solve(children, volunteers, free, pool, plan, 6, cells)
        plan.unpaired.extend((rid, c.get("name", ""), "pair.why.no_candidate")
                             for rid, c in children if rid not in placed)
    plan.proposals.sort(key=lambda p: (not p.priority, p.child))
    plan.unpaired.sort()
    return plan


def _solve(children: list, volunteers: list, free: dict, pool: Pool, plan: Plan, digits: int,
           cells: float) -> set:
    """Pair ``children`` (of one area, its code ``digits`` long) with ``volunteers``: at once
    when the problem has at most ``cells`` cells; else each smaller area (county -> township ->
    village) first, then the children left with the places left, at once."""
    finer = {6: 9, 9: 12}.get(digits)
    places = sum(free[vid] for vid, _ in volunteers)
    placed: set = set()
    if finer and len(children) * places > cells:
        helpers, waiting = defaultdict(list), defaultdict(list)
        for v in volunteers:
            helpers[(v[1].get("village") or "")[:finer]].append(v)
        for c in children:
            waiting[c[1].get("village", "")[:finer]].append(c)
        for area in sorted(waiting):
            placed |= _solve(waiting[area], helpers.get(area, []), free, pool, plan, finer, cells)
        children = [c for c in children if c[0] not in placed]
    return placed | _assign(children, volunteers, free, pool, plan)


def _assign(children: list, volunteers: list, free: dict, pool: Pool, plan: Plan) -> set:
    """Solve one sub-problem exactly; add its proposals to ``plan``, use up the places taken
    (``free``: volunteer id -> places left); return the ids of the children placed."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    volunteers = [(vid, v) for vid, v in volunteers if free[vid] > 0]
    if not children or not volunteers:
        return set()
    scores = score_matrix(children, volunteers, pool)
    bonus = np.array([PLACE_VALUE + (PRIORITY_VALUE if c["priority"] else 0) for _, c in children])
    columns = np.repeat(np.arange(len(volunteers)), [free[vid] for vid, _ in volunteers])
    rows, cols = linear_sum_assignment(scores[:, columns] + bonus[:, None], maximize=True)
    placed = set()
    for i, j in zip(rows, columns[cols]):
        (cid, child), (vid, volunteer) = children[i], volunteers[j]
        plan.proposals.append(Proposal(cid, child.get("name", ""), vid, volunteer.get("name", ""),
                                       volunteer.get("kind", "local"), float(scores[i, j]),
                                       tier(child.get("village", ""), volunteer.get("village", "")),
                                       child["priority"]))
        free[vid] -= 1
        placed.add(cid)
    return placed


def commit_plan(change: Change, plan: Plan, on: dt.date, branch: str | None = None) -> tuple[str, Saved]:
    """Every proposal of ``plan`` made a pairing and committed on a new branch (``branch``, else
    one named after the region and day) for a coordinator to review as a pull request; the work
    tree and the current branch stay as they are.  A plan never breaks a rule of ``check``: it
    is refused whole if it would."""
    for p in plan.proposals:
        pairing.create(change, p.child, p.volunteer, role=p.role, on=on)
    name = branch or f"aimama/plan-{plan.region or 'all'}-{on:%Y%m%d}"
    return name, change.save(t("pair.plan.summary", **plan.summary()), branch=name)


def as_json(plan: Plan) -> str:
    """One JSON object; compact, since a province's plan has 100,000 proposals (the indented
    form takes Python's slow encoder)."""
    return json.dumps({"summary": plan.summary(),
                       "proposals": [{**p.__dict__, "score": round(p.score, 2)} for p in plan.proposals],
                       "unpaired": [{"child": c, "name": n, "reason": r} for c, n, r in plan.unpaired]},
                      ensure_ascii=False)

"""``pair plan``: a proposal pairing every unpaired child of a region at once, optimal for the
score ``pair suggest`` shows.

The plan is a maximum-weight assignment of children to volunteers' free places (a volunteer
with room for two children is two columns), solved with scipy's ``linear_sum_assignment``:

* every place taken is worth a constant that outweighs any difference in score, and a priority
  child (应结尽结) a larger one, so the optimum pairs as many priority children as places allow,
  then as many children as possible, and only then prefers better matches;
* it decomposes by county (volunteers serve the children of their own county), and within a
  county runs in two rounds, the N+1 model's order: local volunteers first, then, for children
  left without one, remote and professional volunteers.

Each sub-problem is solved exactly; the rules of ``check`` decide eligibility before and judge
the resulting records after, so a plan never proposes what ``check`` would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .index import Index
from .pairing import Pool, child_can_be_paired, score, tier

PLACE_VALUE = 1_000  # any pairing beats any difference in score (scores are at most ~120)
PRIORITY_VALUE = 10_000  # a priority child beats any number of others for one place
ROUNDS = (("local",), ("remote", "professional"))


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
    parts: dict


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


def make_plan(index: Index, region: str, on: dt.date) -> Plan:
    """The plan for every active child in ``region`` (a code prefix) with no active pairing."""
    from .people import is_priority

    pool = Pool.load(index, on)
    plan = Plan(region)
    waiting: dict[str, list] = defaultdict(list)  # county -> [(id, fields)]
    for _path, rid, child in index.fields("child"):
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
        children = sorted(waiting[county], key=lambda c: (not c[1]["priority"], c[0]))
        for kinds in ROUNDS:
            volunteers = [(vid, v) for vid, v in by_county.get(county, []) if v.get("kind") in kinds]
            children = _assign(children, volunteers, pool, plan)
        plan.unpaired.extend((rid, c.get("name", ""), "pair.why.no_candidate") for rid, c in children)
    plan.proposals.sort(key=lambda p: (not p.priority, p.child))
    plan.unpaired.sort()
    return plan


def _assign(children: list, volunteers: list, pool: Pool, plan: Plan) -> list:
    """Solve one sub-problem; add its proposals to ``plan``; return the children left over."""
    places = [(vid, v) for vid, v in volunteers
              for _ in range(int(v.get("capacity") or 0) - v["load"])]
    if not children or not places:
        return children
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cache: dict[tuple, object] = {}
    gain = np.zeros((len(children), len(places)))
    for i, (cid, child) in enumerate(children):
        base = PLACE_VALUE + (PRIORITY_VALUE if child["priority"] else 0)
        for j, (vid, volunteer) in enumerate(places):
            if (cid, vid) not in cache:
                cache[(cid, vid)] = score(cid, child, vid, volunteer, pool)
            gain[i, j] = base + cache[(cid, vid)].score
    rows, cols = linear_sum_assignment(gain, maximize=True)
    placed = set()
    for i, j in zip(rows, cols):
        (cid, child), (vid, volunteer) = children[i], places[j]
        found = cache[(cid, vid)]
        plan.proposals.append(Proposal(cid, child.get("name", ""), vid, volunteer.get("name", ""),
                                       volunteer.get("kind", "local"), found.score,
                                       tier(child.get("village", ""), volunteer.get("village", "")),
                                       child["priority"], found.parts))
        volunteer["load"] += 1
        pool.pairings.setdefault(cid, []).append({"role": volunteer.get("kind"), "volunteer": vid})
        placed.add(cid)
    return [c for c in children if c[0] not in placed]


def as_json(plan: Plan) -> str:
    return json.dumps({"summary": plan.summary(),
                       "proposals": [p.__dict__ for p in plan.proposals],
                       "unpaired": [{"child": c, "name": n, "reason": r} for c, n, r in plan.unpaired]},
                      ensure_ascii=False, indent=2)

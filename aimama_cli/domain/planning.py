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
from aimama_cli.core.paused_gc import paused_gc
from aimama_cli.core.workers import can_fork, cores, in_processes
from aimama_cli.domain import pairing
from aimama_cli.domain.pairing import CHILD_FIELDS, Pool, child_can_be_paired, score_matrix, tier
from aimama_cli.store.change import Change, Saved
from aimama_cli.store.index import Index, Unshared

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


@paused_gc()  # (the workers are forked with it paused too)
def make_plan(index: Index, region: str, on: dt.date, *, cells: float = CELLS, workers: int | None = None) -> Plan:
    """The plan for every active child in ``region`` (a code prefix) with no active pairing.
    A problem larger than ``cells`` (children x places) is solved area by area first (see
    :func:`_solve`); ``cells=math.inf`` solves each county at once, exactly.  Counties are
    independent: a province's are shared among forked worker processes, one a core, each
    reading its counties' volunteers and children and planning them (:func:`_groups`)."""
    global _shared
    every = index.counties("volunteer")
    sizes = {county: n for county, n in every.items() if county.startswith(region[:6])}
    groups = _groups(sizes, every, cores() if workers is None else workers)
    if len(groups) < 2 or sum(sizes.values()) < PARALLEL_FROM or not index.use_cache or not can_fork():
        parts = [_plan_counties(index, region, on, None, cells)]
    else:
        import scipy.optimize  # noqa: F401  (`pair plan` imports it on a thread: done before forking)

        _shared = (index.root, region, on, groups, cells)
        try:
            parts = in_processes(_plan_part, len(groups))
        except Unshared:  # a worker could not open the index: everything planned here
            parts = [_plan_counties(index, region, on, None, cells)]
        finally:
            _shared = None
    plan = Plan(region)
    for proposals, unpaired in parts:
        plan.proposals.extend(Proposal(*values) for values in proposals)
        plan.unpaired.extend(unpaired)
    plan.proposals.sort(key=lambda p: (not p.priority, p.child))
    plan.unpaired.sort()
    return plan


PARALLEL_FROM = 20_000  # volunteers in the region: below this, forking costs more than it saves
_shared: tuple | None = None  # what forked workers inherit


def _groups(sizes: dict, every: dict, workers: int) -> list[tuple]:
    """The counties of ``sizes`` ({county: volunteers}) split among ``workers``, as
    ``fields(counties=...)`` takes them: the largest first, each to the group with the fewest
    volunteers so far (a county's work grows with its volunteers and its children, who are
    about as many).  The last group also takes every county not in ``every``: one whose
    children wait with no volunteer to pair them with.  A volunteer's id names the county she
    was recorded in, her village the one she serves: the sizes only balance the groups, the
    groups are read by village."""
    groups: list[list] = [[] for _ in range(max(1, min(workers, len(sizes))))]
    load = [0] * len(groups)
    for county in sorted(sizes, key=lambda c: (-sizes[c], c)):
        k = load.index(min(load))
        groups[k].append(county)
        load[k] += sizes[county]
    return [(codes, None) for codes in groups[:-1]] + [(groups[-1], sorted(every))]


def _plan_part(i: int) -> tuple[list, list]:
    root, region, on, groups, cells = _shared
    return _plan_counties(Index.of_worker(root), region, on, groups[i], cells)


def _plan_counties(index: Index, region: str, on: dt.date, counties: tuple | None,
                   cells: float) -> tuple[list, list]:
    """(proposals, children left unpaired) for the children of ``counties`` (all if None); each
    proposal as a tuple of its values (a worker sends 50,000 of them: a tenth of the cost)."""
    from aimama_cli.domain.people import is_priority

    pool = Pool.load(index, on, counties)
    part = Plan(region)
    waiting: dict[str, list] = defaultdict(list)  # county -> [(id, fields)]
    for _path, rid, child in index.fields("child", CHILD_FIELDS, counties):
        village = child.get("village") or ""
        if not village.startswith(region) or child.get("status") != "active" or pool.pairings.get(rid):
            continue
        reasons = child_can_be_paired(child)
        if reasons:
            part.unpaired.append((rid, child.get("name", ""), reasons[0]))
        else:
            waiting[village[:6]].append((rid, {**child, "priority": is_priority(child)}))
    by_county: dict[str, list] = defaultdict(list)
    for vid, volunteer in pool.volunteers.items():
        by_county[(volunteer.get("village") or "")[:6]].append((vid, volunteer))
    for county in sorted(waiting):
        children, volunteers = waiting[county], by_county.get(county, [])
        free = {vid: int(v.get("capacity") or 0) - v["load"] for vid, v in volunteers}
        placed = _solve(children, volunteers, free, pool, part, 6, cells)
        part.unpaired.extend((rid, c.get("name", ""), "pair.why.no_candidate")
                             for rid, c in children if rid not in placed)
    return [tuple(vars(p).values()) for p in part.proposals], part.unpaired


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
    region = plan.region or t("pair.plan.everywhere")  # "plan for : 293 pairing(s)" said nothing
    return name, change.save(t("pair.plan.summary", **{**plan.summary(), "region": region}), branch=name)


def as_json(plan: Plan) -> str:
    """One JSON object; compact, since a province's plan has 100,000 proposals (the indented
    form takes Python's slow encoder)."""
    return json.dumps({"summary": plan.summary(),
                       "proposals": [{**p.__dict__, "score": round(p.score, 2)} for p in plan.proposals],
                       "unpaired": [{"child": c, "name": n, "reason": r} for c, n, r in plan.unpaired]},
                      ensure_ascii=False)

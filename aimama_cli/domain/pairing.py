"""Pairing children with volunteers (结对): create and end pairings, score candidates, and plan
a whole region at once.

Whether a pairing may exist is decided by ``check``'s rules alone (consent, roster
confirmation, an approved and active volunteer with room, no second active pairing of the same
two): a pairing made here is a change like any other, judged before it is written.  Scoring
only ranks what those rules allow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aimama_cli.core.dates import active_on
from aimama_cli.core.errors import UsageError
from aimama_cli.domain.people import end_pairing, pairings_by_person
from aimama_cli.model.teamwork import training_shortfalls
from aimama_cli.model.vetting import lapsed_on
from aimama_cli.store import values
from aimama_cli.store.change import Change
from aimama_cli.store.index import Index

ROLE_OF_KIND = {"local": "local", "remote": "remote", "professional": "professional"}
# which volunteer skills meet which needs of a child
NEEDS_SKILLS = {
    "emotional": {"psychology", "family_education", "reading", "arts"},
    "psychological": {"psychology"},
    "study": {"tutoring", "reading"},
    "safety": {"safety_training"},
    "health": {"medical"},
    "rehabilitation": {"special_education", "medical"},
    "legal": {"legal"},
    "daily_care": {"cooking", "medical"},
    "family_relations": {"family_education", "psychology"},
}
DISABILITY_SKILLS = {"special_education", "medical"}
# common prefix length of two 12-digit codes -> distance tier
TIERS = ((12, "village"), (9, "township"), (6, "county"), (4, "city"))
# what scoring reads of each record (the index picks just these out)
VOLUNTEER_FIELDS = ("name", "status", "vetting.status", "capacity", "village", "kind", "skills")
CHILD_FIELDS = ("name", "status", "village", "needs", "categories", "risk_level", "guardianship",
                "guardian.consent.given", "roster.confirmed_by", "roster.confirmed_on")
WEIGHTS = {  # default score weights; aimama.yaml `pairing.weights` overrides
    "distance": {"village": 40, "township": 25, "county": 10, "city": 4, "province": 0},
    "needs": 30,
    "capacity": 10,
    "completeness": 20,
    "risk": 10,
}


def create(change: Change, child: str, volunteer: str, *, role: str | None, on: dt.date,
           plan: str | None = None) -> str:
    """A new pairing record; the rules then judge it with the change."""
    child_data = change.indexed(child, "child")
    volunteer_data = change.indexed(volunteer, "volunteer")
    try:
        role = values.coerce("pairing", ("role",), role) if role else \
            ROLE_OF_KIND.get(volunteer_data.get("kind"), "local")
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    data = {"child": child, "volunteer": volunteer, "role": role, "started_on": on.isoformat()}
    if plan:
        data["plan"] = plan
    return change.create("pairing", data, county=str(child_data.get("village", ""))[:6],
                         names={"child": child_data.get("name"), "volunteer": volunteer_data.get("name")})


def end(change: Change, pairing: str, reason: str, on: dt.date, kind: str = "pairing") -> str:
    """End a pairing (``kind`` pairing) or a team pairing (``team_pairing``)."""
    data = change.read(pairing, kind)
    if data.get("ended_on"):
        raise UsageError("pair.already_ended", id=pairing, on=data["ended_on"])
    try:
        code = values.coerce(kind, ("end_reason",), reason)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    return end_pairing(change, pairing, code, on, kind)


def create_team_pairing(change: Change, team: str, *, by_team: str | None = None,
                        by_volunteer: str | None = None, by_person: dict | None = None,
                        on: dt.date, plan: str | None = None) -> str:
    """A team or a person supporting ``team`` (组团结对, 个人结对)."""
    chosen = [x for x in (by_team, by_volunteer, by_person) if x]
    if len(chosen) != 1:
        raise UsageError("pair.team.one_supporter")
    change.read(team, "team")  # an unknown team is a usage error here, not a rule problem later
    data = {"team": team, "started_on": on.isoformat()}
    if by_team:
        change.read(by_team, "team")
        data["by_team"] = by_team
    elif by_volunteer:
        change.read(by_volunteer, "volunteer")
        data["by_volunteer"] = by_volunteer
    else:
        data["by_person"] = {k: v for k, v in by_person.items() if v}
    if plan:
        data["plan"] = plan
    from aimama_cli.core.ids import county_of

    return change.create("team_pairing", data, county=county_of(team) or "")


# --- scoring --------------------------------------------------------------------------------------

def tier(a: str, b: str) -> str:
    for length, name in TIERS:
        if a and b and a[:length] == b[:length]:
            return name
    return "province"


@dataclass
class Candidate:
    volunteer: str
    name: str
    kind: str
    village: str
    score: float
    parts: dict = field(default_factory=dict)  # component -> points
    load: int = 0
    capacity: int = 0


@dataclass
class Pool:
    """What scoring needs, read once from the index: eligible volunteers and active pairings."""

    volunteers: dict  # id -> indexed fields (approved, active, with room)
    pairings: dict  # person id -> active pairings
    weights: dict
    rows: dict = field(default_factory=dict)  # score_matrix's numbers per person, made once

    @classmethod
    def load(cls, index: Index, on: dt.date, counties: tuple | None = None) -> "Pool":
        """``counties``: only the volunteers living there (as :meth:`Index.fields` takes them)."""
        pairings = pairings_by_person(index, on)
        eligible = {}
        for _path, rid, f in index.fields("volunteer", VOLUNTEER_FIELDS, counties):
            load = len(pairings.get(rid, []))
            if f.get("status") == "active" and f.get("vetting.status") == "approved" \
                    and load < int(f.get("capacity") or 0):
                eligible[rid] = {**f, "load": load}
        day = on.isoformat()  # a volunteer short of the training her programme asks for waits (AM871)
        untrained = training_shortfalls(index, {(rid, day) for rid in eligible})
        lapsed = lapsed_on(index, {(rid, day) for rid in eligible}, counties)  # her checks must be valid (AM716)
        eligible = {rid: f for rid, f in eligible.items() if (rid, day) not in untrained | lapsed.keys()}
        config = index.singleton("config") or {}
        chosen = (config.get("pairing") or {}).get("weights", {})
        weights = {**WEIGHTS, **chosen, "distance": {**WEIGHTS["distance"], **chosen.get("distance", {})}}
        return cls(eligible, pairings, weights)


def child_can_be_paired(child: dict) -> list[str]:
    """Why a child may not be paired yet (message keys); empty when it may."""
    reasons = []
    if child.get("status") != "active":
        reasons.append("pair.why.closed")
    if child.get("guardian.consent.given") is not True:
        reasons.append("pair.why.no_consent")
    if not (child.get("roster.confirmed_by") and child.get("roster.confirmed_on")):
        reasons.append("pair.why.not_confirmed")
    return reasons


def score(child_id: str, child: dict, volunteer_id: str, volunteer: dict, pool: Pool) -> Candidate:
    """How well ``volunteer`` suits ``child``, component by component."""
    w = pool.weights
    parts = {}
    place = tier(child.get("village", ""), volunteer.get("village", ""))
    parts["distance"] = w["distance"].get(place, 0)
    needs = _needs_of(child)
    skills = set(volunteer.get("skills") or ())
    met = [n for n in needs if NEEDS_SKILLS.get(n, set()) & skills]
    parts["needs"] = w["needs"] * len(met) / len(needs) if needs else 0
    capacity = int(volunteer.get("capacity") or 0)
    parts["capacity"] = w["capacity"] * (capacity - volunteer["load"]) / capacity if capacity else 0
    has_local = any(p.get("role") == "local" for p in pool.pairings.get(child_id, []))
    kind = volunteer.get("kind")
    parts["completeness"] = w["completeness"] if (kind == "local") != has_local else 0
    parts["risk"] = w["risk"] if _risky(child) and _helps_risk(volunteer) else 0
    total = 0.0
    for value in parts.values():  # in this order, as score_matrix adds them: the same float
        total += value
    return Candidate(volunteer_id, volunteer.get("name", ""), kind or "", volunteer.get("village", ""),
                     total, parts, volunteer["load"], capacity)


def _risky(child: dict) -> bool:
    return child.get("risk_level") in ("red", "orange")


def _helps_risk(volunteer: dict) -> bool:
    return volunteer.get("kind") == "professional" or "psychology" in (volunteer.get("skills") or ())


def _needs_of(child: dict) -> set:
    needs = set(child.get("needs") or ())
    if "disabled" in (child.get("categories") or ()):
        needs.add("rehabilitation")
    return needs


def score_matrix(children: list, volunteers: list, pool: Pool):
    """:func:`score` of every child (rows) with every volunteer (columns) at once, with numpy:
    the same numbers, in a fraction of the time, for ``pair plan``."""
    import numpy as np

    w = pool.weights
    kids = np.array([_child_row(cid, c, pool) for cid, c in children], dtype=np.float64)
    helpers = np.array([_volunteer_row(vid, v, pool) for vid, v in volunteers], dtype=np.float64)
    n = len(NEEDS_SKILLS)
    # distance: a small table over the distinct villages on each side, then one gather
    child_codes, child_at = np.unique(kids[:, 0].astype(np.int64), return_inverse=True)
    volunteer_codes, volunteer_at = np.unique(helpers[:, 0].astype(np.int64), return_inverse=True)
    table = np.full((len(child_codes), len(volunteer_codes)), float(w["distance"].get("province", 0)))
    for digits, name in reversed(TIERS):  # nearer tiers overwrite farther ones
        scale = 10 ** (12 - digits)
        table[(child_codes // scale)[:, None] == (volunteer_codes // scale)[None, :]] = w["distance"].get(name, 0)
    total = table[child_at.ravel()][:, volunteer_at.ravel()]
    # needs met: each side's flags as bits, counted in their AND (a matrix product would take
    # BLAS, whose threads spin on the other core, where pair plan's other worker runs)
    bits = 1 << np.arange(n)
    wants = kids[:, 1:1 + n].astype(np.int64) @ bits
    meets = helpers[:, 1:1 + n].astype(np.int64) @ bits
    ones = np.array(_ONES)
    counts = ones[wants]
    met = ones[wants[:, None] & meets[None, :]]
    total += np.where(counts[:, None] > 0, w["needs"] * met / np.maximum(counts, 1)[:, None], 0.0)
    capacity, load = helpers[:, 1 + n], helpers[:, 2 + n]
    total += np.where(capacity > 0, w["capacity"] * (capacity - load) / np.maximum(capacity, 1), 0.0)[None, :]
    has_local, is_local = kids[:, 1 + n] > 0, helpers[:, 3 + n] > 0
    total += np.where(is_local[None, :] != has_local[:, None], float(w["completeness"]), 0.0)
    risky, helps = kids[:, 2 + n] > 0, helpers[:, 4 + n] > 0
    total += np.where(risky[:, None] & helps[None, :], float(w["risk"]), 0.0)
    return total


_ONES = [bin(bits).count("1") for bits in range(1 << len(NEEDS_SKILLS))]  # set bits of each number


def _child_row(cid: str, child: dict, pool: Pool) -> tuple:
    """village, one 0/1 per need, has a local volunteer, at risk — worked out once per child."""
    key = ("child", cid)
    if key not in pool.rows:
        needs = _needs_of(child)
        pool.rows[key] = (_code(child.get("village")), *(n in needs for n in NEEDS_SKILLS),
                          any(p.get("role") == "local" for p in pool.pairings.get(cid, [])),
                          _risky(child))
    return pool.rows[key]


def _volunteer_row(vid: str, volunteer: dict, pool: Pool) -> tuple:
    """village, one 0/1 per need she meets, capacity, load, local, helps children at risk."""
    key = ("volunteer", vid)
    if key not in pool.rows:
        skills = set(volunteer.get("skills") or ())
        pool.rows[key] = (_code(volunteer.get("village")),
                          *(bool(NEEDS_SKILLS[n] & skills) for n in NEEDS_SKILLS),
                          int(volunteer.get("capacity") or 0), volunteer["load"],
                          volunteer.get("kind") == "local", _helps_risk(volunteer))
    return pool.rows[key]


def _code(value) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() else -1


def suggest(index: Index, child_id: str, on: dt.date, top: int = 5) -> tuple[dict, list[Candidate]]:
    """The child's indexed fields and the best ``top`` candidates, best first."""
    child = index.fields_of(child_id, "child")
    if child is None:
        raise UsageError("id.unknown", id=child_id, kind="child")
    pool = Pool.load(index, on)
    paired_with = {p.get("volunteer") for p in pool.pairings.get(child_id, [])}
    ranked = sorted((score(child_id, child, vid, v, pool) for vid, v in pool.volunteers.items()
                     if vid not in paired_with), key=lambda c: (-c.score, c.volunteer))
    return child, ranked[:top]


def team_pairings(index, day: dt.date, team: str | None = None) -> list[dict]:
    """Every team pairing (of ``team``, supported or supporting, if given), marked active or
    not on ``day``."""
    return [{"id": rid, **f, "active": active_on(f, day.isoformat())}
            for _p, rid, f in index.fields("team_pairing")
            if team in (None, f.get("team"), f.get("by_team"))]

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

from . import values
from .errors import UsageError
from .index import Index
from .people import end_pairing, is_priority, pairings_by_person
from .store import Change

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
    child_data = change.read(child, "child")
    volunteer_data = change.read(volunteer, "volunteer")
    try:
        role = values.coerce("pairing", ("role",), role) if role else \
            ROLE_OF_KIND.get(volunteer_data.get("kind"), "local")
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    data = {"child": child, "volunteer": volunteer, "role": role, "started_on": on.isoformat()}
    if plan:
        data["plan"] = plan
    return change.create("pairing", data, county=str(child_data.get("village", ""))[:6])


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
    from .ids import county_of

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

    @classmethod
    def load(cls, index: Index, on: dt.date) -> "Pool":
        pairings = pairings_by_person(index, on)
        eligible = {}
        for _path, rid, f in index.fields("volunteer"):
            load = len(pairings.get(rid, []))
            if f.get("status") == "active" and f.get("vetting.status") == "approved" \
                    and load < int(f.get("capacity") or 0):
                eligible[rid] = {**f, "load": load}
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
    needs = set(child.get("needs") or ())
    skills = set(volunteer.get("skills") or ())
    if "disabled" in (child.get("categories") or ()):
        needs.add("rehabilitation")
    met = [n for n in needs if NEEDS_SKILLS.get(n, set()) & skills]
    parts["needs"] = round(w["needs"] * len(met) / len(needs), 1) if needs else 0
    capacity = int(volunteer.get("capacity") or 0)
    parts["capacity"] = round(w["capacity"] * (capacity - volunteer["load"]) / capacity, 1) if capacity else 0
    has_local = any(p.get("role") == "local" for p in pool.pairings.get(child_id, []))
    kind = volunteer.get("kind")
    parts["completeness"] = w["completeness"] if (kind == "local") != has_local else 0
    risky = child.get("risk_level") in ("red", "orange")
    parts["risk"] = w["risk"] if risky and (kind == "professional" or skills & {"psychology"}) else 0
    return Candidate(volunteer_id, volunteer.get("name", ""), kind or "", volunteer.get("village", ""),
                     round(sum(parts.values()), 1), parts, volunteer["load"], capacity)


def suggest(index: Index, child_id: str, on: dt.date, top: int = 5) -> tuple[dict, list[Candidate]]:
    """The child's indexed fields and the best ``top`` candidates, best first."""
    row = index.db.execute("SELECT fields FROM files WHERE kind = 'child' AND rid = ?",
                           (child_id,)).fetchone()
    if row is None:
        raise UsageError("id.unknown", id=child_id, kind="child")
    import json

    child = json.loads(row[0])
    pool = Pool.load(index, on)
    paired_with = {p.get("volunteer") for p in pool.pairings.get(child_id, [])}
    ranked = sorted((score(child_id, child, vid, v, pool) for vid, v in pool.volunteers.items()
                     if vid not in paired_with), key=lambda c: (-c.score, c.volunteer))
    return child, ranked[:top]

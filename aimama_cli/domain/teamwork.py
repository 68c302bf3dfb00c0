"""Records of the programme beyond one-to-one pairings, made from what was typed:

* a team activity (集体活动), logged once for a team with the children who came:
  ``records/team_activities/<year>/<id>.yaml``;
* a training session (培训赋能) with the volunteers who attended:
  ``records/trainings/<year>/<id>.yaml``;
* a support ledger entry (帮扶台账): what a volunteer (个人结对), a team (组团结对) or a named unit
  gave a village team, pledged and received: ``records/support/<year>/<id>.yaml``.

Amounts of money are exact decimals written as strings ('1200.50'): read with ``Decimal``,
never a float, so a ledger adds up to the cent.  Whether a record may stand is for the rules
to say (rules/teamwork_rules.py), like any change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from aimama_cli.core.errors import UsageError
from aimama_cli.core.ids import county_of
from aimama_cli.domain.activities import hours as read_hours
from aimama_cli.model.teamwork import LEGACY_RECEIPT
from aimama_cli.store import editing, values
from aimama_cli.store.change import Change

CENT = Decimal("0.01")


def _read(kind: str, path: tuple, text):
    """A value typed for field ``path`` of a ``kind`` record (codes or Chinese labels)."""
    try:
        return values.coerce(kind, path, text)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None


def _names(change: Change, ids: list[str], kind: str) -> str:
    """The names of records ``ids`` for a comment beside them; an unknown id exits 2."""
    return "、".join(change.indexed(rid, kind).get("name") or rid for rid in ids)


def _county(*ids: str | None) -> str:
    """The county code the first of ``ids`` that has one carries, for a new record's id."""
    return next((county_of(i) for i in ids if i and county_of(i)), "")


# --- team activities --------------------------------------------------------------------------

@dataclass
class TeamActivity:
    """A team activity as typed on the command line."""

    team: str
    day: dt.date
    kind: str
    children: list[str]
    volunteers: list[str] = field(default_factory=list)
    hours: str | None = None
    topics: list[str] = field(default_factory=list)
    theme: str | None = None
    details: str | None = None


def add_team_activity(change: Change, a: TeamActivity) -> str:
    """A new team activity record; its id."""
    team = change.indexed(a.team, "team")
    children = list(dict.fromkeys(a.children))
    volunteers = list(dict.fromkeys(a.volunteers))
    data = {"team": a.team, "date": a.day.isoformat(),
            "kind": _read("team_activity", ("kind",), a.kind), "children": children}
    if a.topics:
        data["topics"] = list(dict.fromkeys(
            code for text in a.topics for code in _read("team_activity", ("topics",), text)))
    if a.theme:
        data["theme"] = a.theme
    if a.hours is not None:
        data["hours"] = read_hours(a.hours)
    if volunteers:
        data["volunteers"] = volunteers
    if a.details:
        data["details"] = a.details
    names = {"team": team.get("name"), "children": _names(change, children, "child"),
             "volunteers": _names(change, volunteers, "volunteer")}
    return change.create("team_activity", data, county=_county(a.team), names=names)


# --- training ---------------------------------------------------------------------------------

@dataclass
class Training:
    topic: str
    day: dt.date
    hours: str
    attendance: list[str]
    trainer: str | None = None
    team: str | None = None
    notes: str | None = None


def add_training(change: Change, s: Training) -> str:
    """A new training session record; its id (county from the team, else the first attendee)."""
    attendance = list(dict.fromkeys(s.attendance))
    data = {"topic": s.topic, "date": s.day.isoformat(), "hours": read_hours(s.hours),
            "attendance": attendance}
    names = {"attendance": _names(change, attendance, "volunteer")}
    if s.trainer:
        data["trainer"] = s.trainer
    if s.team:
        data["team"] = s.team
        names["team"] = change.indexed(s.team, "team").get("name")
    if s.notes:
        data["notes"] = s.notes
    return change.create("training", data, county=_county(s.team, *attendance), names=names)


# --- the support ledger -------------------------------------------------------------------------

def money(text: str) -> str:
    """'1200.5', '1,200.50', '¥1200.5元' -> '1200.50': an exact amount of yuan to the cent; a
    usage error for anything else (a negative amount, a fraction of a cent)."""
    cleaned = str(text).strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise UsageError("support.bad_amount", value=text) from None
    if not number.is_finite() or number < 0 or number != number.quantize(CENT):
        raise UsageError("support.bad_amount", value=text)
    return f"{number.quantize(CENT)}"


@dataclass
class Support:
    team: str
    kind: str
    pledged_on: dt.date
    pledged: str | None = None
    by_team: str | None = None
    by_volunteer: str | None = None
    by_unit: str | None = None
    received: str | None = None
    received_on: dt.date | None = None
    children: list[str] = field(default_factory=list)
    description: str | None = None
    notes: str | None = None


def add_support(change: Change, s: Support) -> str:
    """A new support ledger entry; its id."""
    if len([x for x in (s.by_team, s.by_volunteer, s.by_unit) if x]) != 1:
        raise UsageError("support.one_giver")
    if s.received is not None and s.received_on is None:
        raise UsageError("support.received_on")
    team = change.indexed(s.team, "team")
    data = {"team": s.team, "kind": _read("support", ("kind",), s.kind),
            "pledged_on": s.pledged_on.isoformat()}
    names = {"team": team.get("name")}
    if s.by_team:
        data["by_team"] = s.by_team
        names["by_team"] = change.indexed(s.by_team, "team").get("name")
    elif s.by_volunteer:
        data["by_volunteer"] = s.by_volunteer
        names["by_volunteer"] = change.indexed(s.by_volunteer, "volunteer").get("name")
    else:
        data["by_unit"] = s.by_unit
    for key, value in (("description", s.description), ("notes", s.notes)):
        if value:
            data[key] = value
    if s.pledged is not None:
        data["pledged_amount"] = money(s.pledged)
    if s.received_on is not None:  # the first receipt
        data["receipts"] = [{"date": s.received_on.isoformat(),
                             **({"amount": money(s.received)} if s.received is not None else {})}]
    if s.children:
        data["children"] = list(dict.fromkeys(s.children))
        names["children"] = _names(change, data["children"], "child")
    return change.create("support", data, county=_county(s.team), names=names)


def receive(change: Change, sid: str, amount: str | None, on: dt.date, evidence: str | None = None) -> str:
    """Add a receipt to entry ``sid``: the day, the amount (none for goods) and its evidence.
    Receipts add up; an entry written before receipts were listed has its total so far moved
    into the list first, as its first receipt, so that nothing received is lost."""
    doc = change.load(sid, "support")
    if doc.get("received_on") is not None:  # undated (AM883), it stays as it is, to be corrected
        first = {"date": str(doc["received_on"]), "amount": doc.get("received_amount")}
        for key in LEGACY_RECEIPT:
            editing.remove_path(doc, (key,))
        editing.insert_dated(doc, "support", "receipts", {k: v for k, v in first.items() if v is not None}, {})
    receipt = {"date": on.isoformat()}
    if amount is not None:
        receipt["amount"] = money(amount)
    if evidence:
        receipt["evidence"] = evidence
    editing.insert_dated(doc, "support", "receipts", receipt, {})
    return sid

"""Commitment forms (结对关爱承诺书): each volunteer signs one a year with her team, for a
service term of three years (``aimama.yaml`` ``pledge.term_years``).

A pledge carries ``term_start``, the first year of its term: signing again within the term
keeps it, signing after the term ran out starts a new one.  Whether a pledge may exist (one a
year, the right team and programme, signed in its year) is decided by ``check``'s rules
(rules/pledge_rules.py); what is refused here are requests that make no sense to write.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from aimama_cli.core.errors import UsageError
from aimama_cli.domain.batches import Batch
from aimama_cli.domain.keys import readable
from aimama_cli.domain.people import pairings_by_person, region_names
from aimama_cli.model import programmes
from aimama_cli.model.pledges import term_years
from aimama_cli.store import editing
from aimama_cli.store.change import Change, Records
from aimama_cli.store.index import Index
from aimama_cli.store.schemas import label
from aimama_cli.store.sealing.masking import mask

VOLUNTEER_FIELDS = ("name", "status", "vetting.status", "kind", "team", "village")
PLEDGE_FIELDS = ("volunteer", "year", "term_start", "voided.on")


def start_of(pledge: dict) -> int:
    """The first year of a pledge's term (a pledge without ``term_start`` began one)."""
    start = pledge.get("term_start")
    return start if isinstance(start, int) else pledge.get("year")


def term_start(previous: dict | None, year: int, term: int) -> int:
    """The term a pledge for ``year`` belongs to: the previous year's, while it runs."""
    if previous and isinstance(start_of(previous), int) and year - start_of(previous) < term:
        return start_of(previous)
    return year


def pledges_of(index: Index, volunteer: str) -> dict[int, dict]:
    """{year: indexed fields with ``id``} of the pledges naming ``volunteer`` (not the voided)."""
    return {f.get("year"): {"id": rid, **f} for rid, f in index.naming(volunteer, "pledge", "volunteer")
            if "voided.on" not in f}


# --- sign -----------------------------------------------------------------------------------------

def sign(change: Change, volunteer: str, year: int, on: dt.date, programme: str | None = None) -> str:
    """A new pledge of ``volunteer`` for ``year``, signed ``on``; usage errors when she cannot
    sign at all (withdrawn, not approved, signed already, no programme for her)."""
    person = change.indexed(volunteer, "volunteer")
    if person.get("status") != "active":
        raise UsageError("pledge.withdrawn", id=volunteer, status=person.get("status") or "-")
    if person.get("vetting.status") != "approved":
        raise UsageError("pledge.not_approved", id=volunteer, status=person.get("vetting.status") or "-")
    signed = pledges_of(change.index, volunteer)
    if year in signed:
        raise UsageError("pledge.exists", id=volunteer, year=year, pledge=signed[year]["id"])
    team = person.get("team")
    if programme:
        change.indexed(programme, "programme")  # an unknown programme: exit 2, not a rule problem
    else:
        programme = programmes.Assignment.load(change.index, pledges=False).configured(person.get("kind"), team)
        if not programme:
            raise UsageError("pledge.no_programme", id=volunteer, kind=person.get("kind") or "-",
                             team=team or "-")
    data = {"volunteer": volunteer, "team": team, "year": year, "signed_on": on.isoformat(),
            "programme": programme,
            "term_start": term_start(signed.get(year - 1), year, term_years(change.index))}
    return change.create("pledge", data, county=str(person.get("village", ""))[:6],
                         names={"volunteer": person.get("name")})


def void(change: Change, pledge: str, reason: str, on: dt.date) -> str:
    """Void pledge ``pledge`` (signed by mistake, or a merged duplicate's): kept in history,
    it no longer counts as signed; returns its id."""
    if not (reason or "").strip():
        raise UsageError("pledge.void_reason")
    doc = change.load(pledge, "pledge")
    rid = str(doc.get("id", pledge))
    if doc.get("voided"):
        raise UsageError("pledge.already_void", id=rid, on=str(doc["voided"].get("on", "")))
    editing.set_path(doc, "pledge", ("voided",), {"on": on.isoformat(), "reason": reason.strip()})
    return rid
def sign_team(change: Change, team: str, year: int, on: dt.date, programme: str | None = None) -> Batch:
    """A pledge for ``year`` for every active member of ``team`` who can sign and has not; those
    who cannot (not approved, signed already, no programme for them) are listed as skipped."""
    data = change.read(team, "team")
    team_id = data.get("id") or team
    if programme:
        change.indexed(programme, "programme")  # unknown: exit 2 once, not a skip per member
    batch = Batch(about=data.get("name") or team_id)
    for vid, f in members(change.index, team_id):
        try:
            sid = sign(change, vid, year, on, programme)
        except UsageError as exc:
            if exc.key not in CANNOT_SIGN:
                raise
            batch.skip(vid, f.get("name"), exc.key, **exc.params)
            continue
        batch.done.append((sid, f"{f.get('name') or ''} ({vid})"))
    return batch


# why a member of a team signing together is left out (the rest stops the batch)
CANNOT_SIGN = ("pledge.not_approved", "pledge.exists", "pledge.no_programme")


def members(index: Index, team: str) -> list[tuple[str, dict]]:
    """(id, indexed fields) of the active volunteers of ``team``, by name."""
    found = [(vid, f) for vid, f in index.naming(team, "volunteer", "team")
             if f.get("team") == team and f.get("status") == "active"]
    return sorted(found, key=lambda x: (str(x[1].get("name") or ""), x[0]))


# --- due ------------------------------------------------------------------------------------------

@dataclass
class Due:
    id: str
    name: str
    team: str
    team_name: str
    village: str
    village_name: str
    reason: str  # not_signed | term_ends
    last_year: int | None
    term_start: int | None
    paired: int  # active pairings on the as-of day


def due(index: Index, year: int, as_of: dt.date, region: str = "") -> list[Due]:
    """Active, approved volunteers who have not signed for ``year``, and those whose term ends
    with ``year`` (they sign for a new term next year); paired volunteers first."""
    term = term_years(index)
    by_volunteer: dict[str, dict[int, dict]] = {}
    for _path, _rid, f in index.fields("pledge", PLEDGE_FIELDS):
        if isinstance(f.get("year"), int) and "voided.on" not in f:
            by_volunteer.setdefault(f.get("volunteer"), {})[f["year"]] = f
    teams = {rid: f.get("name", "") for _p, rid, f in index.fields("team", ("name",))}
    villages = region_names(index)
    pairings = pairings_by_person(index, as_of)
    found = []
    for _path, rid, v in index.fields("volunteer", VOLUNTEER_FIELDS):
        village = str(v.get("village", ""))
        if v.get("status") != "active" or v.get("vetting.status") != "approved" \
                or not village.startswith(region):
            continue
        signed = by_volunteer.get(rid, {})
        this_year = signed.get(year)
        if this_year is None:
            reason = "not_signed"
        elif start_of(this_year) + term - 1 == year:
            reason = "term_ends"
        else:
            continue
        team = v.get("team", "")
        found.append(Due(rid, v.get("name", ""), team, teams.get(team, ""), village,
                         villages.get(village, ""), reason, max(signed, default=None),
                         start_of(this_year) if this_year else None,
                         len(pairings.get(rid, ()))))
    found.sort(key=lambda d: (not d.paired, d.reason, d.team, d.id))
    return found


def due_json(rows: list[Due]) -> str:
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2)


# --- print ----------------------------------------------------------------------------------------

def form(change: Change, pledge: str) -> dict:
    """What the printed commitment form shows: plain values for the templates, the ID number
    masked (a form is handed around and filed)."""
    data = change.read(pledge, "pledge")
    if data.get("voided"):
        refuse_voided(change, data)
    # with the key, the form shows the ID number masked, not [encrypted]
    volunteer = readable(change.index, "volunteer", change.read(data["volunteer"], "volunteer"))
    team = change.read(data["team"], "team") if data.get("team") else {}
    programme = programmes.from_data(change.indexed(data["programme"], "programme"))
    year = data["year"]
    start = start_of(data)
    signed_on = dt.date.fromisoformat(str(data["signed_on"]))
    villages = region_names(change.index)
    return {
        "pledge": data,
        "year": year,
        "term_start": start,
        "term_end": start + term_years(change.index) - 1,
        "term_years": term_years(change.index),
        "volunteer": {"id": volunteer.get("id"), "name": volunteer.get("name", ""),
                      "id_number": mask(volunteer.get("id_number"), "id_number") or "",
                      "phone": mask(volunteer.get("phone"), "phone") or "",
                      "village": villages.get(volunteer.get("village"), volunteer.get("village", "")),
                      "unit": volunteer.get("unit", "")},
        "team": {"id": data.get("team"), "name": team.get("name", data.get("team", "")),
                 "leader": team.get("leader", "")},
        "children": _children(change, data["volunteer"], signed_on),
        "programme": {"id": programme.id, "name": programme.name, "source": programme.source,
                      "focuses": list(programme.focuses),
                      "duties": [_duty(d) for d in programme.duties]},
    }


def refuse_voided(records: Records, data: dict) -> None:
    """A voided pledge is not printed: a form is signed, handed round and filed, and one that no
    longer counts would pass for one that does.  Exit 2, saying when and why it was voided and
    which pledge of the volunteer's for that year stands, if one does."""
    voided = data.get("voided") if isinstance(data.get("voided"), dict) else {}
    params = {"id": data.get("id"), "on": voided.get("on") or "-", "reason": voided.get("reason") or "-"}
    standing = pledges_of(records.index, str(data.get("volunteer"))).get(data.get("year"))
    if standing:
        raise UsageError("pledge.print.voided_instead", **params, year=data.get("year"), other=standing["id"])
    raise UsageError("pledge.print.voided", **params)


def team_forms(records: Records, team: str, year: int) -> tuple[dict, list[dict], Batch]:
    """The team, the forms of its pledges for ``year`` (by volunteer name), its voided pledges
    (listed as not printed, with when and why) and its active members without a pledge."""
    data = records.read(team, "team")
    team_id = data.get("id") or team
    pledged, voided = {}, {}  # {volunteer: pledge} that stand, {pledge: volunteer} voided
    for pid, f in records.index.naming(team_id, "pledge", "team"):
        if f.get("team") != team_id or f.get("year") != year:
            continue
        if "voided.on" in f:
            voided[pid] = f.get("volunteer")
        else:
            pledged[f.get("volunteer")] = pid
    forms = sorted((form(records, pid) for pid in pledged.values()),
                   key=lambda x: (x["volunteer"]["name"], x["pledge"]["id"]))
    batch = Batch(done=[(x["pledge"]["id"], x["volunteer"]["name"]) for x in forms], about=data.get("name") or team_id)
    names = records.index.names(voided.values())
    for pid, vid in voided.items():
        why = records.read(pid, "pledge").get("voided") or {}
        batch.skip(pid, names.get(vid), "batch.skip.voided", on=why.get("on") or "-", reason=why.get("reason") or "-")
    for vid, f in members(records.index, team_id):
        if vid not in pledged and vid not in voided.values():
            batch.skip(vid, f.get("name"), "batch.skip.unsigned", year=year)
    return {"id": team_id, "name": data.get("name") or team_id}, forms, batch


def _children(change: Change, volunteer: str, day: dt.date) -> list[dict]:
    """The children paired with ``volunteer`` on ``day``, by name."""
    rows = change.index.children_paired_with(volunteer, day.isoformat())
    villages = region_names(change.index)
    return [{"id": rid, "name": name or "", "village": villages.get(village, village or "")}
            for rid, name, village in rows]


def _duty(duty: programmes.Duty) -> dict:
    groups: dict[str, list[str]] = {}
    for _id, name, group in duty.checklist:
        groups.setdefault(group, []).append(name)
    return {"id": duty.id, "name": duty.name, "description": duty.description,
            "count": duty.count, "per": duty.per, "deadline": duty.deadline, "cover": duty.cover,
            # the form is a Chinese document: the schema's Chinese labels, whatever the locale
            "per_label": label("programme", ("duties", "*", "per"), duty.per, "zh"),
            "deadline_label": label("programme", ("duties", "*", "deadline"), duty.deadline, "zh"),
            "checklist": [{"group": g, "names": names} for g, names in groups.items()]}


def render(context: dict, fmt: str) -> str:
    """The form as Markdown or as a self-contained HTML page, from templates/pledge.<fmt>.j2
    (a province words its own form by editing the template)."""
    from aimama_cli.core.templating import render as render_template

    return render_template(f"pledge.{fmt}.j2", "pledge.no_template", **context)


def render_book(team: dict, year: int, forms: list[dict], fmt: str) -> str:
    """Several forms in one printable file, a page each (templates/pledge_book.<fmt>.j2)."""
    from aimama_cli.core.templating import render as render_template

    return render_template(f"pledge_book.{fmt}.j2", "pledge.no_template", book_team=team, year=year, forms=forms)

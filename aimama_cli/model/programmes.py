"""Duty programmes (records/programmes/*.yaml) and which one applies to a volunteer.

A programme is data: its duties say which activity kinds satisfy them, how many in which
period and by when.  ``aimama.yaml`` maps programmes to volunteers (by team, team level or
volunteer kind); a pledge names the programme its volunteer signed for, for its year.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from aimama_cli.store import layout, queries
from aimama_cli.store.index import Index
from aimama_cli.store.index_rows import signed

DEFAULT_CONTACT_ALERT_DAYS = 45
DEFAULT_REMIND_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Duty:
    id: str
    name: str
    kinds: frozenset
    count: int
    per: str  # visit | month | quarter | year | term
    deadline: str = "period_end"
    checklist: tuple = ()  # (id, name, group) for per-visit duties
    description: str = ""
    cover: bool = False  # policies must cover the period without a gap (insurance)
    grace_days: int = 0  # a cover duty is owed this many days after the pairing began

    @functools.cached_property
    def checklist_names(self) -> dict[str, str]:
        """{checklist item: the programme's words for it}."""
        return {item: name for item, name, _group in self.checklist}

    def missed(self, done: str) -> tuple[str, ...]:
        """The checklist items a visit whose items done are ``done`` (joined by "+") missed."""
        missed = self._missed.get(done)
        if missed is None:
            ticked = set(done.split("+"))
            missed = self._missed[done] = tuple(item for item, _name, _group in self.checklist if item not in ticked)
        return missed

    @functools.cached_property
    def _missed(self) -> dict[str, tuple[str, ...]]:
        return {}  # a cache of missed(): a province's visits tick a few dozen ways


@dataclass
class Programme:
    id: str
    name: str
    applies_to: tuple
    duties: list[Duty]
    province: str = ""
    source: str = ""
    focuses: tuple = ()
    training_hours: float = 0  # training a volunteer needs before she is paired (pairing_requires)
    training_since: str = ""  # pairings started before this day are not judged by it

    @property
    def checklist_ids(self) -> set[str]:
        return {item[0] for duty in self.duties for item in duty.checklist}


def from_data(data: dict) -> Programme:
    requires = data.get("pairing_requires") if isinstance(data.get("pairing_requires"), dict) else {}
    duties = [Duty(d["id"], d.get("name", d["id"]), frozenset(d.get("kinds", ())), int(d.get("count", 1)),
                   d.get("per", "year"), d.get("deadline", "period_end"),
                   tuple((c["id"], c.get("name", c["id"]), c.get("group", "")) for c in d.get("checklist", ())),
                   d.get("description", ""), bool(d.get("cover")), _days(d.get("grace_days")))
              for d in data.get("duties", ()) if isinstance(d, dict) and "id" in d]
    return Programme(data.get("id", ""), data.get("name", ""), tuple(data.get("applies_to", ())), duties,
                     data.get("province", ""), data.get("source", ""), tuple(data.get("focuses", ())),
                     requires.get("training_hours") or 0, requires.get("since") or "")


def _days(value) -> int:
    """A count of days from a programme (the schema reports any other value)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def load_all(index: Index) -> dict[str, Programme]:
    """Every programme of the repository, by id (their whole text is in the index)."""
    return {rid: from_data(data) for _path, rid, data in index.fields("programme") if rid}


@dataclass
class Assignment:
    """Which programme applies to whom: ``aimama.yaml``'s ``programmes`` list, then pledges."""

    entries: list = field(default_factory=list)
    team_levels: dict = field(default_factory=dict)  # team id -> level
    pledged: dict = field(default_factory=dict)  # (volunteer, year) -> programme

    @classmethod
    def load(cls, index: Index, *, pledges: bool = True, year: int | None = None,
             volunteers: set | None = None) -> "Assignment":
        """With the pledges of ``year`` only, if given (a duty check judges one year), and of
        ``volunteers`` only, if given (a change judged: not every pledge of the province)."""
        config = index.singleton("config") or {}
        levels = {rid: f.get("level") for _p, rid, f in index.fields("team", ("level",))}
        pledged = {}
        if pledges:
            params: tuple = (year,) if year else ()
            whose = ""
            if volunteers is not None and len(volunteers) < queries.MANY_IDS:  # (the others' do no harm)
                whose = (" AND path IN (SELECT path FROM refs WHERE field = 'volunteer'"
                         " AND target IN (SELECT value FROM json_each(?)))")
                params += (json.dumps(sorted(volunteers)),)
            folder = f"{layout.RECORDS}/{layout.FOLDER_OF['pledge']}/"  # a range of the primary key, no lookup a row
            rows = index.db.execute(
                "SELECT json_extract(fields, '$.volunteer'), json_extract(fields, '$.year'), "
                "json_extract(fields, '$.programme') FROM files WHERE path >= ? AND path < ? AND +kind = 'pledge' "
                f"AND {signed('files')}"
                + (" AND json_extract(fields, '$.year') = ?" if year else "") + whose,
                (folder, folder[:-1] + "0", *params))
            pledged = {(volunteer, y): programme for volunteer, y, programme in rows if programme}
        return cls(list(config.get("programmes") or ()), levels, pledged)

    def configured(self, kind: str | None, team: str | None) -> str | None:
        """The programme ``aimama.yaml`` gives a volunteer of ``kind`` in ``team``."""
        for entry in self.entries:
            if entry.get("team") and entry["team"] == team:
                return entry.get("programme")
        level = self.team_levels.get(team)
        for entry in self.entries:
            if entry.get("team"):
                continue
            if entry.get("volunteer_kind") not in (None, kind):
                continue
            if entry.get("team_level") not in (None, level):
                continue
            return entry.get("programme")
        return None

    def programme_for(self, volunteer: str, kind: str | None, team: str | None,
                      year: int | None = None) -> str | None:
        """The programme of ``volunteer`` in ``year``: the one she pledged to, else the
        configured one."""
        return self.pledged.get((volunteer, year)) or self.configured(kind, team)


def settings(index: Index) -> dict:
    """``aimama.yaml``'s ``duty`` section with its defaults filled in."""
    duty = (index.singleton("config") or {}).get("duty") or {}
    return {"contact_alert_days": duty.get("contact_alert_days", DEFAULT_CONTACT_ALERT_DAYS),
            "remind_within_days": duty.get("remind_within_days", DEFAULT_REMIND_WITHIN_DAYS)}

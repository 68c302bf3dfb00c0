"""``duty check``: is each duty of each pairing's programme met, due, overdue or not applicable?

Everything is read from the record index (pairings, people, programmes, and the projection of
every activity-log entry), so a province's 100,000 pairings are judged without parsing a file.

How a duty is judged, for pairing P in year Y as of day A:

* Only P's active days count: from its start (or 1 January) to the day before it ended (or
  31 December).  A period owes ``count x active days / days in the period``, rounded half up:
  a pairing begun in October owes no yearly home visit yet but owes October's phone call; a
  period that owes nothing is *not applicable*.
* An entry counts for P when it names P, P's child (``child`` or ``children``), lies in P's
  active days, on or before A, and the contact was made (an attempt counts for nothing).
* ``per: month|quarter|year|term``: enough entries of the duty's kinds in each period; a period
  whose deadline has passed without them makes the duty *overdue* (the months are listed), the
  period under way makes it *due* with its deadline.
* ``per: visit``: every visit of the duty's kinds went through the whole checklist; a visit that
  did not makes it overdue (the items missed are listed).
* ``cover: true`` (insurance): the policies logged (this year's and last year's entries) cover
  every active day: a gap before A is overdue; cover that runs out later is due on its last day.
* Deadlines: the period's end, or the child's birthday, or Spring Festival (lunar new year), or
  whichever of the two comes first on or after the pairing began; a later fulfilment is still
  met, marked late.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field

from lunardate import LunarDate

from . import layout
from .index import Index
from .programmes import Assignment, Duty, Programme, load_all
from .rules.records_rules import birthday, parse_date

MET, DUE, OVERDUE, NOT_APPLICABLE = "met", "due", "overdue", "not_applicable"
STATUSES = (MET, DUE, OVERDUE, NOT_APPLICABLE)
ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=None)
def spring_festival(year: int) -> dt.date:
    """The first day of the first lunar month of ``year`` (春节)."""
    return LunarDate(year, 1, 1).to_solar_date()


# --- what the index holds, gathered once ---------------------------------------------------------

@dataclass
class Pairing:
    id: str
    child: str
    volunteer: str
    role: str | None
    start: dt.date  # first active day in the year
    end: dt.date  # last active day in the year


@dataclass
class Book:
    """The records one duty check needs, from the index."""

    year: int
    as_of: dt.date
    pairings: list[Pairing]
    children: dict  # id -> {name, birth_date, village}
    volunteers: dict  # id -> {name, kind, team, village, status}
    programmes: dict[str, Programme]
    assignment: Assignment
    entries: dict  # (volunteer, child or pairing id) -> [entry], both years, by date
    teams: dict = field(default_factory=dict)  # id -> name
    unreadable: list = field(default_factory=list)  # logs of the years that could not be parsed

    @classmethod
    def load(cls, index: Index, year: int, as_of: dt.date, *, volunteer: str | None = None,
             region: str | None = None, pairing_ids: set | None = None) -> "Book":
        """The pairings active in ``year`` up to ``as_of`` (those of ``volunteer``, of children
        in ``region``, or ``pairing_ids`` only) and what judging them needs."""
        first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
        pairings = []
        for rid, f in _records(index, "pairing", PAIRING_FIELDS, pairing_ids):
            started, ended = parse_date(f.get("started_on")), parse_date(f.get("ended_on"))
            if started is None or started > last or (ended and ended <= first):
                continue
            if volunteer and f.get("volunteer") != volunteer:
                continue
            end = min(dt.date(year, 12, 31), ended - ONE_DAY) if ended else dt.date(year, 12, 31)
            pairings.append(Pairing(rid, f.get("child"), f.get("volunteer"), f.get("role"),
                                    max(started, first), end))
        everyone = pairing_ids is None and volunteer is None
        children = dict(_records(index, "child", ("name", "birth_date", "village"),
                                 None if everyone else {p.child for p in pairings}))
        if region:
            pairings = [p for p in pairings
                        if str(children.get(p.child, {}).get("village", "")).startswith(region)]
        volunteers = dict(_records(index, "volunteer", ("name", "kind", "team", "village", "status"),
                                   None if everyone else {p.volunteer for p in pairings}))
        teams = {rid: f.get("name", rid) for rid, f in _records(index, "team", ("name",))}
        wanted = {p.volunteer for p in pairings}
        return cls(year, as_of, pairings, children, volunteers, load_all(index),
                   Assignment.load(index), _entries(index, wanted, (year - 1, year)), teams,
                   _unreadable(index, (year - 1, year)))


PAIRING_FIELDS = ("child", "volunteer", "role", "started_on", "ended_on")


def _records(index: Index, kind: str, names: tuple, ids: set | None = None):
    """(id, fields) of every record of ``kind``, or of ``ids`` only (looked up one by one
    when they are few: a check of one changed file must not read a province)."""
    if ids is None or len(ids) > 2000:
        yield from ((rid, f) for _p, rid, f in index.fields(kind, names) if ids is None or rid in ids)
        return
    rows = index.db.execute("SELECT rid, fields FROM files WHERE kind = ? AND rid IN "
                            "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(ids))))
    for rid, fields in rows:
        data = json.loads(fields)
        yield rid, {n: data[n] for n in names if data.get(n) is not None}


def _entries(index: Index, volunteers: set, years: tuple) -> dict:
    """Entries of ``years`` by (volunteer, child) and (volunteer, pairing id)."""
    found = defaultdict(list)
    if len(volunteers) > 2000:
        rows = index.db.execute(
            "SELECT json_extract(fields, '$.volunteer'), json_extract(fields, '$.entries') FROM files "
            "WHERE kind = 'activity' AND json_extract(fields, '$.year') IN (?, ?)", years)
    else:  # the file names say whose log it is
        paths = [f"{layout.RECORDS}/activities/{y}/{v}.yaml" for v in volunteers for y in years]
        rows = index.db.execute(
            "SELECT json_extract(fields, '$.volunteer'), json_extract(fields, '$.entries') FROM files "
            "WHERE path IN (SELECT value FROM json_each(?))", (json.dumps(paths),))
    for volunteer, entries in rows:
        if volunteer not in volunteers or not entries:
            continue
        for entry in json.loads(entries):
            day = parse_date(entry.get("date"))
            if day is None:
                continue
            entry["day"] = day
            for target in _targets(entry):
                found[(volunteer, target)].append(entry)
    for listed in found.values():
        listed.sort(key=lambda e: e["day"])
    return found


def _unreadable(index: Index, years: tuple) -> list[str]:
    """Activity logs of ``years`` the index could not read (broken YAML): their entries are
    missing from the judgement, which the user must be told."""
    folders = [f"{layout.RECORDS}/activities/{y}/%" for y in years]
    return [path for (path,) in index.db.execute(
        "SELECT path FROM files WHERE kind = 'activity' AND (path LIKE ? OR path LIKE ?) "
        "AND json_extract(fields, '$.entries') IS NULL ORDER BY path", folders)]


def _targets(entry: dict) -> set:
    targets = set(entry.get("children") or ())
    for key in ("child", "pairing"):
        if entry.get(key):
            targets.add(entry[key])
    return targets


# --- judging ---------------------------------------------------------------------------------------

@dataclass
class Result:
    id: str
    label: str
    status: str
    deadline: str | None
    evidence: list = field(default_factory=list)  # dates of the entries that count
    detail: dict = field(default_factory=dict)  # owed, done, missing months, gaps, late …

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "status": self.status, "deadline": self.deadline,
                "evidence": self.evidence, **self.detail}


@dataclass
class PairingResult:
    pairing: Pairing
    programme: str | None
    duties: list[Result]

    def as_dict(self, book: Book) -> dict:
        p = self.pairing
        return {"pairing": p.id, "child": p.child, "volunteer": p.volunteer,
                "child_name": book.children.get(p.child, {}).get("name"),
                "volunteer_name": book.volunteers.get(p.volunteer, {}).get("name"),
                "programme": self.programme, "active": [p.start.isoformat(), p.end.isoformat()],
                "duties": [d.as_dict() for d in self.duties]}


def check(book: Book) -> list[PairingResult]:
    results = []
    for p in book.pairings:
        volunteer = book.volunteers.get(p.volunteer, {})
        pid = book.assignment.programme_for(p.volunteer, volunteer.get("kind"), volunteer.get("team"),
                                            book.year)
        programme = book.programmes.get(pid)
        if programme is None:
            results.append(PairingResult(p, pid, []))
            continue
        entries = _pairing_entries(book, p)
        child = book.children.get(p.child, {})
        results.append(PairingResult(p, pid, [judge(d, p, entries, child, book) for d in programme.duties]))
    return results


def _pairing_entries(book: Book, p: Pairing) -> list[dict]:
    """The successful entries for ``p``'s child or ``p`` itself, up to the as-of day."""
    seen, found = set(), []
    for target in (p.child, p.id):
        for entry in book.entries.get((p.volunteer, target), ()):
            if id(entry) not in seen and entry["day"] <= book.as_of and entry.get("contact") != "attempted":
                seen.add(id(entry))
                found.append(entry)
    return sorted(found, key=lambda e: e["day"])


def judge(duty: Duty, p: Pairing, entries: list[dict], child: dict, book: Book) -> Result:
    matching = [e for e in entries if duty.kinds.intersection(e.get("kinds") or ())]
    if duty.cover:
        return _cover(duty, p, matching, book)
    active = [e for e in matching if p.start <= e["day"] <= p.end]
    if duty.per == "visit":
        return _visits(duty, active, book)
    if duty.per in ("month", "quarter"):
        return _periodic(duty, p, active, book)
    return _yearly(duty, p, active, child, book)


def owed(count: int, active_days: int, period_days: int) -> int:
    """``count`` pro-rated to the active days, rounded half up."""
    return (2 * count * active_days + period_days) // (2 * period_days)  # exact, no floats


def _yearly(duty: Duty, p: Pairing, active: list, child: dict, book: Book) -> Result:
    year_days = 366 if calendar.isleap(book.year) else 365
    due_count = owed(duty.count, (p.end - p.start).days + 1, year_days)
    deadline = deadline_for(duty.deadline, p, child, book.year)
    if "micro_wish" in duty.kinds:
        days = [parse_date(e.get("micro_wish.fulfilled_on")) or e["day"] for e in active]
    else:
        days = [e["day"] for e in active]
    detail = {"owed": due_count, "done": len(days)}
    if due_count == 0:
        return Result(duty.id, duty.name, NOT_APPLICABLE, deadline.isoformat(), _dates(days), detail)
    if len(days) >= due_count:
        if sorted(days)[due_count - 1] > deadline:
            detail["late"] = True
        return Result(duty.id, duty.name, MET, deadline.isoformat(), _dates(days), detail)
    status = OVERDUE if book.as_of > deadline else DUE
    return Result(duty.id, duty.name, status, deadline.isoformat(), _dates(days), detail)


def deadline_for(kind: str, p: Pairing, child: dict, year: int) -> dt.date:
    """The day a yearly duty falls due: a named day on or after the pairing began (else the
    last active day of the year)."""
    birth = parse_date(child.get("birth_date"))
    named = {
        "birthday": [birthday(birth, year - birth.year)] if birth and birth.year < year else [],
        "spring_festival": [spring_festival(year)],
        "children_day": [dt.date(year, 6, 1)],
    }
    named["birthday_or_spring_festival"] = named["birthday"] + named["spring_festival"]
    candidates = [day for day in named.get(kind, ()) if p.start <= day <= p.end]
    return min(candidates) if candidates else p.end


def _periodic(duty: Duty, p: Pairing, active: list, book: Book) -> Result:
    missing, current, evidence, owed_total = [], None, [], 0
    for first, last in _periods(duty.per, book.year):
        start, end = max(first, p.start), min(last, p.end)
        if start > end or start > book.as_of:
            continue
        need = owed(duty.count, (end - start).days + 1, (last - first).days + 1)
        if need == 0:
            continue
        owed_total += need
        done = [e["day"] for e in active if start <= e["day"] <= end]
        evidence.extend(done)
        if len(done) >= need:
            continue
        label = first.strftime("%Y-%m") if duty.per == "month" else f"{first.year}-Q{(first.month + 2) // 3}"
        if end < book.as_of:
            missing.append((label, end))
        else:
            current = end
    detail = {"owed": owed_total, "done": len(evidence)}
    if owed_total == 0:
        return Result(duty.id, duty.name, NOT_APPLICABLE, None, [], detail)
    if missing:
        detail["missing"] = [label for label, _end in missing]
        return Result(duty.id, duty.name, OVERDUE, missing[0][1].isoformat(), _dates(evidence), detail)
    if current:
        return Result(duty.id, duty.name, DUE, current.isoformat(), _dates(evidence), detail)
    return Result(duty.id, duty.name, MET, None, _dates(evidence), detail)


def _periods(per: str, year: int):
    step = 1 if per == "month" else 3
    for month in range(1, 13, step):
        last_month = month + step - 1
        yield dt.date(year, month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def _visits(duty: Duty, active: list, book: Book) -> Result:
    wanted = [item for item, _name, _group in duty.checklist]
    incomplete = []
    for e in active:
        done = set(e.get("checklist") or ())
        missed = [item for item in wanted if item not in done]
        if missed:
            incomplete.append({"date": e["day"].isoformat(), "missed": missed})
    detail = {"visits": len(active)}
    if not active:
        return Result(duty.id, duty.name, NOT_APPLICABLE, None, [], detail)
    if incomplete:
        detail["incomplete"] = incomplete
        return Result(duty.id, duty.name, OVERDUE, incomplete[0]["date"], _dates(e["day"] for e in active),
                      detail)
    return Result(duty.id, duty.name, MET, None, _dates(e["day"] for e in active), detail)


def _cover(duty: Duty, p: Pairing, matching: list, book: Book) -> Result:
    """Policies (``insurance.from``..``to``) must cover every active day of the year."""
    policies = sorted((a, b) for a, b in ((parse_date(e.get("insurance.from")), parse_date(e.get("insurance.to")))
                                          for e in matching) if a and b and a <= b)
    gaps, day = [], p.start
    for a, b in policies:
        if b < day:
            continue
        if a > day:
            gaps.append((day, min(a - ONE_DAY, p.end)))
        day = max(day, b + ONE_DAY)
        if day > p.end:
            break
    if day <= p.end:
        gaps.append((day, p.end))
    evidence = _dates(a for a, _b in policies)
    detail = {"policies": [[a.isoformat(), b.isoformat()] for a, b in policies]}
    passed = [(a, min(b, book.as_of)) for a, b in gaps if a <= book.as_of]
    if passed:
        detail["gaps"] = [[a.isoformat(), b.isoformat()] for a, b in passed]
        return Result(duty.id, duty.name, OVERDUE, passed[0][0].isoformat(), evidence, detail)
    if gaps:  # covered so far; renew before the cover runs out
        return Result(duty.id, duty.name, DUE, (gaps[0][0] - ONE_DAY).isoformat(), evidence, detail)
    return Result(duty.id, duty.name, MET, None, evidence, detail)


def _dates(days) -> list[str]:
    return [d.isoformat() for d in days]


def summary(results: list[PairingResult]) -> dict:
    counts = dict.fromkeys(STATUSES, 0)
    for r in results:
        for d in r.duties:
            counts[d.status] += 1
    return {"pairings": len(results), "duties": sum(counts.values()), **counts,
            "pairings_overdue": sum(1 for r in results if any(d.status == OVERDUE for d in r.duties)),
            "no_programme": sum(1 for r in results if r.programme is None or not r.duties)}


# --- reminders -----------------------------------------------------------------------------------

@dataclass
class Reminder:
    child: str
    what: str  # due | overdue | silent
    duty: Result | None = None
    last_contact: str | None = None
    days: int = 0
    attempts: int = 0


def remind(book: Book, results: list[PairingResult], within: int, alert_days: int) -> dict[str, list[Reminder]]:
    """Per volunteer: duties falling due within ``within`` days or overdue, and paired children
    with no successful contact for more than ``alert_days`` days — for pairings active today."""
    horizon = book.as_of + dt.timedelta(days=within)
    found: dict[str, list[Reminder]] = defaultdict(list)
    for r in results:
        p = r.pairing
        if not (p.start <= book.as_of <= p.end):
            continue
        for d in r.duties:
            if d.status == OVERDUE or (d.status == DUE and d.deadline and d.deadline <= horizon.isoformat()):
                found[p.volunteer].append(Reminder(p.child, d.status, d))
        silent = _silence(book, p, alert_days)
        if silent:
            found[p.volunteer].append(silent)
    return dict(found)


def _silence(book: Book, p: Pairing, alert_days: int) -> Reminder | None:
    entries = [e for target in (p.child, p.id) for e in book.entries.get((p.volunteer, target), ())
               if e["day"] <= book.as_of]
    made = [e["day"] for e in entries if e.get("contact") != "attempted"]
    last = max(made, default=None)
    since = last or p.start
    days = (book.as_of - since).days
    if days <= alert_days:
        return None
    attempts = sum(1 for e in entries if e.get("contact") == "attempted" and e["day"] > since)
    return Reminder(p.child, "silent", None, last.isoformat() if last else None, days, attempts)

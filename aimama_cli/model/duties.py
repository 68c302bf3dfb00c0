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
  every active day from ``grace_days`` after the pairing began (time to buy a policy): a gap
  before A is overdue; cover that runs out later, or a grace period still running, is due on
  its last day.
* Deadlines: the period's end, or the child's birthday, or Spring Festival (lunar new year), or
  whichever of the two comes first on or after the pairing began; a later fulfilment is still
  met, marked late.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gc
import json
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from lunardate import LunarDate

from aimama_cli.core.dates import birthday, parse_date
from aimama_cli.core.workers import can_fork, cores, in_processes
from aimama_cli.model.programmes import Assignment, Duty, Programme, load_all
from aimama_cli.store import layout, queries
from aimama_cli.store.index import Index, Unshared
from aimama_cli.store.listing import picked

MET, DUE, OVERDUE, NOT_APPLICABLE = "met", "due", "overdue", "not_applicable"
STATUSES = (MET, DUE, OVERDUE, NOT_APPLICABLE)
ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=None)
def spring_festival(year: int) -> dt.date:
    """The first day of the first lunar month of ``year`` (春节)."""
    return LunarDate(year, 1, 1).to_solar_date()


# --- what the index holds, gathered once ---------------------------------------------------------
# Dates stay ISO strings ("2026-03-12") wherever they are only compared: at a million entries,
# turning each into a date object costs more than the judging itself.

@dataclass(slots=True)
class Pairing:
    id: str
    child: str
    volunteer: str
    role: str | None
    start: dt.date  # first active day in the year
    end: dt.date  # last active day in the year
    first: str = ""  # start and end as ISO strings
    last: str = ""
    days: int = 0  # active days in the year
    began: dt.date | None = None  # started_on itself, which may lie in an earlier year

    def __post_init__(self):
        self.first, self.last = self.start.isoformat(), self.end.isoformat()
        self.days = (self.end - self.start).days + 1


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
    entries: dict  # (volunteer, child or pairing id) -> their entries of the year and the one before, as text
    teams: dict = field(default_factory=dict)  # id -> name
    # volunteer -> the day of her first entry after as_of: logged ahead of its day, it counts from
    # that day on, so a judgement of as_of holds until then at most
    ahead: dict = field(default_factory=dict)
    unreadable: list = field(default_factory=list)  # logs of the years that could not be parsed
    as_of_text: str = ""
    year_days: int = 365

    def __post_init__(self):
        self.as_of_text = self.as_of.isoformat()
        self.year_days = 366 if calendar.isleap(self.year) else 365

    @classmethod
    def load(cls, index: Index, year: int, as_of: dt.date, *, volunteer: str | None = None,
             region: str | None = None, pairing_ids: set | None = None) -> "Book":
        """The pairings active in ``year`` up to ``as_of`` (those of ``volunteer``, of children
        in ``region``, or ``pairing_ids`` only) and what judging them needs."""
        return cls.of(index, year, as_of, *select(index, year, as_of, volunteer=volunteer, region=region,
                                                  pairing_ids=pairing_ids))

    @classmethod
    def of(cls, index: Index, year: int, as_of: dt.date, pairings: list[Pairing], everyone: bool,
           unreadable: bool = True) -> "Book":
        """What judging ``pairings`` needs (``everyone``: they are all the year's; ``unreadable``:
        with the logs that cannot be read, which a caller told them already does without)."""
        children = _people(index, "child", CHILD_FIELDS, None if everyone else {p.child for p in pairings})
        volunteers = _people(index, "volunteer", VOLUNTEER_FIELDS, None if everyone else {p.volunteer for p in pairings})
        teams = {rid: name or rid for rid, name in _records(index, "team", ("name",))}
        wanted = None if everyone else {p.volunteer for p in pairings}
        entries, ahead = _entries(index, wanted, (year - 1, year), as_of.isoformat())
        return cls(year, as_of, pairings, children, volunteers, load_all(index), Assignment.load(index, year=year, volunteers=wanted),
                   entries, teams, ahead, unreadable_logs(index, wanted, (year - 1, year)) if unreadable else [])


def select(index: Index, year: int, as_of: dt.date, *, volunteer: str | None = None, region: str | None = None,
           pairing_ids: set | None = None, paths: tuple | None = None) -> tuple[list[Pairing], bool]:
    """The pairings active in ``year`` up to ``as_of``: all of them, or those of ``volunteer``, of
    children in ``region``, ``pairing_ids``, or in the files from ``paths[0]`` to before
    ``paths[1]``; and whether they are all."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    pairings = []
    for rid, child, vid, role, started, ended in _records(index, "pairing", PAIRING_FIELDS, pairing_ids, paths):
        started, ended = parse_date(started), parse_date(ended)
        if started is None or started > last or (ended and ended <= first):
            continue
        if volunteer and vid != volunteer:
            continue
        end = min(dt.date(year, 12, 31), ended - ONE_DAY) if ended else dt.date(year, 12, 31)
        pairings.append(Pairing(rid, child, vid, role, max(started, first), end, began=started))
    if region:
        villages = dict(_records(index, "child", ("village",), {p.child for p in pairings}))
        pairings = [p for p in pairings if str(villages.get(p.child) or "").startswith(region)]
    return pairings, not (volunteer or region or pairing_ids is not None or paths)


PAIRING_FIELDS = ("child", "volunteer", "role", "started_on", "ended_on")
CHILD_FIELDS = ("name", "birth_date", "village")
VOLUNTEER_FIELDS = ("name", "kind", "team", "village", "status")


def _records(index: Index, kind: str, names: tuple, ids: set | None = None, paths: tuple | None = None):
    """(id, *values of ``names``) of every record of ``kind``, or of ``ids`` only, or of the files
    from ``paths[0]`` to before ``paths[1]``.  The fields asked for are scalars, which SQLite
    hands over without a JSON round trip."""
    columns = ", ".join("json_extract(fields, '$.\"%s\"')" % n for n in names)
    if paths:
        return index.db.execute(f"SELECT rid, {columns} FROM files WHERE kind = ? AND path >= ? AND path < ?",
                                (kind, *paths))
    if ids is None:
        return index.db.execute(f"SELECT rid, {columns} FROM files WHERE kind = ?", (kind,))
    return index.db.execute(f"SELECT rid, {columns} FROM files WHERE +kind = ? AND rid IN "
                            "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(ids))))


def pairings_naming(index: Index, ids: set[str]) -> set[str]:
    """The pairings whose files name one of ``ids`` (their child, their volunteer)."""
    return {rid for (rid,) in index.db.execute(  # (+kind: by the refs' index, not every pairing's file)
        "SELECT rid FROM files WHERE +kind = 'pairing' AND path IN "
        "(SELECT path FROM refs WHERE target IN (SELECT value FROM json_each(?)))", (json.dumps(sorted(ids)),))}


def _people(index: Index, kind: str, names: tuple, ids: set | None) -> dict:
    """{id: {name: value}} of the fields ``names`` of every record of ``kind`` (of ``ids``
    only), from the index's listing lines (a province's 110,000 volunteers: a third of what
    SQLite's json_extract costs)."""
    return picked(index.listings(kind, ids), kind, names)


class Logged(NamedTuple):
    """One activity-log entry, as the index's entries table keeps it: a line of text, split."""

    day: str  # ISO date, valid
    made: str  # "1": contact made; "0": only attempted, which counts for no duty
    kinds: str  # codes joined by "+"
    n: str  # its place in the log: (day, n) is one entry, about a child and her pairing both
    checklist: str  # codes joined by "+", or ""
    fulfilled_on: str  # micro_wish, or ""
    insured_from: str
    insured_to: str


def _logs(volunteers: set | None, years: tuple) -> tuple[str, tuple]:
    """SQL picking the logs of ``years`` (of ``volunteers`` only): a log is
    ``activities/<year>/<volunteer>.yaml`` (rules AM302, AM305), so paths pick them out."""
    folder = f"{layout.RECORDS}/activities"
    if volunteers is None:
        return "path > ? AND path < ?", (f"{folder}/{min(years)}/", f"{folder}/{max(years)}0")
    paths = [f"{folder}/{y}/{v}.yaml" for v in volunteers for y in years]
    return "path IN (SELECT value FROM json_each(?))", (json.dumps(paths),)


def _entries(index: Index, volunteers: set | None, years: tuple, as_of: str) -> tuple[dict, dict[str, str]]:
    """Entries of ``years`` up to ``as_of`` by (volunteer, child or pairing id), as the text
    :func:`_logged` splits; and {volunteer: the day of her first entry after ``as_of``}.  SQLite
    joins a log's lines about one child (or pairing) into one text: a row per entry would cost
    three times as much at a million entries.  The days after ``as_of`` come from the same pass
    over the logs (a query of their own read every entry again)."""
    where, params = _logs(volunteers, years)
    found: dict[tuple, str] = {}
    ahead: dict[str, str] = {}
    for volunteer, target, text, later in index.db.execute(
            "SELECT volunteer, target, group_concat(CASE WHEN day <= ? THEN line END, ','), "
            f"min(CASE WHEN day > ? THEN day END) FROM entries WHERE {where} GROUP BY path, target",
            (as_of, as_of, *params)):
        if text:
            key = (volunteer, target)
            found[key] = f"{found[key]},{text}" if key in found else text  # (two years' logs)
        if later and (volunteer not in ahead or later < ahead[volunteer]):  # (her logs of two years)
            ahead[volunteer] = later
    return found, ahead


def _logged(book: Book, key: tuple) -> list[Logged]:
    """The entries ``key`` — (volunteer, child or pairing id) — by date.  Split here, where a
    pairing is judged, rather than all at once: a province's half-million entries then never
    live at once (a third of a worker's page faults)."""
    text = book.entries.get(key)
    if not text:
        return []
    make = tuple.__new__  # Logged._make without its checks: the index writes eight fields a line
    listed = [make(Logged, line.split(" ")) for line in text.split(",")]
    listed.sort(key=DAY)
    return listed


def unreadable_logs(index: Index, volunteers: set | None, years: tuple) -> list[str]:
    """The logs the index could not read (broken YAML): their entries are missing from the
    judgement, which the user must be told."""
    many = volunteers is not None and len(volunteers) >= queries.MANY_IDS  # every log looked at, theirs kept
    where, params = _logs(None if many else volunteers, years)
    # a log with a brief line was read (it names its volunteer): only the others' fields are
    # looked at, not a province's 79,000 logs' long texts (the paths come from an index alone)
    found = [path for (path,) in index.db.execute(
        f"SELECT path FROM (SELECT path FROM files WHERE kind = 'activity' AND {where} "
        f"EXCEPT SELECT path FROM brief WHERE {where}) AS unbriefed "
        "WHERE (SELECT fields FROM files WHERE files.path = unbriefed.path) = '{}' ORDER BY path", params * 2)]
    return [path for path in found if path.rsplit("/", 1)[-1].removesuffix(".yaml") in volunteers] if many else found


def _for_pairing(book: Book, p: Pairing) -> list[Logged]:
    """Entries for ``p``'s child (alone or among others) or ``p`` itself, by date."""
    about_child = _logged(book, (p.volunteer, p.child))
    about_pairing = _logged(book, (p.volunteer, p.id))
    if not about_pairing:
        return about_child
    keys = {(e.day, e.n) for e in about_child}
    return sorted([*about_child, *(e for e in about_pairing if (e.day, e.n) not in keys)], key=DAY)


DAY = operator.attrgetter("day")


# --- judging ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Result:
    id: str
    label: str
    status: str
    deadline: str | None
    evidence: list = field(default_factory=list)  # dates of the entries that count
    detail: dict = field(default_factory=dict)  # owed, done, missing months, gaps, late …
    # the first day on which the status or deadline may differ with nothing logged (None: not
    # this year): what lets a later day's report keep this verdict (reports/duties.py)
    changes_on: str | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "status": self.status, "deadline": self.deadline,
                "evidence": self.evidence, **self.detail}


@dataclass
class PairingResult:
    pairing: Pairing
    programme: str | None
    duties: list[Result]

    @property
    def changes_on(self) -> str | None:
        """The first day on which a duty's status or deadline may differ (None: not this year)."""
        return min(filter(None, (d.changes_on for d in self.duties)), default=None)

    def as_dict(self, book: Book) -> dict:
        p = self.pairing
        return {"pairing": p.id, "child": p.child, "volunteer": p.volunteer,
                "child_name": book.children.get(p.child, {}).get("name"),
                "volunteer_name": book.volunteers.get(p.volunteer, {}).get("name"),
                "programme": self.programme, "active": [p.first, p.last],
                "duties": [d.as_dict() for d in self.duties]}


def check(book: Book, pairings: list[Pairing] | None = None) -> list[PairingResult]:
    """Every duty of ``pairings`` (all the book's by default)."""
    results = []
    plans: dict[str | None, _Plan | None] = {}
    volunteers, children, programme_for = book.volunteers, book.children, book.assignment.programme_for
    for p in book.pairings if pairings is None else pairings:
        volunteer = volunteers.get(p.volunteer, _NOTHING)
        pid = programme_for(p.volunteer, volunteer.get("kind"), volunteer.get("team"), book.year)
        plan = plans[pid] if pid in plans else plans.setdefault(pid, _Plan.of(book.programmes.get(pid)))
        results.append(PairingResult(p, pid, plan.judged(book, p, children.get(p.child, _NOTHING)) if plan else []))
    return results


_NOTHING: dict = {}  # a record the index does not hold (read, never written)


# --- judging a province on every core -------------------------------------------------------------

PARALLEL_FROM = 20_000  # pairings: below this, starting worker processes costs more than it saves
_shared: tuple | None = None  # what forked workers inherit


def in_parts(index: Index, year: int, as_of: dt.date, work, *, volunteer: str | None = None,
             region: str | None = None, workers: int | None = None, meanwhile=None) -> tuple[list[str], list]:
    """The logs that cannot be read, and ``work(book, check(book))`` for consecutive parts of
    the pairings, in order.  A province's pairings are judged in forked worker processes, one a
    core, each reading from the index only its part (a range of pairing files) and what that
    needs; ``work`` turns a part's results into something small to send back (JSON text, table
    rows).  One volunteer's pairings, few pairings, no fork, or an index in memory: one part, here.
    ``meanwhile()`` is called once, while the workers judge (first, where there are none)."""
    global _shared
    called = []

    def once():
        if meanwhile and not called:
            called.append(meanwhile())

    def here():
        once()
        book = Book.of(index, year, as_of, *select(index, year, as_of, volunteer=volunteer, region=region))
        return book.unreadable, [work(book, check(book))]
    workers = workers or cores()
    (count,) = index.db.execute("SELECT count(*) FROM files WHERE kind = 'pairing'").fetchone()
    if (volunteer or workers < 2 or count < PARALLEL_FROM or not index.use_cache
            or not can_fork()):
        return here()
    bounds = _bounds(index, -(-count // workers))
    _shared = (index.root, year, as_of, work, region, list(zip(bounds, bounds[1:])))
    unreadable_all: list[str] = []  # a province's unreadable logs, found here while the workers judge

    def alongside():
        once()
        if not region:
            unreadable_all.extend(unreadable_logs(index, None, (year - 1, year)))
    try:
        parts = in_processes(_judge_part, len(bounds) - 1, alongside)
    except Unshared:  # a worker could not open the index: every part judged here
        return here()
    finally:
        _shared = None
    unreadable = sorted({path for found, _output in parts for path in found}) if region else unreadable_all
    return unreadable, [output for _found, output in parts]


def _bounds(index: Index, size: int) -> list[str]:
    """The first pairing file of each part of ``size``, and one past the last: each part runs
    from its first path to the next part's (SQLite steps through its index of kinds and paths;
    a province's 116,000 paths are not made in Python)."""
    first = "SELECT path FROM files WHERE kind = 'pairing' AND path >= ? ORDER BY path LIMIT 1 OFFSET ?"
    bounds = [index.db.execute(first, ("", 0)).fetchone()[0]]
    while (found := index.db.execute(first, (bounds[-1], size)).fetchone()) is not None:
        bounds.append(found[0])
    (last,) = index.db.execute("SELECT max(path) FROM files WHERE kind = 'pairing'").fetchone()
    return [*bounds, last + "\x7f"]


def _judge_part(i: int):
    root, year, as_of, work, region, ranges = _shared
    gc.disable()  # for good: a worker ends with its answer, and a last full collection costs 0.3 s
    index = Index.of_worker(root)
    book = Book.of(index, year, as_of, select(index, year, as_of, region=region, paths=ranges[i])[0],
                   everyone=False, unreadable=bool(region))  # (a province's are found once, by the command)
    return book.unreadable, work(book, check(book))


class _Plan:
    """How a programme's duties are judged, worked out once: which duties each activity kind
    (or kinds joined by "+") counts for, and the function judging each duty."""

    def __init__(self, programme: Programme):
        self.duties = programme.duties
        self.by_kind: dict[str, list[int]] = defaultdict(list)
        for i, duty in enumerate(self.duties):
            for kind in duty.kinds:
                self.by_kind[kind].append(i)
        self.cover = [i for i, duty in enumerate(self.duties) if duty.cover]
        self.judges = [_cover if d.cover else _visits if d.per == "visit" else
                       _periodic if d.per in ("month", "quarter") else _yearly for d in self.duties]
        self.counts_for: dict[str, tuple[int, ...]] = {}  # kinds as logged -> the duties they count for

    @classmethod
    def of(cls, programme: Programme | None) -> "_Plan | None":
        return None if programme is None else cls(programme)

    def judged(self, book: Book, p: Pairing, child: dict) -> list[Result]:
        """Each duty of ``p`` judged (``child``: its child's record)."""
        deadlines: dict[str, str] = {}  # the pairing's named days, each worked out once
        return [judge(duty, p, found, child, book, deadlines)
                for judge, duty, found in zip(self.judges, self.duties, self.sort(_for_pairing(book, p), p))]

    def sort(self, entries: list[Logged], p: Pairing) -> list[list[Logged]]:
        """Each duty's successful entries: those of its kinds in the pairing's active days, or —
        for a cover duty — of both years (last year's policy may run into this one)."""
        found: list[list[Logged]] = [[] for _ in self.duties]
        first, last, counts_for = p.first, p.last, self.counts_for
        for e in entries:
            if e.made == "1" and first <= e.day <= last:
                duties = counts_for.get(e.kinds)
                if duties is None:
                    duties = counts_for[e.kinds] = self._counts_for(e.kinds)
                for i in duties:
                    found[i].append(e)
        for i in self.cover:
            kinds = self.duties[i].kinds
            found[i] = [e for e in entries if e.made == "1" and not kinds.isdisjoint(e.kinds.split("+"))]
        return found

    def _counts_for(self, kinds: str) -> tuple[int, ...]:
        """The duties an entry of ``kinds`` counts for; an entry of two kinds of one duty counts once."""
        return tuple(sorted({i for kind in kinds.split("+") for i in self.by_kind.get(kind, ())}))


def owed(count: int, active_days: int, period_days: int) -> int:
    """``count`` pro-rated to the active days, rounded half up."""
    return (2 * count * active_days + period_days) // (2 * period_days)  # exact, no floats


def _yearly(duty: Duty, p: Pairing, active: list, child: dict, book: Book, deadlines: dict) -> Result:
    deadline = p.last if duty.deadline == "period_end" else deadlines.get(duty.deadline) or deadlines.setdefault(
        duty.deadline, deadline_for(duty.deadline, p, child, book.year).isoformat())
    due_count = owed(duty.count, p.days, book.year_days)
    if "micro_wish" in duty.kinds:  # a wish counts from the day it came true
        days = [_fulfilled(e) for e in active]
    else:
        days = [e.day for e in active]
    detail = {"owed": due_count, "done": len(days)}
    if due_count == 0:
        return Result(duty.id, duty.name, NOT_APPLICABLE, deadline, days, detail)
    if len(days) >= due_count:
        if sorted(days)[due_count - 1] > deadline:
            detail["late"] = True
        return Result(duty.id, duty.name, MET, deadline, days, detail)
    if book.as_of_text > deadline:
        return Result(duty.id, duty.name, OVERDUE, deadline, days, detail)
    return Result(duty.id, duty.name, DUE, deadline, days, detail, _day_after(deadline))


@functools.lru_cache(maxsize=4096)
def _day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + ONE_DAY).isoformat()


def _fulfilled(entry: Logged) -> str:
    return entry.fulfilled_on or entry.day


def deadline_for(kind: str, p: Pairing, child: dict, year: int) -> dt.date:
    """The day a yearly duty falls due: a named day on or after the pairing began (else the
    last active day of the year)."""
    if kind == "period_end":
        return p.end
    birth = parse_date(child.get("birth_date"))
    named = {
        "birthday": [birthday(birth, year - birth.year)] if birth and birth.year < year else [],
        "spring_festival": [spring_festival(year)],
        "children_day": [dt.date(year, 6, 1)],
    }
    named["birthday_or_spring_festival"] = named["birthday"] + named["spring_festival"]
    candidates = [day for day in named.get(kind, ()) if p.start <= day <= p.end]
    return min(candidates) if candidates else p.end


@dataclass(frozen=True, slots=True)
class _Period:
    first: dt.date
    last: dt.date
    label: str  # 2026-03 or 2026-Q1
    days: int


@functools.lru_cache(maxsize=None)
def _periods(per: str, year: int) -> tuple[_Period, ...]:
    step = 1 if per == "month" else 3
    periods = []
    for month in range(1, 13, step):
        last_month = month + step - 1
        first, last = dt.date(year, month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        label = first.strftime("%Y-%m") if per == "month" else f"{year}-Q{(month + 2) // 3}"
        periods.append(_Period(first, last, label, (last - first).days + 1))
    return tuple(periods)


# "03" -> the number of its period
MONTH_PERIOD = {per: {f"{m:02d}": (m - 1) // step for m in range(1, 13)} for per, step in (("month", 1), ("quarter", 3))}


@functools.lru_cache(maxsize=None)
def _schedule(per: str, count: int, year: int, start: dt.date, end: dt.date, as_of: dt.date) -> tuple:
    """(period number, entries owed, label, deadline, closed) of each period under way or past
    that owes something, and the first later day on which that list changes (a period begins
    or closes; None: not this year): the same for every pairing active the whole year, so
    worked out once."""
    schedule, turns = [], []
    for i, period in enumerate(_periods(per, year)):
        first, last = max(period.first, start), min(period.last, end)
        if first > last:
            continue
        turns.append(first if first > as_of else last + ONE_DAY if last >= as_of else None)
        if first > as_of:
            continue
        need = owed(count, (last - first).days + 1, period.days)
        if need:
            schedule.append((i, need, period.label, last.isoformat(), last < as_of))
    turn = min(filter(None, turns), default=None)
    return tuple(schedule), turn.isoformat() if turn and turn.year == year else None


def _periodic(duty: Duty, p: Pairing, active: list, _child: dict, book: Book, _deadlines: dict) -> Result:
    schedule, turn = _schedule(duty.per, duty.count, book.year, p.start, p.end, book.as_of)
    if not schedule:
        return Result(duty.id, duty.name, NOT_APPLICABLE, None, [], {"owed": 0, "done": 0}, turn)
    period_of = MONTH_PERIOD[duty.per]
    done = [0] * 12  # entries in each period (active entries all lie in the year)
    for e in active:
        done[period_of[e.day[5:7]]] += 1
    missing, current, owed_total, counted = [], None, 0, 0
    for i, need, label, deadline, closed in schedule:
        owed_total += need
        counted += done[i]
        if done[i] < need:
            if closed:
                missing.append((label, deadline))
            else:
                current = deadline
    if counted == len(active):  # (the usual case: every entry lies in a period that owes one)
        evidence = [e.day for e in active]
    else:
        owing = {i for i, *_rest in schedule}
        evidence = [e.day for e in active if period_of[e.day[5:7]] in owing]
    detail = {"owed": owed_total, "done": counted}
    if missing:
        detail["missing"] = [label for label, _end in missing]
        return Result(duty.id, duty.name, OVERDUE, missing[0][1], evidence, detail, turn)
    if current:
        return Result(duty.id, duty.name, DUE, current, evidence, detail, turn)
    return Result(duty.id, duty.name, MET, None, evidence, detail, turn)


def _visits(duty: Duty, _p: Pairing, active: list, _child: dict, _book: Book, _deadlines: dict) -> Result:
    named = duty.checklist_names  # the programme's words: 帮做一顿饭
    incomplete = []
    for e in active:
        missed = duty.missed(e.checklist)
        if missed:
            incomplete.append({"date": e.day, "missed": list(missed), "missed_names": [named[i] for i in missed]})
    detail = {"visits": len(active)}
    if not active:
        return Result(duty.id, duty.name, NOT_APPLICABLE, None, [], detail)
    evidence = [e.day for e in active]
    if incomplete:
        detail["incomplete"] = incomplete
        return Result(duty.id, duty.name, OVERDUE, incomplete[0]["date"], evidence, detail)
    return Result(duty.id, duty.name, MET, None, evidence, detail)


def _cover(duty: Duty, p: Pairing, matching: list, _child: dict, book: Book, _deadlines: dict) -> Result:
    """Policies (``insurance.from``..``to``) must cover every active day of the year from the
    end of the duty's grace period (``grace_days`` after the pairing began: time to buy one)."""
    policies = sorted((a, b) for a, b in ((parse_date(e.insured_from), parse_date(e.insured_to)) for e in matching)
                      if a and b and a <= b)  # dates the index checked, or ""
    evidence = [a.isoformat() for a, _b in policies]
    detail = {"policies": [[a.isoformat(), b.isoformat()] for a, b in policies]}
    owed_from = max(p.start, (p.began or p.start) + dt.timedelta(days=duty.grace_days))
    if owed_from > p.end:  # begun at the end of the year: owed from next year
        return Result(duty.id, duty.name, NOT_APPLICABLE, None, evidence, detail)
    gaps, day = [], owed_from
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
    passed = [(a, min(b, book.as_of)) for a, b in gaps if a <= book.as_of]
    if passed:  # the gaps listed grow day by day, the status and deadline stay
        detail["gaps"] = [[a.isoformat(), b.isoformat()] for a, b in passed]
        return Result(duty.id, duty.name, OVERDUE, passed[0][0].isoformat(), evidence, detail)
    if gaps:  # covered so far; renew before the cover runs out
        return Result(duty.id, duty.name, DUE, (gaps[0][0] - ONE_DAY).isoformat(), evidence, detail,
                      gaps[0][0].isoformat())
    return Result(duty.id, duty.name, MET, None, evidence, detail)


def combined(summaries: list[dict]) -> dict:
    """The summary of several parts' results."""
    return {key: sum(s[key] for s in summaries) for key in summaries[0]}


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
    entries = _for_pairing(book, p)
    made = [e.day for e in entries if e.made == "1"]
    last = max(made, default=None)
    # never reached: the clock runs from the pairing's first day, not from 1 January
    since = dt.date.fromisoformat(last) if last else (p.began or p.start)
    days = (book.as_of - since).days
    if days <= alert_days:
        return None
    after = since.isoformat()
    attempts = sum(1 for e in entries if e.made == "0" and e.day > after)
    return Reminder(p.child, "silent", None, last, days, attempts)

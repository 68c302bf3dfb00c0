"""What falls due on an open case (个案), as data: ``cases.duties`` in aimama.yaml, else the
defaults below.  A province changes the numbers, or adds a duty, without code.

A case duty applies to the cases of one kind (and, if it says so, of some risk levels) and is
met by steps of some kinds:

* ``within_days: N`` — a step of its kinds within N days of the case's opening, or of its first
  step of the kind named by ``after`` (a follow-up visit within 30 days of the outcome).  None
  yet: *due* on that day, *overdue* after it; done later: met, marked late.
* ``every_days: N`` — while the case is open, a step of its kinds at least every N days,
  counted from the opening (or ``after``'s step) and then from the latest such step: always
  *due* on the next day one is owed, *overdue* once that day has passed.

Only open cases owe anything: closing a case (with its outcome) ends what it owes.  Cases are
few beside pairings, so they are judged apart from ``duties`` (and its workers), from the index.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from aimama_cli.core.dates import parse_date
from aimama_cli.store import index_rows, layout
from aimama_cli.store.index import Index

MET, DUE, OVERDUE = "met", "due", "overdue"
STATUSES = (MET, DUE, OVERDUE)
OPENED = "opened"

DEFAULT_DUTIES = [
    {"id": "high_risk_first_action", "name": "高风险转介 3 日内完成评估或干预", "case_kind": "mental_health",
     "risk": ["high"], "kinds": ["assessment", "intervention"], "within_days": 3},
    {"id": "first_assessment", "name": "转介 14 日内完成心理评估", "case_kind": "mental_health",
     "risk": ["medium", "low"], "kinds": ["assessment", "intervention"], "within_days": 14},
    {"id": "follow_up", "name": "办理期间每 30 日至少跟踪随访一次", "case_kind": "mental_health",
     "kinds": ["follow_up", "intervention"], "every_days": 30},
    {"id": "legal_handling", "name": "受理后 15 日内办理（简化程序）", "case_kind": "legal_aid",
     "kinds": ["simplified_handling", "outcome"], "within_days": 15},
    {"id": "legal_follow_up_visit", "name": "办结后 30 日内回访", "case_kind": "legal_aid",
     "after": "outcome", "kinds": ["follow_up_visit"], "within_days": 30},
    {"id": "family_sessions", "name": "每季度至少一次家庭教育指导", "case_kind": "family_education",
     "kinds": ["session", "consultation"], "every_days": 92},
]


@dataclass(frozen=True)
class CaseDuty:
    id: str
    name: str
    case_kind: str
    kinds: frozenset
    within_days: int | None = None
    every_days: int | None = None
    risk: frozenset | None = None  # None: every risk level
    after: str = OPENED  # the opening, or the first step of this kind

    def applies(self, case: "Case") -> bool:
        return case.kind == self.case_kind and (self.risk is None or case.risk in self.risk)


def configured(index: Index) -> list[CaseDuty]:
    """``cases.duties`` of aimama.yaml (a list replaces the defaults whole), else the defaults;
    malformed entries are skipped (the schema reports them on aimama.yaml)."""
    listed = ((index.singleton("config") or {}).get("cases") or {}).get("duties")
    found = []
    for d in listed if isinstance(listed, list) else DEFAULT_DUTIES:
        if not isinstance(d, dict) or not d.get("id") or not isinstance(d.get("kinds"), list):
            continue
        within, every = d.get("within_days"), d.get("every_days")
        if not (isinstance(within, int) or isinstance(every, int)):
            continue
        risk = d.get("risk")
        found.append(CaseDuty(d["id"], d.get("name") or d["id"], d.get("case_kind", ""), frozenset(d["kinds"]),
                              within if isinstance(within, int) else None,
                              every if isinstance(every, int) else None,
                              frozenset(risk) if isinstance(risk, list) else None, d.get("after") or OPENED))
    return found


@dataclass
class Case:
    id: str
    path: str
    kind: str
    child: str
    team: str
    opened: str
    risk: str | None
    steps: list  # (date, kind, by) with a valid date, by date

    @classmethod
    def of(cls, path: str, rid: str, f: dict) -> "Case":
        steps = sorted((s.get("date"), s.get("kind"), s.get("by")) for s in f.get("steps") or ()
                       if isinstance(s, dict) and parse_date(s.get("date")))
        return cls(rid, path, f.get("kind"), f.get("child"), f.get("team"), f.get("opened_on"),
                   f.get("risk_level"), steps)


@dataclass
class Item:
    id: str
    label: str
    status: str
    deadline: str
    evidence: list = field(default_factory=list)
    late: bool = False

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "status": self.status, "deadline": self.deadline,
                "evidence": self.evidence, **({"late": True} if self.late else {})}


@dataclass
class CaseResult:
    case: Case
    duties: list[Item]

    def as_dict(self, names: dict) -> dict:
        c = self.case
        return {"case": c.id, "kind": c.kind, "child": c.child, "child_name": names.get(c.child),
                "team": c.team, "team_name": names.get(c.team), "opened_on": c.opened,
                "risk_level": c.risk, "duties": [d.as_dict() for d in self.duties]}


def open_cases(index: Index, as_of: dt.date, *, case_ids: set | None = None, team: str | None = None,
               region: str | None = None) -> list[Case]:
    """The cases open on ``as_of`` (opened by then, not closed), of ``team`` or of children in
    ``region`` if given, in file order."""
    day = as_of.isoformat()
    cases = []
    for path, rid, text in index.db.execute(  # closed cases are left to SQLite: most of them are
            "SELECT path, rid, fields FROM files WHERE kind = 'case' AND json_extract(fields, '$.status') = 'open' "
            "ORDER BY path"):
        f = json.loads(text)
        if not parse_date(f.get("opened_on")) or f["opened_on"] > day:
            continue
        if (case_ids is not None and rid not in case_ids) or (team and f.get("team") != team):
            continue
        cases.append(Case.of(path, rid, f))
    if region:
        villages = dict(index.db.execute(
            "SELECT rid, json_extract(fields, '$.village') FROM files WHERE +kind = 'child' AND rid IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted({c.child for c in cases if c.child})),)))
        cases = [c for c in cases if str(villages.get(c.child) or "").startswith(region)]
    return cases


def judge(index: Index, as_of: dt.date, **select) -> list[CaseResult]:
    """Every duty of every open case (see :func:`open_cases` for ``select``)."""
    duties = configured(index)
    return [CaseResult(c, judge_case(c, duties, as_of)) for c in open_cases(index, as_of, **select)]


def judge_case(case: Case, duties: list[CaseDuty], as_of: dt.date) -> list[Item]:
    today = as_of.isoformat()
    items = []
    for duty in duties:
        if not duty.applies(case):
            continue
        if duty.after == OPENED:
            anchor = case.opened
        else:
            anchor = next((d for d, kind, _by in case.steps if kind == duty.after and d <= today), None)
            if anchor is None:
                continue  # nothing to count from yet (no outcome: no follow-up visit owed)
        done = [d for d, kind, _by in case.steps if kind in duty.kinds and anchor <= d <= today]
        if duty.within_days is not None:
            deadline = (parse_date(anchor) + dt.timedelta(days=duty.within_days)).isoformat()
            if done:
                items.append(Item(duty.id, duty.name, MET, deadline, done, late=done[0] > deadline))
                continue
        else:
            latest = parse_date(max(done, default=anchor))
            deadline = (latest + dt.timedelta(days=duty.every_days)).isoformat()
        items.append(Item(duty.id, duty.name, OVERDUE if today > deadline else DUE, deadline, done))
    return items


def summary(results: list[CaseResult]) -> dict:
    counts = dict.fromkeys(STATUSES, 0)
    for r in results:
        for d in r.duties:
            counts[d.status] += 1
    return {"cases": len(results), "duties": sum(counts.values()), **counts,
            "cases_overdue": sum(1 for r in results if any(d.status == OVERDUE for d in r.duties))}


def names_of(index: Index, ids) -> dict:
    """{id: name} of the records ``ids`` (children, teams, volunteers)."""
    return dict(index.db.execute(
        "SELECT rid, json_extract(fields, '$.name') FROM files WHERE rid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({i for i in ids if i})),)))


def concern_entry(db, volunteer: str, day: str, child: str) -> dict | None:
    """The entry of ``volunteer``'s log dated ``day`` about ``child`` (by id, among a group, or
    through a pairing) that records a concern, as the index holds it; None if there is none."""
    path = f"{layout.RECORDS}/activities/{day[:4]}/{volunteer}.yaml"
    row = db.execute("SELECT fields FROM files WHERE path = ? AND kind = 'activity'", (path,)).fetchone()
    entries = json.loads(row[0]).get("entries") if row else None
    for entry in entries if isinstance(entries, list) else []:
        if entry.get("date") != day or not entry.get("concern"):
            continue
        about = {entry.get("child"), *(entry.get("children") or ())}
        if entry.get("pairing"):
            found = db.execute(f"SELECT {index_rows.field('p', 'child')} FROM files p WHERE p.rid = ? AND p.kind = 'pairing'",
                               (entry["pairing"],)).fetchone()
            about.add(found[0] if found else None)
        if child in about:
            return entry
    return None

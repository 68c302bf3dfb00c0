"""Children, volunteers and teams: building, closing and vetting records, and reading the
roster back from the index.  The command layer (``cli/child.py``, ``volunteer.py``, ``team.py``, ``record_commands.py``) is options around these."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aimama_cli.core import ids
from aimama_cli.core.dates import active_on, age_on, parse_date
from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.core.problems import field_name, field_path
from aimama_cli.domain import lookup
from aimama_cli.store import schemas, values
from aimama_cli.store.listing import LISTED, listed_value

if TYPE_CHECKING:  # the roster's options are built from here for --help: nothing heavy at import
    from aimama_cli.store.change import Change
    from aimama_cli.store.index import Index

PEOPLE_KINDS = ("child", "volunteer", "team")
# status for a closed record, per kind, and the end reason its active pairings get
CLOSED = {"child": ("closed", "child_closed"), "volunteer": ("withdrawn", "volunteer_withdrew"),
          "team": ("closed", None)}
# the field naming where a record is (a region code)
PLACE = {"child": "village", "volunteer": "village", "team": "region"}
PRIORITY_CATEGORIES = {"scattered_orphan", "unsupported"}
DEFAULTS = {
    "child": {"status": "active"},
    "volunteer": {"status": "active", "vetting": {"status": "pending", "checks": []}},
    "team": {"status": "active"},
}

# command-line options of `add`: (option name, field path); lists take the option repeatedly
FLAGS = {
    "child": [("name", "name"), ("gender", "gender"), ("birth-date", "birth_date"),
              ("id-number", "id_number"), ("category", "categories"), ("village", "village"),
              ("address", "address"), ("guardianship", "guardianship"),
              ("guardian-name", "guardian.name"), ("guardian-relation", "guardian.relation"),
              ("guardian-phone", "guardian.phone"), ("consent-date", "guardian.consent.date"),
              ("consent-evidence", "guardian.consent.evidence"), ("school", "school.name"),
              ("grade", "school.grade"), ("risk", "risk_level"), ("need", "needs"),
              ("source", "roster.source"), ("notes", "notes")],
    "volunteer": [("name", "name"), ("gender", "gender"), ("birth-date", "birth_date"),
                  ("id-number", "id_number"), ("phone", "phone"), ("kind", "kind"),
                  ("team", "team"), ("village", "village"), ("unit", "unit"),
                  ("skill", "skills"), ("capacity", "capacity"), ("joined-on", "joined_on"),
                  ("notes", "notes")],
    "team": [("name", "name"), ("level", "level"), ("kind", "kind"), ("region", "region"),
             ("parent", "parent"), ("leader", "leader"), ("unit", "unit")],
}


# --- building records -----------------------------------------------------------------------

def build(kind: str, given: dict[str, object], *, on: dt.date, lookup=None) -> dict:
    """A new record of ``kind`` from ``given`` ({dotted field: text or value}), values read as
    the schema says (``lookup``: names of villages, teams … made codes and ids; see
    :func:`values.coerce`), with the defaults a coordinator would otherwise type."""
    data: dict = {}
    for name, raw in given.items():
        path = field_path(name)
        try:
            put(data, path, values.coerce(kind, path, raw, lookup=lookup))
        except values.ValueProblem as exc:
            raise UsageError(exc.key, **exc.params) from None
    for key, value in DEFAULTS[kind].items():
        data.setdefault(key, json.loads(json.dumps(value)))
    if kind == "volunteer":
        data.setdefault("joined_on", on.isoformat())
    if kind == "child" and "guardian" in data:
        consent = data["guardian"].setdefault("consent", {})
        consent.setdefault("given", bool(consent.get("date")))
    if kind in ("child", "volunteer"):
        from_id_number(data)
    return data


def from_id_number(data: dict) -> None:
    """Birth date and gender taken from a valid ID number when not written; when written,
    ``check`` cross-checks them (AM502, AM503)."""
    from stdnum.cn import ric  # stdnum imports ssl and pydoc: only for an ID number

    number = data.get("id_number")
    if not isinstance(number, str) or len(number) != 18:
        return
    try:
        birth = ric.get_birth_date(number)
    except Exception:  # stdnum's ValidationError and friends: the check rules report it
        return
    data.setdefault("birth_date", birth.isoformat())
    data.setdefault("gender", ids.id_number_gender(number))


def put(data: dict, path: tuple, value) -> None:
    for step in path[:-1]:
        data = data.setdefault(step, {})
    data[path[-1]] = value


def flatten(data, prefix: tuple = ()) -> dict[str, object]:
    """{'guardian': {'name': x}} -> {'guardian.name': x}; lists stay whole."""
    if not isinstance(data, dict):
        return {".".join(prefix): data}
    flat: dict[str, object] = {}
    for key, value in data.items():
        flat.update(flatten(value, prefix + (str(key),)))
    return flat


def missing(kind: str, data: dict) -> list[tuple]:
    """Required fields not given (paths), in schema order, descending into given objects and
    required ones."""
    found: list[tuple] = []

    def walk(node: dict, value: dict, path: tuple) -> None:
        for name in node.get("properties", {}):
            sub = node["properties"][name]
            here = path + (name,)
            if name not in value:
                if name in node.get("required", ()):
                    if sub.get("type") == "object":
                        walk(sub, {}, here)
                    else:
                        found.append(here)
            elif sub.get("type") == "object" and isinstance(value[name], dict):
                walk(sub, value[name], here)

    walk(schemas.schema(kind), data, ())
    return [p for p in found if p != ("id",)]


def title(kind: str, path: tuple, lang: str) -> str:
    en, zh = schemas.info(kind).titles.get(schemas.pattern_of(path), (path[-1], path[-1]))
    return zh if lang == "zh" else en


# --- changing records -----------------------------------------------------------------------

def set_fields(change: Change, kind: str, rid: str, assignments: list[str], removals: list[str]):
    """``--set path=value`` and ``--unset path`` on record ``rid``."""
    from aimama_cli.store import editing  # ruamel: for the commands that write


    doc = change.load(rid, kind)
    created: set[tuple] = set()  # objects this command brings into being (school, for school.grade)
    for text in assignments:
        name, sep, raw = text.partition("=")
        path = field_path(name.strip())
        if not sep or not path:
            raise UsageError("edit.bad_set", text=text)
        created.update(p for p in _prefixes(path) if _absent(doc, p))
        if path[0] == "id":
            raise UsageError("edit.id_fixed")
        try:
            value = values.coerce(kind, path, raw, lookup=lookup.resolver(change))
        except values.ValueProblem as exc:
            raise UsageError(exc.key, **exc.params) from None
        try:
            editing.set_path(doc, kind, path, value)
        except KeyError:
            raise UsageError("edit.bad_path", field=name) from None
    _complete(doc, kind, created, assignments)
    for name in removals:
        path = field_path(name.strip())
        if path and path[0] == "id":
            raise UsageError("edit.id_fixed")
        if not editing.remove_path(doc, path):
            raise UsageError("edit.bad_path", field=name)
    return doc


def _prefixes(path: tuple):
    return (path[:i] for i in range(1, len(path)))


_NONE = object()


def _absent(doc, path: tuple) -> bool:
    return schemas.get_path(doc, path, _NONE) is _NONE


def _complete(doc, kind: str, created: set[tuple], assignments: list[str]) -> None:
    """An object a ``--set`` of one of its fields brings into being has every field its schema
    requires, or the command says, in one message, what else to set in the same command
    (``--set school.grade=四年级`` on a child without a school needs ``school.name`` too)."""
    missing = []
    for path in sorted(created, key=len):
        node = schemas.subschema(kind, path) or {}
        value = schemas.get_path(doc, path)
        if isinstance(value, dict):
            missing += [field_name(path + (key,)) for key in node.get("required", []) if key not in value]
    if missing:
        given = " ".join(f"--set {text}" for text in assignments)
        also = " ".join(f"--set {name}=…" for name in missing)
        raise Refused("edit.needs_also", fields=", ".join(missing), where=field_name(min(created, key=len)),
                         command=f"{given} {also}")


def close(change: Change, kind: str, rid: str, reason: str, on: dt.date) -> list[str]:
    """Close record ``rid`` (never delete it) and end its active pairings; returns their ids."""
    from aimama_cli.store import editing  # ruamel: for the commands that write


    doc = change.load(rid, kind)
    status, end_reason = CLOSED[kind]
    if doc.get("status") == status:
        raise UsageError("close.already", id=rid)
    try:
        code = values.coerce(kind, ("closed", "reason"), reason)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    editing.set_path(doc, kind, ("status",), status)
    editing.set_path(doc, kind, ("closed",), {"on": on.isoformat(), "reason": code})
    ended = []
    if end_reason:
        for pairing in active_pairings(change.index, rid, on):
            ended.append(end_pairing(change, pairing, end_reason, on))
    if kind == "child":  # her open cases close with her: nothing more falls due on them
        from aimama_cli.domain.cases import close_with_child

        close_with_child(change, rid, on)
    return ended


def end_pairing(change: Change, pairing_id: str, reason: str, on: dt.date,
                kind: str = "pairing") -> str:

    from aimama_cli.store import editing  # ruamel: for the commands that write

    doc = change.load(pairing_id, kind)
    editing.set_path(doc, kind, ("ended_on",), on.isoformat())
    editing.set_path(doc, kind, ("end_reason",), reason)
    return pairing_id


def active_pairings(index: Index, rid: str, on: dt.date) -> list[str]:
    """Pairings of child or volunteer ``rid`` active on ``on``."""
    day = on.isoformat()
    return [pid for pid, f in index.naming(rid, "pairing") if active_on(f, day)]


@dataclass
class Decision:
    action: str  # approve | reject | suspend
    reason: str | None
    checks: list[str]  # KIND=RESULT[:EVIDENCE]
    by: str
    on: dt.date


ACTION_STATUS = {"approve": "approved", "reject": "rejected", "suspend": "suspended"}


def vet(change: Change, rid: str, decision: Decision) -> None:
    """Record a vetting decision and the checks it rests on; the rules of ``check`` (required
    checks clear, age within bounds, a vetting coordinator deciding, a reason for a refusal)
    then judge it like any change."""
    from aimama_cli.store import editing  # ruamel: for the commands that write


    doc = change.load(rid, "volunteer")
    if decision.action != "approve" and not (decision.reason or "").strip():
        raise UsageError("vet.reason_needed")
    checks = list(editing.get_path(doc, ("vetting", "checks"), []) or [])
    for text in decision.checks:
        entry = parse_check(text, decision.on)
        if "vetting" not in doc:
            editing.set_path(doc, "volunteer", ("vetting",), {"status": "pending", "checks": []})
        same = [i for i, c in enumerate(checks) if c.get("kind") == entry["kind"]]
        if same:
            editing.set_path(doc, "volunteer", ("vetting", "checks", same[0]), entry)
        else:
            editing.set_path(doc, "volunteer", ("vetting", "checks", len(checks)), entry)
        checks = list(doc["vetting"]["checks"])
    editing.set_path(doc, "volunteer", ("vetting", "status"), ACTION_STATUS[decision.action])
    editing.set_path(doc, "volunteer", ("vetting", "decided_by"), decision.by)
    editing.set_path(doc, "volunteer", ("vetting", "decided_on"), decision.on.isoformat())
    if decision.reason:
        editing.set_path(doc, "volunteer", ("vetting", "reason"), decision.reason)
    else:
        editing.remove_path(doc, ("vetting", "reason"))


def parse_check(text: str, on: dt.date) -> dict:
    """``criminal_record=clear:岳公证字〔2026〕001号`` -> a check entry (labels accepted)."""
    kind, sep, rest = text.partition("=")
    result, _, evidence = rest.partition(":")
    if not sep or not result:
        raise UsageError("vet.bad_check", text=text)
    try:
        entry = {"kind": values.coerce("volunteer", ("vetting", "checks", 0, "kind"), kind),
                 "result": values.coerce("volunteer", ("vetting", "checks", 0, "result"), result),
                 "checked_on": on.isoformat()}
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    if evidence.strip():
        entry["evidence"] = evidence.strip()
    return entry


def coordinator_for(index: Index, email: str | None) -> str | None:
    """The coordinator id whose git e-mail is ``email``."""
    for person in (index.singleton("coordinators") or {}).get("coordinators", []):
        if email and person.get("email", "").lower() == email.lower():
            return person.get("id")
    return None


# --- reading the roster ---------------------------------------------------------------------

def is_priority(fields: dict) -> bool:
    """应结尽结: orphans and de facto unsupported children, and left-behind children whose
    guardianship is lacking or whose risk is red or orange."""
    categories = set(fields.get("categories") or ())
    if categories & PRIORITY_CATEGORIES:
        return True
    return "left_behind" in categories and (fields.get("guardianship") == "inadequate"
                                            or fields.get("risk_level") in ("red", "orange"))


def display_names(index: Index, ids=None) -> dict[str, str]:
    """Display names of regions, teams and coordinators, by code or id, and of the records
    ``ids`` (only those: a province has 400,000)."""
    names = region_names(index)
    names.update((rid, f.get("name", "")) for _p, rid, f in index.fields("team", ("name",)) if rid)
    for person in (index.singleton("coordinators") or {}).get("coordinators", []):
        names[person.get("id")] = person.get("name")
    if ids:
        names.update(index.names(ids))
    return names


def links_of(index: Index, rid: str, day: dt.date, kind: str = "pairing") -> list[dict]:
    """The pairings (or team pairings) naming ``rid``, each marked active or not on ``day``."""
    return [{"id": pid, **f, "active": active_on(f, day.isoformat())}
            for pid, f in index.naming(rid, kind)]


def region_names(index: Index) -> dict[str, str]:
    regions = (index.singleton("regions") or {}).get("regions", [])
    return {r.get("code"): r.get("name") for r in regions if isinstance(r, dict)}


_SIDES = ("child", "volunteer", "role", "started_on", "ended_on")


def pairings_by_person(index: Index, on: dt.date) -> dict[str, list[dict]]:
    """Active pairings on ``on``, by child id and by volunteer id."""
    found: dict[str, list[dict]] = {}
    for rid, *picked in index.in_force("pairing", on.isoformat(), _SIDES):
        entry = {"id": rid, **{n: v for n, v in zip(_SIDES, picked) if v is not None}}
        for side in ("child", "volunteer"):
            if entry.get(side):
                found.setdefault(entry[side], []).append(entry)
    return found


@dataclass
class Filters:
    region: str | None = None
    status: str | None = None
    category: str | None = None
    risk: str | None = None
    kind: str | None = None
    vetting: str | None = None
    team: str | None = None
    level: str | None = None
    paired: bool | None = None
    priority: bool = False
    name: str | None = None  # part of the name, its pinyin or initials (list --name)


def listing(index: Index, kind: str, filters: Filters, on: dt.date) -> dict[str, list]:
    """The records of ``kind`` that pass ``filters``, as columns of what a listing shows: id,
    the fields of LISTED[kind] (None where missing), pairings and roles (of the pairings in force
    on ``on``), a child's age and priority, and the file's path.  Made from the index's listing
    lines a column at a time: a province lists 100,000 children, and their values repeat (a
    village, a status)."""
    held: dict[str, list] = {}  # a person's id -> the roles of her active pairings
    if kind in ("child", "volunteer"):
        for _pid, person, role in index.in_force("pairing", on.isoformat(), (kind, "role")):
            held.setdefault(person, []).append(role)
    lines = index.listings(kind).fetchall()
    paths = [path for path, _rid, _line in lines]
    columns: dict[str, list] = {"id": [rid for _path, rid, _line in lines]}
    split = list(zip(*(line.split("\t") for _path, _rid, line in lines))) or [()] * len(LISTED[kind])
    texts = dict(zip(LISTED[kind], split))
    for name, column in texts.items():
        columns[name] = _decoded(column)
    roles = [held.get(rid, ()) for rid in columns["id"]]
    columns["pairings"] = [len(r) for r in roles]
    columns["roles"] = [sorted({r for r in these if r}) if these else [] for these in roles]
    if kind == "child":
        priority = ("categories", "guardianship", "risk_level")
        columns["priority"] = _each_once(zip(*(texts[n] for n in priority)), lambda _key, i: is_priority(
            {n: columns[n][i] for n in priority}))
        columns["age"] = _each_once(texts["birth_date"], lambda birth, _i: _age(parse_date(birth or None), on))
    columns["path"] = paths
    kept = _kept(index, filters, kind, columns)
    if kept is None:
        return columns
    return {name: [column[i] for i in kept] for name, column in columns.items()}


def roster(index: Index, kind: str, filters: Filters, on: dt.date) -> list[dict]:
    """The records of ``kind`` that pass ``filters``, each with every indexed field and what
    :func:`listing` works out (pairings, roles; a child's priority and age)."""
    columns = listing(index, kind, filters, on)
    extra = [name for name in columns if name not in LISTED[kind] and name not in ("id", "path")]
    at = {path: i for i, path in enumerate(columns["path"])}
    rows = []
    for path, rid, f in index.fields(kind):
        i = at.get(path)
        if i is not None:
            rows.append({"id": rid, **f, **{name: columns[name][i] for name in extra}})
    return rows


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    return age_on(birth, on) if birth else None


def _decoded(texts) -> list:
    """A listing line's column read back, each distinct text once."""
    value_of = {text: listed_value(text) for text in dict.fromkeys(texts)}
    return [value_of[text] for text in texts]


def _each_once(keys, work) -> list:
    """work(key, i) for each key, done once for each distinct key (i: where it was first)."""
    done: dict = {}
    result = []
    for i, key in enumerate(keys):
        if key not in done:
            done[key] = work(key, i)
        result.append(done[key])
    return result


def _kept(index: Index, filters: Filters, kind: str, columns: dict[str, list]) -> list[int] | None:
    """Where the rows are that pass the filters that are set (None: every row passes)."""
    place = columns[PLACE[kind]]
    checks = [
        (filters.region, place, lambda value, v: isinstance(value, str) and value.startswith(v)),
        (filters.status, columns.get("status"), lambda value, v: value == v),
        (filters.category, columns.get("categories"), lambda value, v: v in (value or ())),
        (filters.risk, columns.get("risk_level"), lambda value, v: value == v),
        (filters.kind, columns.get("kind"), lambda value, v: value == v),
        (filters.vetting, columns.get("vetting.status"), lambda value, v: value == v),
        (filters.team, columns.get("team"), lambda value, v: value == v),
        (filters.level, columns.get("level"), lambda value, v: value == v),
        (filters.paired, columns["pairings"], lambda value, v: (value > 0) == v),
        (filters.priority or None, columns.get("priority"), lambda value, v: value is True),
    ]
    kept = None
    if filters.name:
        named = {row[1] for row in index.search_names(filters.name, [kind], limit=-1)}
        kept = [i for i, rid in enumerate(columns["id"]) if rid in named]
    for wanted, column, test in checks:
        if wanted is None:
            continue
        if column is None:  # a filter this kind has no field for: nothing passes
            return []
        kept = [i for i in (range(len(column)) if kept is None else kept) if test(column[i], wanted)]
    return kept

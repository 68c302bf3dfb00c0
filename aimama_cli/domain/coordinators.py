"""``aimama coordinator add|list|edit|retire``: the people of records/coordinators.yaml.

Each change rewrites .github/CODEOWNERS in the same commit (domain/codeowners.py), so the
reviews a pull request asks for follow the coordinators as they are.  A coordinator is never
removed: records name her as the one who vetted or confirmed, and audit reads her e-mail and
keys in older revisions.  She is retired instead (``retired: {on, reason}``) and owns nothing
from then on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.core.i18n import t
from aimama_cli.core.text import normalised
from aimama_cli.domain import codeowners, session
from aimama_cli.domain.regions import Listed, code_of
from aimama_cli.model import regions as divisions
from aimama_cli.store import editing, schemas, values
from aimama_cli.store.change import Change
from aimama_cli.store.yamlio import dump_roundtrip, parse

COORDINATORS = codeowners.COORDINATORS
ENTRY = ("coordinators", 0)
EDITABLE = ("name", "email", "roles", "regions", "signing_keys", "age_recipient")


def _value(field: str, raw, option: str):
    """``raw`` as field ``field`` of an entry takes it (labels for roles, lists split on
    commas), checked against the schema's pattern; else exit 2 naming ``option``."""
    try:
        value = values.coerce("coordinators", ENTRY + (field,), raw)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None
    import jsonschema_rs

    node = schemas.subschema("coordinators", ENTRY + (field,)) or {}
    for problem in jsonschema_rs.validator_for(node).iter_errors(value):
        raise UsageError("coordinator.bad_value", option=option, value=raw, detail=problem.message)
    return value


def _regions(listed: Listed, given: list[str]) -> list[str]:
    """Region codes as a coordinator's entry keeps them (the code's own digits: '430621'),
    each a listed region; else exit 2."""
    found = []
    for text in given:
        for part in values.LIST_SEPARATORS.split(str(text).strip()):
            code = code_of(part, "--region")
            if code not in listed.by_code:
                raise UsageError("region.unknown", code=part)
            found.append(divisions.own_digits(code))
    if not found:
        raise UsageError("coordinator.no_region")
    return list(dict.fromkeys(found))


def _split(given: list[str]) -> str:
    return ",".join(given)


def _doc(change: Change, rid: str):
    doc = change.load_file(COORDINATORS, rid)
    if not isinstance(doc.get("coordinators"), list):
        raise UsageError("codeowners.invalid", path=COORDINATORS)
    return doc


def _entry(change: Change, rid: str) -> tuple:
    """(the file's document, the position of coordinator ``rid``'s entry), for editing; an
    unknown id is exit 2."""
    if change.index.defined(rid, "coordinator"):
        doc = _doc(change, rid)
        for i, entry in enumerate(doc["coordinators"]):
            if isinstance(entry, dict) and entry.get("id") == rid:
                return doc, i
    raise UsageError("id.unknown", id=rid, kind="coordinator")


def _email_free(change: Change, email: str, rid: str | None = None) -> None:
    """One serving coordinator per e-mail: audit and CODEOWNERS know her by it."""
    for entry in change.docs[COORDINATORS]["coordinators"]:
        if isinstance(entry, dict) and entry.get("id") != rid and not entry.get("retired") \
                and str(entry.get("email", "")).lower() == email.lower():
            raise Refused("coordinator.email_taken", email=email, id=entry.get("id"))


def _with_owners(change: Change) -> None:
    """.github/CODEOWNERS for the coordinators as this change leaves them, in its commit."""
    plain = parse(dump_roundtrip(change.docs[COORDINATORS])).data
    if schemas.validator("coordinators").is_valid(plain):  # else the judge refuses the change
        codeowners.put(change, codeowners.build(change.root, codeowners.serving(plain)))


def add(root: Path, *, name: str, email: str, roles: list[str], regions: list[str],
        signing_keys: list[str] = (), commit: bool = True, dry_run: bool = False):
    """A new coordinator with a fresh id (``U`` and the county of her first region), in one
    commit with CODEOWNERS.  (her id, the saved change)"""
    change = session.change(root, "coordinator add")
    listed = Listed(change.index)
    entry = {"name": _value("name", name, "--name"), "email": _value("email", email, "--email"),
             "roles": _value("roles", _split(roles), "--role"), "regions": _regions(listed, regions)}
    if signing_keys:
        entry["signing_keys"] = [_value("signing_keys", [k.strip()], "--signing-key")[0] for k in signing_keys]
    county = divisions.full(entry["regions"][0])[:6]
    rid = change.new_id("coordinator", county)
    change.new_ids.add(rid)
    doc = _doc(change, rid)
    items = doc["coordinators"]
    if not items:
        items.fa.set_block_style()  # `coordinators: []` of a new repository: one entry a block
    _email_free(change, entry["email"])
    items.append(editing.styled({"id": rid, **entry}, schemas.subschema("coordinators", ENTRY)))
    _with_owners(change)
    return rid, change.save(f"{rid} {entry['name']}", commit=commit, dry_run=dry_run)


def edit(root: Path, rid: str, assignments: list[str], removals: list[str] = (), *,
         commit: bool = True, dry_run: bool = False):
    """``--set FIELD=VALUE`` and ``--unset FIELD`` on one coordinator (not her id), with
    CODEOWNERS in the same commit."""
    change = session.change(root, "coordinator edit")
    doc, i = _entry(change, rid)
    for text in assignments:
        field, sep, raw = text.partition("=")
        field = field.strip()
        if not sep:
            raise UsageError("edit.bad_set", text=text)
        _editable(field)
        value = _regions(Listed(change.index), [raw]) if field == "regions" else \
            _value(field, raw, f"--set {field}")
        if field == "email":
            _email_free(change, value, rid)
        editing.set_path(doc, "coordinators", ("coordinators", i, field), value)
    for field in removals:
        _editable(field)
        if field in (schemas.subschema("coordinators", ENTRY) or {}).get("required", ()):
            raise UsageError("coordinator.required", field=field)
        editing.remove_path(doc, ("coordinators", i, field))
    _with_owners(change)
    summary = ", ".join([a.partition("=")[0].strip() for a in assignments] + list(removals))
    return change.save(f"{rid} {summary}", commit=commit, dry_run=dry_run)


def _editable(field: str) -> None:
    if field not in EDITABLE:
        raise UsageError("coordinator.not_editable", field=field, fields=", ".join(EDITABLE))


def retire(root: Path, rid: str, on: dt.date, reason: str | None = None, *, commit: bool = True,
           dry_run: bool = False):
    """Coordinator ``rid`` retired from ``on``: out of CODEOWNERS, in the same commit."""
    change = session.change(root, "coordinator retire", as_of=on)
    doc, i = _entry(change, rid)
    before = doc["coordinators"][i].get("retired")
    if before:
        raise Refused("coordinator.retired_already", id=rid, on=before.get("on", "-"))
    retired = {"on": on.isoformat()}
    if reason and normalised(reason).strip():
        retired["reason"] = normalised(reason).strip()
    editing.set_path(doc, "coordinators", ("coordinators", i, "retired"), retired)
    _with_owners(change)
    return change.save(t("commit.retired", id=rid), commit=commit, dry_run=dry_run)


def listing(root: Path, *, every: bool = False) -> list[dict]:
    """The coordinators (those retired too with ``every``), as listed."""
    data = session.records(root).index.singleton("coordinators") or {}
    return [{"id": c.get("id"), "name": c.get("name"), "email": c.get("email"),
             "roles": list(c.get("roles") or ()), "regions": list(c.get("regions") or ()),
             "signing_keys": len(c.get("signing_keys") or ()), "retired": c.get("retired")}
            for c in data.get("coordinators") or () if isinstance(c, dict) and (every or not c.get("retired"))]


def holds_data_key(root: Path, rid: str) -> bool:
    """Whether keys.yaml wraps the data key for ``rid`` (a retired coordinator's is removed by
    ``aimama keys remove`` and then rotated, which aimama leaves to a person with the key)."""
    from aimama_cli.store.sealing import keyring

    if not (Path(root) / keyring.KEYS_FILE).is_file():
        return False
    try:
        return keyring.read(root).find(rid) is not None
    except UsageError:
        return False

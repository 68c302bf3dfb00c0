"""The coordinators of ``records/coordinators.yaml`` as audit, history and ``--as`` see them: in
the work tree (``--as``) or as committed in a revision (the base of an audited range)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.store import gitio, layout
from aimama_cli.store.yamlio import YamlProblem, decode, parse

COORDINATORS = f"{layout.RECORDS}/coordinators.yaml"
# an SSH public key as `signing_keys` lists it (the schema's pattern): type, base64, comment
_KEY = re.compile(r"(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com"
                  r"|sk-ecdsa-sha2-nistp256@openssh\.com) +([A-Za-z0-9+/]+={0,3})(?: [^\n\r]*)?")


@dataclass(frozen=True)
class Coordinator:
    id: str
    name: str
    email: str
    roles: frozenset
    regions: tuple
    signing_keys: tuple = ()  # SSH public keys as "type base64", without their comments
    retired_on: str | None = None  # `aimama coordinator retire`: she acts for no one from then

    def may(self, role: str) -> bool:
        return role in self.roles or "admin" in self.roles

    def covers(self, code) -> bool:
        return isinstance(code, str) and any(code.startswith(p) for p in self.regions)


def public_key(text) -> str | None:
    """``type base64`` of an SSH public key line (its comment dropped); None if it is not one."""
    found = _KEY.fullmatch(text.strip()) if isinstance(text, str) else None
    return f"{found.group(1)} {found.group(2)}" if found else None


def coordinators(data) -> list[Coordinator]:
    """The coordinators of a coordinators.yaml's data; entries without an id are left out, and
    so is a signing key that is not an SSH public key (``check`` reports both)."""
    listed = data.get("coordinators") if isinstance(data, dict) else None
    found = []
    for c in listed if isinstance(listed, list) else ():
        if not (isinstance(c, dict) and isinstance(c.get("id"), str)):
            continue
        roles, regions, keys = (c.get(f) if isinstance(c.get(f), list) else []
                                for f in ("roles", "regions", "signing_keys"))
        retired = c.get("retired") if isinstance(c.get("retired"), dict) else {}
        found.append(Coordinator(c["id"], str(c.get("name") or ""), str(c.get("email") or ""),
                                 frozenset(map(str, roles)), tuple(map(str, regions)),
                                 tuple(k for k in map(public_key, keys) if k),
                                 str(retired["on"]) if retired.get("on") else None))
    return found


def data_of(raw: bytes | None):
    """A YAML file's plain data; None when it is missing or does not parse."""
    if raw is None:
        return None
    try:
        return parse(decode(raw)).data
    except YamlProblem:
        return None


def at(tree: gitio.Worktree, rev: str) -> list[Coordinator]:
    """The coordinators as committed in ``rev``."""
    name = f"{rev}:{tree.prefix}{COORDINATORS}"
    return coordinators(data_of(gitio.read_blobs(tree.top, [name]).get(name)))


def by_email(people: list[Coordinator]) -> dict[str, Coordinator]:
    """Coordinators by e-mail, in any case (how audit matches a commit's author)."""
    return {p.email.lower(): p for p in people if p.email}


def coordinator(root: Path, cid: str) -> Coordinator:
    """Coordinator ``cid`` (her id, or her name when no other coordinator has it) as
    records/coordinators.yaml in the work tree lists her (``--as``); an unknown id is a usage
    error."""
    try:
        data = data_of((root / COORDINATORS).read_bytes())
    except OSError:
        data = None
    listed = [p for p in coordinators(data) if p.email]
    found = [p for p in listed if p.id == cid] or [p for p in listed if p.name == cid.strip()]  # or her name
    if len(found) == 1 and found[0].retired_on:
        raise UsageError("as.retired", id=found[0].id, on=found[0].retired_on)
    if len(found) == 1:
        return found[0]
    raise UsageError("as.unknown", id=cid, path=COORDINATORS,
                     known=", ".join(p.id for p in listed) or "-")

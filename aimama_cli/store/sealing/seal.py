"""Sealing what a change writes: in an encrypted repository, every plaintext sensitive value a
command is about to write is encrypted first (its unchanged values keep their ciphertext)."""

from __future__ import annotations

from pathlib import Path

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.store import schemas
from aimama_cli.store.analysis import field_name
from aimama_cli.store.sealing import crypto, keyring
from aimama_cli.store.sealing.crypto import BLIND_FIELD, BLIND_KINDS, MAC_FIELD, DecryptFailed
from aimama_cli.store.sealing.sealed import encryption_on
from aimama_cli.store.yamlio import YamlProblem, decode, load_roundtrip_text, parse

SENSITIVE_KINDS = tuple(k for k in schemas.KINDS if schemas.info(k).sensitive)


def _needs_sealing(kind: str, data) -> tuple | None:
    """The first path that sealing would change: a plaintext sensitive value, or a blind index
    left behind by an ID number that went."""
    plain = crypto.plaintext_values(kind, data)
    if plain:
        return plain[0][0]
    if kind in BLIND_KINDS and data.get(BLIND_FIELD) and data.get("id_number") in (None, ""):
        return (BLIND_FIELD,)
    return None


def _moved(kind: str, data, old) -> tuple | None:
    """Where the record's MAC would go stale: an encrypted value that is not, at its place,
    what the file holds now (moved, removed, or new), or a MAC dropped or changed; None when
    the MAC still holds (a change to other fields needs no key; so does one to a record sealed
    before MACs existed, which ``check`` reports until a key holder saves it: AM513)."""
    old = old or {}
    now, before = dict(crypto.encrypted_values(kind, data)), dict(crypto.encrypted_values(kind, old))
    changed = sorted(now.keys() ^ before.keys(), key=str) + [p for p in now if p in before and now[p] != before[p]]
    if changed:
        return changed[0]
    return (MAC_FIELD,) if data.get(MAC_FIELD) != old.get(MAC_FIELD) else None


def seal_change(change) -> None:
    """Encrypt the plaintext sensitive values of every record ``change`` is about to write, and
    bring their MACs up to date: with the key; without it, only changes that leave every
    encrypted value where it was (and so the MAC right) can be written."""
    if not encryption_on(change.root):
        return
    for path, doc in list(change.docs.items()):
        kind = change.kinds.get(path)
        if kind not in SENSITIVE_KINDS:
            continue
        data = _data(doc)
        if data is None:
            continue
        where, key, old = _needs_sealing(kind, data), "crypto.needs_key", None
        if where is None and (crypto.encrypted_values(kind, data) or data.get(MAC_FIELD)):
            old = on_disk(change.root / path)  # read only for records with something sealed
            where, key = _moved(kind, data, old), "crypto.mac_needs_key"
        if where is None:
            continue
        old = old if old is not None else on_disk(change.root / path)
        # the key the change is judged with: the coordinator's, or the new one of encrypt and
        # keys rotate (which seal every record themselves)
        sealer = crypto.active() or keyring.sealer(change.root)
        if sealer is None:
            raise UsageError(key, path=path, field=field_name(where), env=keyring.IDENTITY_ENV)
        if not crypto.plaintext_values(kind, data) and sealer.mac_matches(kind, data):
            continue  # sealed already
        if old and old.get(MAC_FIELD) and not sealer.mac_matches(kind, old):
            raise Refused("crypto.mac_mismatch", path=path)  # sealing again would hide the tampering
        if isinstance(doc, str):  # typed in an editor: round-trip it, comments kept
            doc = change.docs[path] = load_roundtrip_text(doc)
        try:
            sealer.seal(kind, doc, old)
        except DecryptFailed:
            raise UsageError("crypto.cannot_seal", path=path, field=field_name(where)) from None


def _data(doc):
    if not isinstance(doc, str):
        return doc
    try:
        return parse(doc).data
    except YamlProblem:
        return None  # the change is refused for it when judged


def on_disk(path: Path):
    try:
        return parse(decode(path.read_bytes())).data
    except (OSError, YamlProblem):
        return None

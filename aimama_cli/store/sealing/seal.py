"""Sealing what a change writes: in an encrypted repository, every plaintext sensitive value a
command is about to write is encrypted first (its unchanged values keep their ciphertext)."""

from __future__ import annotations

from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.store import schemas
from aimama_cli.store.analysis import field_name
from aimama_cli.store.sealing import crypto, keyring
from aimama_cli.store.sealing.crypto import BLIND_FIELD, BLIND_KINDS, DecryptFailed
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


def seal_change(change) -> None:
    """Encrypt the plaintext sensitive values of every record ``change`` is about to write."""
    if not encryption_on(change.root):
        return
    for path, doc in list(change.docs.items()):
        kind = change.kinds.get(path)
        if kind not in SENSITIVE_KINDS:
            continue
        data = _data(doc)
        where = _needs_sealing(kind, data) if data is not None else None
        if where is None:
            continue
        sealer = keyring.sealer(change.root)
        if sealer is None:
            raise UsageError("crypto.needs_key", path=path, field=field_name(where), env=keyring.IDENTITY_ENV)
        if isinstance(doc, str):  # typed in an editor: round-trip it, comments kept
            doc = change.docs[path] = load_roundtrip_text(doc)
        try:
            sealer.seal(kind, doc, on_disk(change.root / path))
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

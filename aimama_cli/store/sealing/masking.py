"""Sensitive values as they are shown unless ``--reveal``: enough to tell two apart, not
enough to use (``4306**********1234``, ``138****0000``).  An encrypted value is shown as
``[encrypted]`` wherever it is, revealed or not: its ciphertext means nothing to a reader."""

from __future__ import annotations

from aimama_cli.core.text import masked_id_number, masked_phone
from aimama_cli.store import schemas
from aimama_cli.store.sealing.sealed import MAC_FIELD, is_encrypted, shown

HIDDEN = "******"


def mask(value, field: str | None = None):
    """The masked form of one sensitive value."""
    if value is None or value == "":
        return value
    if is_encrypted(value):
        return shown()
    if isinstance(value, list):
        return [mask(v, field) for v in value]
    if isinstance(value, dict):
        return {k: mask(v, k) for k, v in value.items()}
    text = str(value)
    if field == "id_number" or (len(text) == 18 and text[:17].isdigit()):
        return masked_id_number(text)
    if field == "phone" or (len(text) == 11 and text.isdigit()):
        return masked_phone(text)
    return HIDDEN


def is_sensitive(kind: str, path: tuple) -> bool:
    return schemas.pattern_of(path) in schemas.info(kind).sensitive


def masked(kind: str, data, path: tuple = ()):
    """A copy of record ``data`` with every field the schema marks ``x-sensitive`` masked (and
    any encrypted value shown as such)."""
    if path and is_sensitive(kind, path):
        return mask(data, path[-1] if isinstance(path[-1], str) else None)
    if isinstance(data, dict):
        return {k: masked(kind, v, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [masked(kind, v, path + (i,)) for i, v in enumerate(data)]
    return shown() if is_encrypted(data) else data


def unsealed(data):
    """``data`` as ``--reveal`` shows it: in the clear, except values still encrypted (read
    without the key), shown as ``[encrypted]``, never as ciphertext."""
    if is_encrypted(data):
        return shown()
    if isinstance(data, dict):
        return {k: unsealed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unsealed(v) for v in data]
    return data


def displayed(kind: str, data, reveal: bool):
    """Record ``data`` as a command shows it: masked, or revealed with ``--reveal``; without its
    MAC, bookkeeping that reads "[encrypted]" either way."""
    if isinstance(data, dict) and MAC_FIELD in data:
        data = {k: v for k, v in data.items() if k != MAC_FIELD}
    return unsealed(data) if reveal else masked(kind, data)

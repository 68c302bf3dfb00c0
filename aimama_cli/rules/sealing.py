"""Encrypted values (issue 8): what can be told of them with and without the key.

Without the key a check sees only ENC[…] strings: their shape is the schema's, and an
encrypted ID number must carry its blind index, through which duplicates are found (AM306).
With the key (``AIMAMA_AGE_IDENTITY``), values that do not decrypt are reported (AM110) and
every other rule judges the plaintext.
"""

from __future__ import annotations

from aimama_cli.core.registry import FILE, register, rule
from aimama_cli.store.sealing import crypto
from aimama_cli.store.sealing.crypto import BLIND_FIELD, BLIND_KINDS
from aimama_cli.store.sealing.sealed import is_encrypted

register("AM110", FILE)  # reported by analysis.analyse when the key is present


@rule("AM511", "AM512", scope=FILE, kinds=BLIND_KINDS)
def blind_index(ctx):
    """An encrypted ID number carries its blind index, and no record keeps an index without
    a number; with the key, the index is the one the number gives."""
    stored = ctx.as_stored
    number, index = stored.get("id_number"), stored.get(BLIND_FIELD)
    if is_encrypted(number) and not index:
        yield ctx.problem("AM511", ("id_number",), missing=BLIND_FIELD)
    elif index and number in (None, ""):
        yield ctx.problem("AM511", (BLIND_FIELD,), missing="id_number")
    sealer = crypto.active()
    plain = ctx.data.get("id_number")
    if sealer and index and isinstance(plain, str) and not is_encrypted(plain) and sealer.blind(plain) != index:
        yield ctx.problem("AM512", (BLIND_FIELD,))

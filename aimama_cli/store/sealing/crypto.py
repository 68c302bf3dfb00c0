"""Values-only encryption of sensitive fields, in the manner of sops (issue 8).

Each leaf value the schema marks ``x-sensitive`` is stored as
``ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]``: AES-256-GCM from ``cryptography``, a fresh
96-bit random IV per value, and as authenticated data the record's identity and the field's
key path (``C430621-25AZ81EC:guardian.phone``), so a value pasted into another record or field
does not decrypt.  Keys, structure and every other field stay readable, so a pull request
still shows which fields changed.

List indexes are left out of the key path (``entries.*.details``): entries of an activity log
are inserted in date order, and an index in the authenticated data would break every value
after the insertion point.

Since the authenticated data leaves list positions and history out, a record also carries a MAC
(``sealed_mac``, as sops has ``mac``): HMAC-SHA256 over every encrypted value as stored, each
with its place including list positions (``entries[3].details``), the record's identity and the
key id, itself stored encrypted.  A value deleted, put back from an older version, or moved
within the file (two log entries' details swapped) leaves the MAC wrong.

The repository's data key (see :mod:`keyring`) is never used directly: HKDF derives one key
for values, one for the blind index of ID numbers, one for the MAC and a short public key id
from it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from aimama_cli.store import schemas
from aimama_cli.store.sealing.sealed import MAC_FIELD, is_encrypted

BLIND_FIELD = "id_number_index"  # beside id_number: its keyed hash, so duplicates are found without the key
BLIND_KINDS = ("child", "volunteer")
BLIND_LENGTH = 32  # hex digits of HMAC-SHA256 kept (128 bits: no accidental collisions)
IV_BYTES = 12
TAG_BYTES = 16
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


_active: list = [None]  # the sealer record analysis decrypts with (set with the index)


def activate(sealer: "Sealer | None") -> None:
    _active[0] = sealer


def active() -> "Sealer | None":
    return _active[0]


class DecryptFailed(Exception):
    """A value that does not open with this key and this place: tampered with, moved from
    another record or field, or sealed with another data key."""


@functools.lru_cache(maxsize=32)
def _derive(data_key: bytes, purpose: bytes, length: int = 32) -> bytes:
    from cryptography.hazmat.primitives import hashes  # imported when a key is used, not at start-up
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                info=b"aimama " + purpose).derive(data_key)


@functools.lru_cache(maxsize=8)  # once a key: an AESGCM object made for every value decrypted cost 5 % of a record
def _aead(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def record_identity(kind: str, data) -> str | None:
    """What binds a value to its record: the id; an activity log (named by its volunteer, one
    a year) is ``volunteer/year``."""
    if kind == "activity":
        volunteer, year = data.get("volunteer"), data.get("year")
        return f"{volunteer}/{year}" if volunteer and year else None
    rid = data.get("id")
    return str(rid) if rid else None


def key_path(path: tuple) -> str:
    """('entries', 3, 'details') -> 'entries.*.details'."""
    return ".".join("*" if isinstance(step, int) else str(step) for step in path)


def place(path: tuple) -> str:
    """('entries', 3, 'details') -> 'entries[3].details': a value's place, positions kept."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


def aad(identity: str, path: tuple) -> bytes:
    return f"{identity}:{key_path(path)}".encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _text(value) -> tuple[str, str]:
    """The plaintext bytes' text and the type name written in the ENC value."""
    if isinstance(value, bool):
        return ("True" if value else "False"), "bool"
    if isinstance(value, int):
        return str(value), "int"
    if isinstance(value, float):
        return repr(value), "float"
    return str(value), "str"


def _typed(text: str, type_name: str):
    if type_name == "bool":
        return text == "True"
    return _TYPES[type_name](text)


@dataclass(frozen=True)
class Sealer:
    """Encrypts and decrypts values with one repository data key."""

    data_key: bytes

    @property
    def key_id(self) -> str:
        """A public fingerprint of the data key (in keys.yaml and the index cache key)."""
        return _derive(self.data_key, b"key id", 8).hex()

    def _aes(self):
        return _aead(_derive(self.data_key, b"values"))

    def encrypt(self, value, identity: str, path: tuple) -> str:
        text, type_name = _text(value)
        iv = os.urandom(IV_BYTES)
        sealed = self._aes().encrypt(iv, text.encode("utf-8"), aad(identity, path))
        data, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        return f"ENC[AES256_GCM,data:{_b64(data)},iv:{_b64(iv)},tag:{_b64(tag)},type:{type_name}]"

    def decrypt(self, value: str, identity: str, path: tuple):
        parts = parse(value)
        if parts is None:
            raise DecryptFailed(value)
        data, iv, tag, type_name = parts
        from cryptography.exceptions import InvalidTag

        try:
            text = self._aes().decrypt(iv, data + tag, aad(identity, path)).decode("utf-8")
            return _typed(text, type_name)
        except (InvalidTag, ValueError):
            raise DecryptFailed(value) from None

    def blind(self, number) -> str:
        """The blind index of an ID number: a keyed hash, equal for equal numbers, useless
        without the key (ID numbers are too few to hide behind a plain hash)."""
        key = _derive(self.data_key, b"blind index")
        normal = str(number).strip().upper().encode("utf-8")
        return hmac.new(key, normal, hashlib.sha256).hexdigest()[:BLIND_LENGTH]

    # --- the MAC of a record ---------------------------------------------------------------

    def mac(self, kind: str, data) -> str:
        """HMAC-SHA256 over every encrypted value of record ``data`` as stored, with its place
        (list positions included), the record's identity and the key id."""
        values = sorted((place(path), value) for path, value in encrypted_values(kind, data))
        payload = json.dumps([self.key_id, record_identity(kind, data), values], ensure_ascii=False,
                             separators=(",", ":"))
        return hmac.new(_derive(self.data_key, b"mac"), payload.encode("utf-8"), hashlib.sha256).hexdigest()

    def mac_matches(self, kind: str, data) -> bool:
        """Whether the record's ``sealed_mac`` opens, and is the MAC of its encrypted values."""
        identity, stored = record_identity(kind, data), data.get(MAC_FIELD)
        if identity is None or not is_encrypted(stored):
            return False
        try:
            return hmac.compare_digest(str(self.decrypt(stored, identity, (MAC_FIELD,))), self.mac(kind, data))
        except DecryptFailed:
            return False

    def _seal_mac(self, kind: str, doc, identity: str, old) -> None:
        """Set ``sealed_mac`` of ``doc`` (a record once sealed keeps one, even with no value left:
        deleting its last value by hand must not go unseen); an unchanged MAC keeps its
        ciphertext, so an unchanged record makes no diff."""
        from aimama_cli.store.editing import set_path

        before = doc.get(MAC_FIELD) or (old or {}).get(MAC_FIELD)
        if not encrypted_values(kind, doc) and not before:
            return
        mac = self.mac(kind, doc)
        if not (is_encrypted(before) and self.opens_to(before, identity, (MAC_FIELD,), mac)):
            before = self.encrypt(mac, identity, (MAC_FIELD,))
        if doc.get(MAC_FIELD) != before:
            set_path(doc, kind, (MAC_FIELD,), before)

    # --- whole records --------------------------------------------------------------------

    def seal(self, kind: str, doc, old=None) -> list[tuple]:
        """Encrypt, in place, every plaintext sensitive value of record ``doc`` (a round-trip
        document: comments and key order stay).  A value equal to what ``old`` (the record as
        it was) holds keeps its old ciphertext, so an unchanged record makes no diff.  Sets or
        removes the blind index of the ID number.  Returns the paths sealed."""
        identity = record_identity(kind, doc)
        sealed = []
        for path, value in plaintext_values(kind, doc):
            if identity is None:
                raise DecryptFailed(key_path(path))
            previous = get(old, path)
            if is_encrypted(previous) and self.opens_to(previous, identity, path, value):
                new = previous
            else:
                new = self.encrypt(value, identity, path)
            get(doc, path[:-1])[path[-1]] = new
            sealed.append(path)
        if kind in BLIND_KINDS:
            self._index(kind, doc, identity)
        if identity is not None:
            self._seal_mac(kind, doc, identity, old)
        return sealed

    def opens_to(self, value: str, identity: str, path: tuple, plain) -> bool:
        try:
            return self.decrypt(value, identity, path) == plain
        except DecryptFailed:
            return False

    def _index(self, kind: str, doc, identity) -> None:
        from aimama_cli.store.editing import set_path

        number = doc.get("id_number")
        if number in (None, ""):
            doc.pop(BLIND_FIELD, None)
            return
        if is_encrypted(number):
            number = self.decrypt(number, identity, ("id_number",))
        index = self.blind(number)
        if doc.get(BLIND_FIELD) != index:
            set_path(doc, kind, (BLIND_FIELD,), index)

    def unseal(self, kind: str, data, identity: str | None = None) -> tuple[dict, list[tuple]]:
        """A deep copy of plain ``data`` with every sensitive value decrypted, and the paths of
        the values that did not decrypt (left as they are).  ``identity``: the record's, when
        ``data`` is only some of its fields (from the index)."""
        plain = _copy(data)
        identity = identity or record_identity(kind, data)
        failed = []
        for path, value in encrypted_values(kind, plain):
            try:
                if identity is None:
                    raise DecryptFailed(value)
                get(plain, path[:-1])[path[-1]] = self.decrypt(value, identity, path)
            except DecryptFailed:
                failed.append(path)
        return plain, failed


def parse(value: str):
    """(data, iv, tag, type) of an ENC value; None when it is not one."""
    if not is_encrypted(value):
        return None
    fields = dict(part.split(":", 1) for part in value[len("ENC[AES256_GCM,"):-1].split(","))
    try:
        raw = [base64.b64decode(fields[name], validate=True) for name in ("data", "iv", "tag")]
    except (ValueError, KeyError):
        return None
    if len(raw[1]) != IV_BYTES or len(raw[2]) != TAG_BYTES:
        return None
    return (*raw, fields["type"])


def sensitive_values(kind: str, data):
    """(path, value) of every sensitive leaf value present in ``data``."""
    for pattern in schemas.info(kind).sensitive:
        for path, value in schemas.iter_pattern(data, pattern):
            if value is not None and value != "" and not isinstance(value, (dict, list)):
                yield path, value


def plaintext_values(kind: str, data) -> list[tuple]:
    return [(p, v) for p, v in sensitive_values(kind, data) if not is_encrypted(v)]


def encrypted_values(kind: str, data) -> list[tuple]:
    return [(p, v) for p, v in sensitive_values(kind, data) if is_encrypted(v)]


get = schemas.get_path


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


"""The repository's data key, wrapped for each coordinator's age recipient, in ``keys.yaml``.

One random 256-bit data key per repository encrypts every sensitive value (:mod:`crypto`).
It is stored only wrapped: age-encrypted (``pyrage``, the age format; ASCII armour, so
``age -d -i KEY`` opens it too) once for each coordinator who may read sensitive fields.
A coordinator's identity (her age secret key) is a file given by ``--identity FILE`` or
``$AIMAMA_AGE_IDENTITY``; CI needs none, because checks run on the ciphertext.

keys.yaml is plain YAML a reviewer can read: the data key's public fingerprint (``key_id``)
and, per coordinator, her id, her recipient (public key) and the wrapped key.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.store.sealing.crypto import Sealer
from aimama_cli.store.sealing.sealed import KEYS_FILE, encryption_on
from aimama_cli.store.yamlio import YamlProblem, decode, parse

IDENTITY_ENV = "AIMAMA_AGE_IDENTITY"
ARMOR_BEGIN, ARMOR_END = "-----BEGIN AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE-----"
HEADER = ("# The data key that encrypts this repository's sensitive fields, wrapped (age) for each\n"
          "# coordinator who may read them. Managed by `aimama keys`; see docs/privacy.md.\n"
          "# Public keys and wrapped keys only: nothing here is secret.\n")

_identity_file: list[str | None] = [None]  # the global --identity option, for this command


def use_identity(path: str | None) -> None:
    """``aimama --identity FILE``: the age identity for this command (over the environment)."""
    _identity_file[0] = path


def identity_path() -> str | None:
    return _identity_file[0] or os.environ.get(IDENTITY_ENV) or None


@dataclass
class Entry:
    coordinator: str
    recipient: str
    wrapped: str
    added_on: str = ""


@dataclass
class Keyring:
    key_id: str
    entries: list[Entry] = field(default_factory=list)

    def find(self, coordinator: str) -> Entry | None:
        return next((e for e in self.entries if e.coordinator == coordinator), None)


# --- age ------------------------------------------------------------------------------------------

def _recipient(text: str):
    from pyrage import RecipientError, x25519

    try:
        return x25519.Recipient.from_str(text.strip())
    except (RecipientError, ValueError):
        raise UsageError("keys.bad_recipient", recipient=text) from None


def wrap(data_key: bytes, recipient: str) -> str:
    """The data key age-encrypted for ``recipient``, ASCII-armoured as age writes it."""
    import pyrage

    body = base64.b64encode(pyrage.encrypt(data_key, [_recipient(recipient)])).decode("ascii")
    return "\n".join([ARMOR_BEGIN, *textwrap.wrap(body, 64), ARMOR_END]) + "\n"


def _unarmor(text: str) -> bytes:
    lines = [line.strip() for line in text.strip().splitlines()]
    if lines[:1] != [ARMOR_BEGIN] or lines[-1:] != [ARMOR_END]:
        raise ValueError("not armoured")
    return base64.b64decode("".join(lines[1:-1]), validate=True)


def load_identity(path: str):
    """The age identity in file ``path`` (age-keygen's output: comment lines are skipped)."""
    from pyrage import IdentityError, x25519

    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("keys.identity_unreadable", path=path, detail=getattr(exc, "strerror", None) or exc) from None
    secret = next((line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")), None)
    try:
        if secret is None:
            raise ValueError
        return x25519.Identity.from_str(secret)
    except (IdentityError, ValueError):
        raise UsageError("keys.identity_invalid", path=path) from None


def unwrap(ring: Keyring, identity, path: str) -> bytes:
    """The data key, unwrapped with ``identity``; exit 2 when none of the entries is hers (a
    removed coordinator's key opens nothing in a keys.yaml written after her removal)."""
    import pyrage

    mine = str(identity.to_public())
    for entry in sorted(ring.entries, key=lambda e: e.recipient != mine):
        try:
            key = pyrage.decrypt(_unarmor(entry.wrapped), [identity])
        except (pyrage.DecryptError, ValueError):
            continue
        if Sealer(key).key_id == ring.key_id:
            return key
        raise UsageError("keys.fingerprint", path=KEYS_FILE, coordinator=entry.coordinator)
    raise UsageError("keys.not_recipient", identity=path, recipient=mine, path=KEYS_FILE)


# --- keys.yaml --------------------------------------------------------------------------------------

def read(root: Path) -> Keyring:
    path = Path(root) / KEYS_FILE
    try:
        parsed = parse(decode(path.read_bytes()))
    except (OSError, YamlProblem) as exc:
        raise UsageError("keys.unreadable", path=KEYS_FILE, line=getattr(exc, "line", 1)) from None
    data = parsed.data
    try:
        entries = [Entry(str(e["coordinator"]), str(e["recipient"]), str(e["wrapped"]), str(e.get("added_on") or ""))
                   for e in data.get("recipients") or []]
        return Keyring(str(data["key_id"]), entries)
    except (KeyError, TypeError, AttributeError):
        raise UsageError("keys.unreadable", path=KEYS_FILE, line=1) from None


def render(ring: Keyring) -> str:
    lines = [HEADER.rstrip("\n"), "version: 1", f"key_id: '{ring.key_id}'", "recipients:"]
    for e in ring.entries:
        lines += [f"  - coordinator: {e.coordinator}", f"    recipient: {e.recipient}"]
        if e.added_on:
            lines.append(f"    added_on: '{e.added_on}'")
        lines.append("    wrapped: |")
        lines += ["      " + line for line in e.wrapped.strip().splitlines()]
    return "\n".join(lines) + "\n"


def rewrapped(data_key: bytes, entries: list[Entry]) -> Keyring:
    """A keyring for ``data_key``, wrapped afresh for each of ``entries``' recipients."""
    return Keyring(Sealer(data_key).key_id,
                   [Entry(e.coordinator, e.recipient, wrap(data_key, e.recipient), e.added_on) for e in entries])


def new_data_key() -> bytes:
    return os.urandom(32)


# --- the key of a repository, for a command ----------------------------------------------------------

_cache: dict = {}


def sealer(root: Path, required: bool = False, why: str = "") -> Sealer | None:
    """The repository's sealer with the coordinator's identity; None when the repository is not
    encrypted, or (unless ``required``) when no identity is given.  With ``required``, a missing
    identity is exit 2 naming what needed it."""
    root = Path(root)
    if not encryption_on(root):
        return None
    path = identity_path()
    if not path:
        if required:
            raise UsageError("keys.no_identity", why=why or "", env=IDENTITY_ENV)
        return None
    stamp = (str(root.resolve()), path, (root / KEYS_FILE).stat().st_mtime_ns)
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = Sealer(unwrap(read(root), load_identity(path), path))
    return _cache[stamp]


def quiet_sealer(root: Path) -> Sealer | None:
    """:func:`sealer`, but None instead of an error (for reading: the index works without)."""
    try:
        return sealer(root)
    except UsageError:
        return None


def today() -> str:
    return dt.date.today().isoformat()


def refuse_last(ring: Keyring, coordinator: str) -> None:
    if [e.coordinator for e in ring.entries] == [coordinator]:
        raise Refused("keys.last", coordinator=coordinator)

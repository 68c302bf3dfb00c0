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
from aimama_cli.store.sealing.sealed import IDENTITY_ENV, KEYS_FILE, encryption_on, identity_path
from aimama_cli.store.sealing.sealed import use_identity as use_identity  # where it was
from aimama_cli.store.yamlio import YamlProblem, decode, parse

ARMOR_BEGIN, ARMOR_END = "-----BEGIN AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE-----"
HEADER = ("# The data key that encrypts this repository's sensitive fields, wrapped (age) for each\n"
          "# coordinator who may read them. Managed by `aimama keys`; see docs/privacy.md.\n"
          "# Public keys and wrapped keys only: nothing here is secret.\n")

@dataclass
class Entry:
    coordinator: str
    recipient: str
    wrapped: str
    added_on: str = ""


@dataclass
class Keyring:
    """keys.yaml.  ``serial`` counts its versions (every ``aimama encrypt`` or ``keys`` command
    writes the next), and ``previous_key_ids`` the data keys rotated away: so that CI, without a
    key, tells an older keys.yaml put back from history from a newer one (docs/privacy.md)."""

    key_id: str
    entries: list[Entry] = field(default_factory=list)
    serial: int = 0
    previous_key_ids: list[str] = field(default_factory=list)

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


IDENTITY_LIMIT = 64 * 1024  # age-keygen writes ~200 bytes; more is not an identity file (/dev/zero …)


def _identity_text(path: str) -> str:
    """The text of identity file ``path``: a regular file, read bounded (a device or a pipe
    given by mistake must not hang or exhaust memory)."""
    file = Path(path).expanduser()
    if file.exists() and not file.is_file():
        raise UsageError("keys.identity_not_file", path=path)
    try:
        with file.open("rb") as handle:
            raw = handle.read(IDENTITY_LIMIT + 1)
    except OSError as exc:
        raise UsageError("keys.identity_unreadable", path=path, detail=exc.strerror or exc) from None
    if len(raw) > IDENTITY_LIMIT:
        raise UsageError("keys.identity_invalid", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("keys.identity_invalid", path=path) from None


def load_identity(path: str):
    """The age identity in file ``path`` (age-keygen's output: comment lines are skipped)."""
    from pyrage import IdentityError, x25519

    text = _identity_text(path)
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
    if not path.exists():
        raise UsageError("keys.missing", path=KEYS_FILE)
    try:
        return parse_ring(path.read_bytes())
    except OSError as exc:
        raise UsageError("keys.unreadable", path=KEYS_FILE, line=1, detail=exc.strerror or exc) from None


def parse_ring(raw: bytes) -> Keyring:
    """The keyring in the bytes of a keys.yaml (this one, or one from history); exit 2 naming
    the line and what is wrong when it is not one."""
    try:
        parsed = parse(decode(raw))
    except YamlProblem as exc:
        from aimama_cli.core.i18n import t  # the reader's own message says what is wrong

        raise UsageError("keys.unreadable", path=KEYS_FILE, line=exc.line, detail=t(exc.code, **exc.params)) from None
    data = parsed.data

    def malformed(*where):
        return UsageError("keys.malformed", path=KEYS_FILE, line=parsed.locate(where)[0],
                          field=".".join(map(str, where)))

    if not isinstance(data.get("key_id"), str) or not data["key_id"]:
        raise malformed("key_id")
    recipients = data.get("recipients") or []
    if not isinstance(recipients, list):
        raise malformed("recipients")
    entries = []
    for i, e in enumerate(recipients):
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("coordinator", "recipient", "wrapped"))):
            raise malformed("recipients", i)
        entries.append(Entry(e["coordinator"], e["recipient"], e["wrapped"], str(e.get("added_on") or "")))
    serial = data.get("serial", 0)
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
        raise malformed("serial")
    previous = data.get("previous_key_ids") or []
    if not (isinstance(previous, list) and all(isinstance(k, str) for k in previous)):
        raise malformed("previous_key_ids")
    return Keyring(data["key_id"], entries, serial, previous)


def render(ring: Keyring) -> str:
    lines = [HEADER.rstrip("\n"), "version: 1", f"serial: {ring.serial}", f"key_id: '{ring.key_id}'"]
    if ring.previous_key_ids:
        lines += ["previous_key_ids:"] + [f"  - '{k}'" for k in ring.previous_key_ids]
    lines.append("recipients:")
    for e in ring.entries:
        lines += [f"  - coordinator: {e.coordinator}", f"    recipient: {e.recipient}"]
        if e.added_on:
            lines.append(f"    added_on: '{e.added_on}'")
        lines.append("    wrapped: |")
        lines += ["      " + line for line in e.wrapped.strip().splitlines()]
    return "\n".join(lines) + "\n"


def rewrapped(data_key: bytes, entries: list[Entry], before: Keyring | None = None) -> Keyring:
    """The keyring after ``before`` (None: the first) for ``data_key``, wrapped afresh for each
    of ``entries``' recipients: the next serial, and the key it replaces among the previous."""
    key_id = Sealer(data_key).key_id
    previous = list(before.previous_key_ids) if before else []
    if before and before.key_id != key_id and before.key_id not in previous:
        previous.append(before.key_id)
    return Keyring(key_id, [Entry(e.coordinator, e.recipient, wrap(data_key, e.recipient), e.added_on) for e in entries],
                   (before.serial if before else 0) + 1, previous)


def next_version(ring: Keyring) -> Keyring:
    """``ring`` as the next version of keys.yaml (an entry added in place)."""
    return Keyring(ring.key_id, ring.entries, ring.serial + 1, ring.previous_key_ids)


def rewound(base: Keyring, head: Keyring) -> bool:
    """Whether keys.yaml ``head`` is older than ``base`` or was changed behind aimama's back:
    a lower serial, the same serial with other content, a data key already rotated away, or a
    rotation that does not name the key it replaced."""
    if head.serial < base.serial or head.key_id in base.previous_key_ids:
        return True
    if not set(base.previous_key_ids) <= set(head.previous_key_ids):
        return True
    if head.serial == base.serial:
        return head != base
    return head.key_id != base.key_id and base.key_id not in head.previous_key_ids


def new_data_key() -> bytes:
    return os.urandom(32)


# --- the key of a repository, for a command ----------------------------------------------------------

_cache: dict = {}


def sealer(root: Path, required: bool = False, why: str = "") -> Sealer | None:
    """The repository's sealer with the coordinator's identity; None when the repository is not
    encrypted, or (unless ``required``) when no identity is given or keys.yaml is missing (its
    records are read without a key: ``check`` reports the missing file, AM515, and a past
    revision may predate it).  With ``required``, either is exit 2 naming what needed it."""
    root = Path(root)
    if not encryption_on(root):
        return None
    path = identity_path()
    if not path:
        if required:
            raise UsageError("keys.no_identity", why=why or "", env=IDENTITY_ENV)
        return None
    try:
        keys = (root / KEYS_FILE).stat()
    except OSError:
        load_identity(path)  # an identity given is still one that can be read
        if required:
            raise UsageError("keys.missing", path=KEYS_FILE) from None
        return None
    stamp = (str(root.resolve()), path, keys.st_mtime_ns, keys.st_size)
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = Sealer(unwrap(read(root), load_identity(path), path))
    return _cache[stamp]


def quiet_sealer(root: Path) -> Sealer | None:
    """:func:`sealer` for reading: None when no identity is given (the index works without a
    key).  Never silently keyless when a key was meant: an identity given that cannot be read,
    is not one, or opens nothing in keys.yaml, and a keys.yaml that does not parse, are exit 2
    (a check that quietly skipped the rules on the plaintext would pass what it never saw)."""
    root = Path(root)
    if (root / KEYS_FILE).is_file():
        _checked(root)
    return sealer(root)


def _checked(root: Path) -> Keyring:
    """keys.yaml read once per content (every command reads it: a broken one is exit 2)."""
    path = root / KEYS_FILE
    stat = path.stat()
    stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if _rings.get("stamp") != stamp:
        _rings.update(stamp=stamp, ring=read(root))
    return _rings["ring"]


_rings: dict = {}


def today() -> str:
    return dt.date.today().isoformat()


def refuse_last(ring: Keyring, coordinator: str) -> None:
    if [e.coordinator for e in ring.entries] == [coordinator]:
        raise Refused("keys.last", coordinator=coordinator)

"""What any module may know of encrypted values without a key: their shape, and whether a
repository keeps its sensitive fields encrypted (issue 8).

A sensitive leaf value is stored in the manner of sops:
``ENC[AES256_GCM,data:<base64>,iv:<base64>,tag:<base64>,type:str]``; the record id and the
key path are its authenticated data. ``crypto`` makes and opens them; everything else only
needs to recognise them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

KEYS_FILE = "keys.yaml"  # at the root, beside aimama.yaml: the data key wrapped for each coordinator
MAC_FIELD = "sealed_mac"  # a record's MAC of its encrypted values (top level, last): see crypto
IDENTITY_ENV = "AIMAMA_AGE_IDENTITY"  # the age identity's file, when --identity is not given
_B64 = r"[A-Za-z0-9+/]*={0,2}"
ENCRYPTED = re.compile(
    rf"^ENC\[AES256_GCM,data:{_B64},iv:{_B64},tag:{_B64},type:(str|int|float|bool)\]$")


def shown() -> str:
    """What a value is shown as when it cannot, or may not, be decrypted: "[encrypted]" in the
    language in force ("[已加密]"), one object per language so that callers may test ``is``."""
    from aimama_cli.core.i18n import language, t  # here: the index's workers read ENC values, never show one

    lang = language()
    if lang not in _SHOWN:
        _SHOWN[lang] = t("sealing.shown")
    return _SHOWN[lang]


_SHOWN: dict[str, str] = {}


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith("ENC[") and bool(ENCRYPTED.match(value))


_identity_file: list[str | None] = [None]  # the global --identity option, for this command


def use_identity(path: str | None) -> None:
    """``aimama --identity FILE``: the age identity for this command (over the environment).
    Kept here, not in keyring, so that a command that never meets a key does not import it."""
    _identity_file[0] = path


def identity_path() -> str | None:
    return _identity_file[0] or os.environ.get(IDENTITY_ENV) or None


REQUIRED = "required"  # aimama.yaml ``encryption: required``, written by ``aimama encrypt``


def encryption_on(root: Path) -> bool:
    """A repository is encrypted once it holds the wrapped data key, or once its aimama.yaml
    requires encryption (then a keys.yaml deleted does not turn encryption off: it is missing)."""
    return (Path(root) / KEYS_FILE).is_file() or encryption_required(root)


def encryption_required(root: Path) -> bool:
    return required_in(_config_bytes(Path(root) / "aimama.yaml"))


def required_in(config: bytes | None) -> bool:
    """Whether the bytes of an aimama.yaml (this one, or one from history) say ``encryption:
    required``."""
    if not config:
        return False
    from aimama_cli.store.yamlio import YamlProblem, decode, parse

    try:
        data = parse(decode(config)).data
    except (YamlProblem, ValueError):
        return False  # the check reports the file itself
    return data.get("encryption") == REQUIRED


def _config_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None

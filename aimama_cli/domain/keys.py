"""Encrypting a repository, managing its keys, and sealing what commands write (issue 8).

Every change to records goes through :class:`store.Change`; before its texts are judged and
written, :func:`seal_change` encrypts the plaintext sensitive values in them (or refuses, exit 2,
when the repository is encrypted and no key was given).  ``aimama encrypt`` and
``aimama keys rotate`` rewrite every record that holds sensitive values in one change, so one
commit, with keys.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.core.problems import field_name
from aimama_cli.domain import session
from aimama_cli.store import layout
from aimama_cli.store.sealing import crypto, keyring
from aimama_cli.store.sealing.crypto import BLIND_FIELD, MAC_FIELD, DecryptFailed, Sealer
from aimama_cli.store.sealing.sealed import KEYS_FILE, REQUIRED, encryption_on
from aimama_cli.store.yamlio import YamlProblem, decode, dump_roundtrip, load_roundtrip, locate, parse

# --- reading encrypted values --------------------------------------------------------------------

def reveal_values(root: Path, kind: str, path: str, data: dict) -> dict:
    """``data`` with its sensitive values decrypted, for ``--reveal``: exit 2 without a key or
    when a value does not decrypt (naming file, line and field)."""
    if not crypto.encrypted_values(kind, data):
        return data
    sealer = keyring.sealer(root, required=True, why="--reveal")
    if sealer is None:  # ENC values but no keys.yaml: nothing opens them, shown as [encrypted]
        return data
    plain, failed = sealer.unseal(kind, data)
    if failed:
        raise undecryptable(root, path, failed[0])
    return plain


def readable(index, kind: str, data: dict, identity: str | None = None) -> dict:
    """``data`` (a record, or its indexed fields with ``identity``, its id) with its sensitive
    values decrypted when the coordinator's key is present — to be masked, or shown in full with
    ``--reveal``; as it is without a key (shown as [encrypted])."""
    if index.sealer is None or not isinstance(data, dict) or not crypto.encrypted_values(kind, data):
        return data
    return index.sealer.unseal(kind, data, identity)[0]


def to_show(records, kind: str, rid: str, data: dict, reveal: bool) -> dict:
    """Record ``data`` as ``show`` needs it: decrypted for ``--reveal`` (exit 2 without the
    key), else decrypted when the key is at hand, to be shown masked (``4306**********1234``);
    ``[encrypted]`` only where no key opens it."""
    if reveal:
        return reveal_values(records.root, kind, records.path_of(rid, kind), data)
    return readable(records.index, kind, data)


def key_to_reveal(root: Path) -> None:
    """``--reveal`` in an encrypted repository needs the key: exit 2 without it."""
    keyring.sealer(root, required=True, why="--reveal")


def undecryptable(root: Path, path: str, where: tuple) -> UsageError:
    try:
        line = locate(parse(decode((Path(root) / path).read_bytes())).root, where)[0]
    except (OSError, YamlProblem):
        line = 1
    return UsageError("crypto.undecryptable", path=path, line=line, field=field_name(where))


# --- whole repository ---------------------------------------------------------------------------

@dataclass
class Done:
    paths: list[str]
    commit: str | None
    key_id: str


def _rewrite(root: Path, command: str, summary: str, records: list[str], new: Sealer,
             old: Sealer | None, ring: keyring.Keyring, commit: bool) -> Done:
    """Every record with sensitive values decrypted with ``old`` (if any) and sealed with
    ``new``; keys.yaml written as ``ring``; all of it judged, written and committed as one
    change (keys.yaml and the records it opens never part: a crash between them would lose the
    key)."""
    from aimama_cli.store.editing import set_path
    from aimama_cli.store.sealing.seal import SENSITIVE_KINDS, on_disk

    change = session.change(root, command)
    for path, kind in change.index.files_of_kinds(SENSITIVE_KINDS):
        data = on_disk(root / path)
        if data is None or not (list(crypto.sensitive_values(kind, data)) or data.get(BLIND_FIELD)
                                or data.get(MAC_FIELD)):
            continue
        doc = change.load_file(path)
        identity = crypto.record_identity(kind, doc)
        for where, value in crypto.encrypted_values(kind, doc):
            if old is None:
                raise undecryptable(root, path, where)
            try:
                crypto.get(doc, where[:-1])[where[-1]] = old.decrypt(value, identity, where)
            except DecryptFailed:
                raise undecryptable(root, path, where) from None
        try:
            new.seal(kind, doc)
        except DecryptFailed:
            raise undecryptable(root, path, ()) from None
    crypto.activate(new)  # judged as the index will read them: with the new key
    config = load_roundtrip(root / layout.CONFIG)
    if config.get("encryption") != REQUIRED:  # from now on, CI refuses a change that undoes it
        set_path(config, "config", ("encryption",), REQUIRED)
        change.put_file(layout.CONFIG, dump_roundtrip(config))
    for rid in records:
        change.mention(rid)
    change.put_file(KEYS_FILE, keyring.render(ring))
    saved = change.save(summary, commit=commit)
    return Done(saved.paths, saved.commit, new.key_id)


def _coordinator(root: Path, coordinator: str) -> None:

    if not session.open_index(root).defined(coordinator, "coordinator"):
        raise UsageError("id.unknown", id=coordinator, kind="coordinator")


def encrypt_repository(root: Path, coordinator: str, recipient: str, commit: bool = True) -> Done:
    """``aimama encrypt``: a new data key, wrapped for ``coordinator``, and every sensitive value
    of every record encrypted with it, in one commit."""
    if encryption_on(root):
        raise UsageError("encrypt.already", path=KEYS_FILE)
    _coordinator(root, coordinator)
    data_key = keyring.new_data_key()
    entry = keyring.Entry(coordinator, recipient.strip(), "", keyring.today())
    ring = keyring.rewrapped(data_key, [entry])
    return _rewrite(root, "encrypt", t("commit.encrypted", coordinator=coordinator), [coordinator],
                    Sealer(data_key), None, ring, commit)


def rotate(root: Path, commit: bool = True) -> Done:
    """``aimama keys rotate``: a new data key; every value re-encrypted with it and wrapped for
    every coordinator, in one commit.  History keeps the old ciphertext (docs/privacy.md)."""
    old = keyring.sealer(root, required=True, why="keys rotate")
    ring = keyring.read(root)
    new = Sealer(keyring.new_data_key())
    return _rewrite(root, "keys rotate", t("commit.key_rotated", key=new.key_id), [], new, old,
                    keyring.rewrapped(new.data_key, ring.entries, ring), commit)


def _save_ring(root: Path, ring: keyring.Keyring, command: str, summary: str, coordinator: str,
               commit: bool) -> Done:
    change = session.change(root, command)
    change.mention(coordinator)
    change.put_file(KEYS_FILE, keyring.render(ring))
    saved = change.save(summary, commit=commit)
    return Done(saved.paths, saved.commit, ring.key_id)


def add(root: Path, coordinator: str, recipient: str, commit: bool = True) -> Done:
    """``aimama keys add``: the data key wrapped for one more coordinator."""
    sealer = keyring.sealer(root, required=True, why="keys add") if encryption_on(root) else None
    if sealer is None:
        raise UsageError("keys.not_encrypted", path=KEYS_FILE)
    _coordinator(root, coordinator)
    ring = keyring.read(root)
    if ring.find(coordinator):
        raise UsageError("keys.exists", coordinator=coordinator)
    ring.entries.append(keyring.Entry(coordinator, recipient.strip(),
                                      keyring.wrap(sealer.data_key, recipient), keyring.today()))
    return _save_ring(root, keyring.next_version(ring), "keys add", t("commit.key_added", coordinator=coordinator),
                      coordinator, commit)


def remove(root: Path, coordinator: str, commit: bool = True) -> Done:
    """``aimama keys remove``: her entry gone, the data key wrapped afresh for the others.  She
    may still know the data key: only ``keys rotate`` makes new values unreadable to her."""
    if not encryption_on(root):
        raise UsageError("keys.not_encrypted", path=KEYS_FILE)
    ring = keyring.read(root)
    if ring.find(coordinator) is None:
        raise UsageError("keys.absent", coordinator=coordinator)
    keyring.refuse_last(ring, coordinator)
    sealer = keyring.sealer(root, required=True, why="keys remove")
    rest = [e for e in ring.entries if e.coordinator != coordinator]
    return _save_ring(root, keyring.rewrapped(sealer.data_key, rest, ring), "keys remove",
                      t("commit.key_removed", coordinator=coordinator), coordinator, commit)

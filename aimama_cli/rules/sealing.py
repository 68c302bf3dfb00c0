"""Encrypted values (issue 8) and their tamper evidence (issue 18): what can be told of them
with and without the key.

Without the key a check sees only ENC[…] strings: their shape is the schema's, an encrypted ID
number must carry its blind index, through which duplicates are found (AM306), and a record with
encrypted values its MAC (AM513).  With the key (``AIMAMA_AGE_IDENTITY``), values that do not
decrypt are reported (AM110), a MAC that does not match the values (AM514), and every other rule
judges the plaintext.

``check --changed-since BASE`` also judges, without a key, the change against the base revision
(:func:`base_problems`): a repository encrypted there stays encrypted.
"""

from __future__ import annotations

import re
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.core.problems import Problem, make
from aimama_cli.core.registry import FILE, REPOSITORY, register, rule
from aimama_cli.rules.leaks import plaintext_problems
from aimama_cli.store import gitio, layout
from aimama_cli.store.sealing import crypto, keyring
from aimama_cli.store.sealing.crypto import BLIND_FIELD, BLIND_KINDS, MAC_FIELD
from aimama_cli.store.sealing.seal import SENSITIVE_KINDS
from aimama_cli.store.sealing.sealed import KEYS_FILE, encryption_on, encryption_required, is_encrypted, required_in
from aimama_cli.store.yamlio import YamlProblem, decode, parse

register("AM110", FILE)  # reported by analysis.analyse when the key is present
for _code in ("AM515", "AM516", "AM517"):  # the repository's state: reported by check itself
    register(_code, REPOSITORY)


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


@rule("AM513", "AM514", scope=FILE, kinds=SENSITIVE_KINDS)
def record_mac(ctx):
    """A record with encrypted values carries their MAC; with the key, the MAC matches them
    (a value deleted, put back from history or moved within the file does not)."""
    if not ctx.sealed:
        return
    stored = ctx.as_stored
    if not stored.get(MAC_FIELD):
        if crypto.encrypted_values(ctx.kind, stored):
            yield ctx.problem("AM513")
        return
    sealer = crypto.active()
    if sealer is None or crypto.encrypted_values(ctx.kind, ctx.data):
        return  # no key, or values that do not decrypt: AM110 names them, more precisely
    if not sealer.mac_matches(ctx.kind, stored):
        yield ctx.problem("AM514", (MAC_FIELD,))


# --- the repository's state, and a change against its base -------------------------------------

def state_problems(root: Path) -> list[Problem]:
    """AM515 when aimama.yaml requires encryption and keys.yaml is gone."""
    if encryption_required(root) and not (Path(root) / KEYS_FILE).is_file():
        return [make("AM515", KEYS_FILE, why=t("sealing.why.required"))]
    return []


def base_problems(root: Path, base: str, changed: list[str]) -> list[Problem]:
    """What a change since ``base`` does to a repository encrypted at ``base``, judged without a
    key: keys.yaml deleted (AM515) or older than the base's (AM516), encryption no longer
    required (AM517), and in the records it changed a MAC dropped (AM513) or plaintext in a
    sensitive field (AM911)."""
    root = Path(root)
    tree = gitio.Worktree.find(root)
    if tree is None:
        return []
    then = gitio.read_blobs(tree.top, [f"{base}:{tree.prefix}{p}" for p in (KEYS_FILE, layout.CONFIG)])
    base_keys, base_config = (then.get(f"{base}:{tree.prefix}{p}") for p in (KEYS_FILE, layout.CONFIG))
    if base_keys is None and not required_in(base_config):
        return []  # not encrypted at the base: nothing to downgrade
    problems = []
    if not (root / KEYS_FILE).is_file():
        problems.append(make("AM515", KEYS_FILE, why=t("sealing.why.base", base=base)))
    elif base_keys is not None:
        problems.extend(_rewound(root, base, base_keys))
    if required_in(base_config) and not encryption_required(root):
        line = _line(root / layout.CONFIG, ("encryption",))
        problems.append(make("AM517", layout.CONFIG, line, field="encryption", base=base))
    sealed_now = encryption_on(root)
    # still encrypted: the index judges plaintext (AM911), and a record showing its MAC kept it;
    # so only the others are parsed (a plan's pull request changes 100,000 records)
    judged = [p for p in changed if layout.classify(p)[0] in SENSITIVE_KINDS and (root / p).is_file()
              and not (sealed_now and _shows_mac(root / p))]
    names = {p: f"{base}:{tree.prefix}{p}" for p in judged}
    then = gitio.read_blobs(tree.top, list(names.values())) if judged else {}
    for path in judged:
        problems.extend(_record_downgrade(root, path, then.get(names[path]), sealed_now))
    return problems


_MAC_LINE = re.compile(rb"^" + MAC_FIELD.encode() + rb":", re.M)


def _shows_mac(path: Path) -> bool:
    try:
        return _MAC_LINE.search(path.read_bytes()) is not None
    except OSError:
        return False


def _rewound(root: Path, base: str, base_keys: bytes) -> list[Problem]:
    try:
        before = keyring.parse_ring(base_keys)
    except UsageError:
        return []  # the base's keys.yaml was broken: nothing to compare with
    now = keyring.read(root)  # a broken one is exit 2, as for every command
    if not keyring.rewound(before, now):
        return []
    return [make("AM516", KEYS_FILE, _line(root / KEYS_FILE, ("serial",)), field="serial", base=base,
                 serial=now.serial, base_serial=before.serial, key_id=now.key_id)]


def _record_downgrade(root: Path, path: str, base_raw: bytes | None, sealed_now: bool) -> list[Problem]:
    kind = layout.classify(path)[0]
    try:
        parsed = parse(decode((root / path).read_bytes()))
    except (OSError, YamlProblem):
        return []  # the check reports the file itself
    data = parsed.data
    found = [] if sealed_now else plaintext_problems(path, kind, parsed)  # else the index's AM911 says it
    if not data.get(MAC_FIELD) and base_raw is not None and _had_mac(base_raw):
        if not (sealed_now and crypto.encrypted_values(kind, data)):  # else the index's AM513 says it
            found.append(make("AM513", path, record=data.get("id")))
    return found


def _had_mac(raw: bytes) -> bool:
    try:
        return bool(parse(decode(raw)).data.get(MAC_FIELD))
    except YamlProblem:
        return False


def _line(path: Path, where: tuple) -> int:
    try:
        return parse(decode(path.read_bytes())).locate(where)[0]
    except (OSError, YamlProblem):
        return 1

"""The leak scanner (issue 8): personal data where git would keep it in the clear forever.

* AM911: plaintext in a field the schema marks sensitive, in an encrypted repository;
* AM912, AM913: a resident ID number (valid check character) or a mobile number in any other
  field — notes, details, names, a team's address;
* AM914: either in a file's name;
* AM915: either in a commit message of the range ``check --changed-since REV`` looks at
  (reported by :func:`aimama_cli.store.sealing.leaks_git.commit_problems`, not here).

They run with the file rules when a file is indexed, so a check reads their findings from the
index.  Whether the repository is encrypted (``keys.yaml`` at the root) is part of the index's
key, so the findings are judged again when it changes: AM912-AM915 are errors in an encrypted
repository and warnings in a plaintext one (the demo and the plaintext repositories keep
working while they migrate); AM911 exists only in an encrypted one.
"""

from __future__ import annotations

import functools

from aimama_cli.core.problems import WARNING, make
from aimama_cli.core.registry import FILE, register, rule
from aimama_cli.store import schemas
from aimama_cli.store.analysis import field_name
from aimama_cli.store.sealing import leaks
from aimama_cli.store.sealing.crypto import BLIND_FIELD, MAC_FIELD
from aimama_cli.store.sealing.sealed import is_encrypted

SHORTEST = 11  # characters of the shortest number looked for (a mobile number)
SHAPE_CODES = {leaks.ID_NUMBER: "AM912", leaks.PHONE: "AM913"}
# what aimama writes as random-looking text: a blind index (hex) and a MAC (ENC); like any
# ENC[…] value they hold no personal data, only digits by chance (an index shaped like a mobile
# number about once in seven rotations of the demo)
MACHINE_FIELDS = {(BLIND_FIELD,), (MAC_FIELD,)}


@rule("AM911", scope=FILE)
def plaintext_in_sensitive_field(ctx):
    """In an encrypted repository, every sensitive value is stored encrypted."""
    if not ctx.sealed:
        return
    for path in _plaintext(ctx.kind, ctx.as_stored):  # as stored, not as a key opened it
        yield ctx.problem("AM911", path)


def plaintext_problems(path: str, kind: str, parsed) -> list:
    """AM911 in a record file judged outside the index: by ``check --changed-since BASE`` when
    the repository was encrypted at BASE and the change turned that off."""
    rid = parsed.data.get("id") if isinstance(parsed.data.get("id"), str) else None
    return [make("AM911", path, *parsed.locate(where), record=rid, field=field_name(where))
            for where in _plaintext(kind, parsed.data)]


def _plaintext(kind: str, data):
    """The place of every plaintext value in a sensitive field of record ``data``."""
    for pattern in schemas.info(kind).sensitive:
        for path, value in schemas.iter_pattern(data, pattern):
            for leaf_path, leaf in _leaves(value, path):
                if leaf not in (None, "") and not is_encrypted(leaf):
                    yield leaf_path


@rule("AM912", "AM913", scope=FILE, severity=WARNING)
def numbers_in_other_fields(ctx):
    """No ID number or mobile number outside the sensitive fields (where nothing encrypts or
    masks it), nor in what aimama writes itself (encrypted values, blind indexes, MACs)."""
    sensitive = set(schemas.info(ctx.kind).sensitive) | MACHINE_FIELDS
    for path, value in _unguarded(ctx.data, sensitive):
        for kind, shown, _offset in leaks.find(value):
            yield ctx.problem(SHAPE_CODES[kind], path, severity=leaks.severity(ctx.sealed), number=shown)


def _unguarded(data, sensitive: set) -> list[tuple]:
    """(path, text) of every scalar outside the sensitive fields that is long enough to hold a
    number looked for; numbers as text (an unquoted phone is read as an integer).  A loop over a
    stack, not nested generators, and the sensitive fields as a tree walked alongside (no path
    built and hashed for every value): this runs on every record a check indexes."""
    found = []
    stack = [((), _guards(frozenset(sensitive)), data)]
    while stack:
        path, guard, value = stack.pop()
        if isinstance(value, dict):
            items, listed = value.items(), False
        elif isinstance(value, list):
            items, listed = enumerate(value), True
        else:
            continue
        for key, item in items:
            below = guard.get("*" if listed else key) if guard else None
            if below is True:  # a sensitive field: encrypted or masked, never scanned
                continue
            if isinstance(item, str):
                if len(item) >= SHORTEST and not is_encrypted(item):
                    found.append((path + (key,), item))
            elif isinstance(item, (dict, list)):
                stack.append((path + (key,), below, item))
            elif isinstance(item, int) and item >= 10 ** (SHORTEST - 1) and not isinstance(item, bool):
                found.append((path + (key,), str(item)))
    return found


@functools.lru_cache(maxsize=64)
def _guards(sensitive: frozenset) -> dict:
    """The field patterns ``sensitive`` (``("entries", "*", "details")``) as a tree of steps,
    True where a sensitive field is: what lies under it is never looked at."""
    tree: dict = {}
    for pattern in sorted(sensitive, key=len):
        node = tree
        for step in pattern[:-1]:
            node = node.setdefault(step, {})
            if node is True:  # under a field already sensitive as a whole
                break
        else:
            node[pattern[-1]] = True
    return tree


register("AM914", FILE, severity=WARNING)  # file names: see file_name_problems
register("AM915", FILE, severity=WARNING)  # commit messages: reported by leaks_git


def file_name_problems(path: str, sealed: bool) -> list:
    """AM914 for an ID number or mobile number in ``path`` (any file the index looks at,
    records or not: a file name shows in every listing and every pull request)."""
    return [make("AM914", path, severity=leaks.severity(sealed), number=shown)
            for _kind, shown, _offset in leaks.find(path)]


def _leaves(value, path: tuple):
    """(path, value) of every scalar in ``value``, numbers as text."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, path + (i,))
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, str(value)
    else:
        yield path, value

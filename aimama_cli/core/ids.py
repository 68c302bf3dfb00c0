"""Record ids and resident ID numbers.

Record ids are ``<kind letter><6-digit county code>-<suffix>``: the county code lets path globs
route reviews by county, and a random Crockford base32 suffix keeps two branches that add
records at the same time from picking the same id.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KIND_LETTERS = {
    "child": "C",
    "volunteer": "V",
    "team": "T",
    "pairing": "P",
    "team_pairing": "G",
    "pledge": "S",
    "case": "K",  # referrals and case work of the professional teams (C is the child's)
    "team_activity": "A",
    "training": "R",
    "support": "D",  # a support ledger entry: a donation (T is the team's)
    "coordinator": "U",
}
LETTER_KINDS = {v: k for k, v in KIND_LETTERS.items()}
ID_RE = re.compile(r"^([A-Z])([0-9]{6})-([0-9A-HJKMNP-TV-Z]{4,10})$")
# what is meant as an id, valid or not (a name never looks like this): looked up as an id only
ID_SHAPE = re.compile(r"^[A-Z][0-9]{6}-[0-9A-Za-z]+$")
SUFFIX_LEN = 8  # 40 random bits: two branches adding 10,000 ids each collide ~1 time in 10,000


def new_id(kind: str, county: str, taken: set[str] | None = None, rng=secrets) -> str:
    """A fresh id for a record of ``kind`` in ``county`` (6 digits), not in ``taken``.
    ``rng`` is for reproducible synthetic data; real ids come from ``secrets``."""
    while True:
        suffix = "".join(rng.choice(CROCKFORD) for _ in range(SUFFIX_LEN))
        rid = f"{KIND_LETTERS[kind]}{county[:6]}-{suffix}"
        if not taken or rid not in taken:
            return rid


def county_of(rid: str) -> str | None:
    m = ID_RE.match(rid)
    return m.group(2) if m else None


def check_char(first17: str) -> str:
    """The GB 11643 MOD 11-2 check character for the first 17 digits of an ID number."""
    from stdnum.cn import ric  # stdnum imports ssl and pydoc: only when a number is made

    return ric.calc_check_digit(first17 + "0")


def make_id_number(region6: str, birth: dt.date, sequence: int) -> str:
    """A well-formed ID number (6 region, 8 birth date, 3 sequence digits and the check
    character); an odd sequence number means male, even female."""
    first17 = f"{region6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def id_number_gender(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"

"""Personal data where it should not be (issue 8): what a resident ID number or a mainland
mobile number looks like in free text, found in record fields, file names and commit messages.

A finding never repeats the number it found: it names it masked (``4306**********1234``), so
that a CI log or a pull-request annotation does not leak it a second time.
"""

from __future__ import annotations

import datetime as dt
import re

from aimama_cli.core import ids
from aimama_cli.core.problems import ERROR, WARNING, make
from aimama_cli.core.text import masked_numbers
from aimama_cli.store.sealing.masking import mask

ID_NUMBER = "id_number"
PHONE = "phone"

# Candidates, found in one pass of a regular expression that starts with a character class (so
# the scan skips to the next digit in C): every maximal run of 11 digits or more (an ID number
# may end in X), and a mobile number written 3-4-4 with spaces or hyphens. Which of them are an
# ID number (18 characters, valid) or a mobile number (11 digits: 1, then 3-9; or 86 and those
# after a +) is decided in Python, on the few candidates a file holds.
_CANDIDATES = re.compile(r"[0-9]{11,}[Xx]?|1[3-9][0-9]([- ])[0-9]{4}\1[0-9]{4}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def severity(sealed: bool) -> str:
    """Leaks are errors in an encrypted repository, warnings in a plaintext one (which keeps
    working while it migrates)."""
    return ERROR if sealed else WARNING


def valid_id_number(number: str) -> bool:
    """An 18-character number with a real birth date and the right GB 11643 check character
    (the region part is not judged: a made-up code is no less a leak)."""
    number = number.upper()
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return ids.check_char(number[:17]) == number[17]


def matches(text: str):
    """Yield (kind, number, offset) for every ID number or mobile number in ``text``, neither
    part of a longer run of digits."""
    for m in _CANDIDATES.finditer(text):
        found, at = m.group(0), m.start()
        if _in_hex_token(text, at, m.end()):
            continue
        if m.group(1):  # written 3-4-4: the digits around it must not run on
            if (at and text[at - 1].isdigit()) or text[m.end():m.end() + 1].isdigit():
                continue
            yield PHONE, found.replace(m.group(1), ""), at
        elif len(found) == 18 and found[:17].isdigit():
            if valid_id_number(found):
                yield ID_NUMBER, found.upper(), at
        elif len(found) == 11 and _MOBILE.fullmatch(found):
            yield PHONE, found, at
        elif len(found) == 13 and found.startswith("86") and text[at - 1:at] == "+" \
                and _MOBILE.fullmatch(found[2:]):
            yield PHONE, found[2:], at


_HEX = frozenset("0123456789abcdefABCDEF")
HEX_TOKEN = 16  # hex characters from which a run with a letter in it is a digest, not a number


def _in_hex_token(text: str, start: int, end: int) -> bool:
    """Whether the digits at ``text[start:end]`` belong to a hash, key id or blind index
    written out in hex (a commit id, a fingerprint): a run of 16 or more hex characters with a
    letter among them.  Random hex holds a run of digits shaped like a mobile number often
    enough to fail honest changes."""
    left, right = start, end
    while left and text[left - 1] in _HEX:
        left -= 1
    while right < len(text) and text[right] in _HEX:
        right += 1
    token = text[left:right]
    return len(token) >= HEX_TOKEN and not token.isdigit()


def find(text: str):
    """Yield (kind, masked number, offset) for every ID number or mobile number in ``text``."""
    for kind, number, at in matches(text):
        yield kind, mask(number, kind), at


def scrub(text: str) -> str:
    """``text`` with every ID number and mobile number in it masked (for excerpts of records
    and messages that would otherwise print them)."""
    return masked_numbers(text)


def where(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def commit_problems(tree, revisions: str, sealed: bool) -> list:
    """AM915 for every ID number or mobile number in the messages of the commits of
    ``revisions`` (``REV..HEAD``): reported against the commit (its id as record, its short id
    as file), at the line and column of the message where the number is."""
    found = []
    for commit, message in tree.messages(revisions):
        for _kind, shown, offset in find(message):
            line, column = where(message, offset)
            found.append(make("AM915", commit[:12], line, column, severity=severity(sealed),
                              record=commit, field="message", commit=commit[:12], number=shown))
    return found

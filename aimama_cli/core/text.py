"""Text from records and from users, made safe: names as one form of Unicode with nothing
invisible in them, values that cannot drive a terminal, cells a spreadsheet will not run.

A record is data anyone with write access may have typed, so what reads it must not trust it:
an escape sequence in a name (``ESC ] 8`` makes a link, ``ESC [ 2 J`` clears the screen)
would act on the terminal of whoever lists it, and ``=HYPERLINK(…)`` in a CSV cell is a
formula to Excel (OWASP's "CSV injection").
"""

from __future__ import annotations

import re
import unicodedata

# characters that show nothing yet make two names differ: zero-width space, non-joiner and
# joiner, word joiner, byte-order mark
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# marks that turn the direction of the text around it: "Trojan source" in a name
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# every line break Unicode knows, read as one "\n" on input: YAML folds U+0085 (NEXT LINE)
# and U+2028/U+2029 into a space when the record is read back, so they would vanish unseen
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 controls and DEL, but tab and newline: ESC starts CSI and OSC sequences, and a
# terminal in UTF-8 may also obey the 8-bit C1 forms (U+009B is CSI, U+009D is OSC)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_NOT_IN_NAMES = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{ZERO_WIDTH}{BIDI}]")
_C1 = re.compile("[\x7f-\x9f]")
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
# what a spreadsheet takes for the start of a formula (OWASP): = + - @, and tab and carriage
# return, which some spreadsheets skip before looking again
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def normalised(text: str) -> str:
    """Typed or imported text as it is kept: NFC (one code point for é, not e and an
    accent), every line break one newline."""
    return unicodedata.normalize("NFC", LINE_BREAKS.sub("\n", text))


def unfit_in_name(text: str) -> str | None:
    """The first character a name must not hold, as U+XXXX: a control character or line break,
    a zero-width character or a direction mark. None when the name is fit."""
    found = _NOT_IN_NAMES.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def without_zero_width(text: str) -> str:
    """``text`` as it is compared with others: the invisible characters left out."""
    return _ZERO_WIDTH.sub("", text)


def for_terminal(text: str) -> str:
    """``text`` with every control character but tab and newline written out as ``\\x1b``:
    shown, never obeyed by the terminal."""
    if text.isprintable():  # nearly every value: str.isprintable is many times faster than a search
        return text
    return _CONTROLS.sub(_escaped, text)


def one_line(text: str) -> str:
    """``text`` as :func:`for_terminal` shows it, its newlines and tabs written out too: a name
    quoted in a message line stays on that line."""
    return text if text.isprintable() else _ALL_CONTROLS.sub(_escaped, text)


def json_text(data, indent: int | None = 2) -> str:
    """``data`` as JSON with Chinese as it is, and every control character escaped: json
    escapes those below U+0020 itself, not DEL and the C1 controls."""
    import json

    return json_safe(json.dumps(data, ensure_ascii=False, indent=indent))


def json_safe(text: str) -> str:
    """JSON text with DEL and the C1 controls escaped (\\u009b) as well: the same data."""
    return _C1.sub(_json_escaped, text) if _C1.search(text) else text


def _json_escaped(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _escaped(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}"


def inert_cell(value):
    """A CSV cell a spreadsheet reads as text: a text starting like a formula gets a leading
    ``'`` (OWASP), which Excel and LibreOffice hide. Numbers and other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


# A resident ID number (18 characters, valid or not: a mistyped digit is still someone's number)
# or a mobile number, not part of a longer run of digits.
_NUMBERS = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")


def masked_id_number(text: str) -> str:
    """A value too short to be one keeps only its start: its end would show most of it."""
    return text[:4] + "*" * 10 + (text[-4:] if len(text) >= 18 else "")


def masked_phone(text: str) -> str:
    return text[:3] + "****" + (text[-4:] if len(text) >= 11 else "")


def masked_numbers(text: str) -> str:
    """``text`` with every ID number and mobile number in it masked (``4306**********1234``,
    ``139****3001``): for excerpts of records and for messages that quote a value."""
    return _NUMBERS.sub(lambda m: (masked_id_number if len(m.group(0)) == 18 else masked_phone)(m.group(0)),
                        text)


"""Pick the language and render messages from the catalog."""

from __future__ import annotations

import os

from aimama_cli.core.text import for_terminal
from aimama_cli.messages import MESSAGES

_lang: str | None = None


def _language_of(value: str) -> str | None:
    """"zh" for a Chinese locale as machines name it (zh_CN.UTF-8, zh-CN, zh_TW, Chinese
    (Simplified)_China.936), "en" for English and C/POSIX, None for any other."""
    value = value.strip().lower()
    if value.startswith(("zh", "chinese")):
        return "zh"
    if value.startswith(("en", "c.", "english")) or value in ("c", "posix"):
        return "en"
    return None


def detect_language() -> str:
    """The language of the environment, read as gettext does: $AIMAMA_LANG first, then the
    first language of $LANGUAGE's list that aimama speaks (zh_CN:en), then the first of LC_ALL,
    LC_MESSAGES and LANG that is set (a French locale: English); on Windows without them, the
    user's locale."""
    own = _language_of(os.environ.get("AIMAMA_LANG", ""))
    if own:
        return own
    for value in os.environ.get("LANGUAGE", "").split(":"):
        if _language_of(value):
            return _language_of(value)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return _language_of(value) or "en"
    if os.name == "nt":  # cmd.exe and PowerShell set no LANG: the user's locale
        import locale

        return _language_of(locale.getlocale()[0] or "") or "en"
    return "en"


def set_language(lang: str | None) -> None:
    """``None``: from the environment, read once (a table of 100,000 rows asks a million times)."""
    global _lang
    _lang = lang or detect_language()


def language() -> str:
    return _lang or detect_language()


def t(key: str, /, **params) -> str:
    """The message ``key`` in the current language, formatted with ``params``: a text quoted
    from a record never carries a control character to the terminal."""
    entry = MESSAGES.get(key)
    for name, value in params.items():
        if isinstance(value, str):
            params[name] = for_terminal(value)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    text = entry[1] if language() == "zh" else entry[0]
    if "||" in text:  # "one||other": English counts in the singular for one ("1 entry")
        one, other = text.split("||", 1)
        text = one if params.get("count") == 1 else other
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text

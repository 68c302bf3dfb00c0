"""Pick the language and render messages from the catalog."""

from __future__ import annotations

import os

from aimama_cli.core.text import for_terminal
from aimama_cli.messages import MESSAGES

_lang: str | None = None


def detect_language() -> str:
    for var in ("AIMAMA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
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
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text

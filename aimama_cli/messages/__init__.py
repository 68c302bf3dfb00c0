"""The message catalog: every text a user reads, in English and Chinese, one module per
capability, merged here from the explicit list below (a key defined twice is a bug)."""

from __future__ import annotations

from aimama_cli.messages import (activities, audit, cases, common, diff, duties, history, keys,
                                 leaks, pledges, redaction, reports, teamwork)

PARTS = (common, activities, audit, cases, diff, duties, history, keys, leaks, pledges, redaction,
         reports, teamwork)

MESSAGES: dict[str, tuple[str, str]] = {}
for _part in PARTS:
    _clash = MESSAGES.keys() & _part.MESSAGES.keys()
    assert not _clash, f"message keys defined twice: {sorted(_clash)}"
    MESSAGES.update(_part.MESSAGES)

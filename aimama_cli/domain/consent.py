"""The guardian's consent to pairing (征得监护人同意): given, or withdrawn.

Consent is the gate to every pairing (``check``'s AM602).  Withdrawing it ends the child's
active pairings in the same change — only when asked to (``end_pairings``): otherwise the
command is refused and names them, so that nobody ends a pairing without knowing it.
"""

from __future__ import annotations

import datetime as dt

from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.domain.people import end_pairing
from aimama_cli.store import editing
from aimama_cli.store.change import Change

CONSENT = ("guardian", "consent")
ENDED_BY_WITHDRAWAL = "consent_withdrawn"  # the pairings' end_reason


def give(change: Change, child: str, on: dt.date, evidence: str | None) -> str:
    """The guardian consented on ``on``: a withdrawal recorded before is cleared (git keeps
    it); returns the child's id."""
    doc = change.load(child, "child")
    editing.set_path(doc, "child", CONSENT + ("given",), True)
    editing.set_path(doc, "child", CONSENT + ("date",), on.isoformat())
    if evidence and evidence.strip():
        editing.set_path(doc, "child", CONSENT + ("evidence",), evidence.strip())
    else:  # the evidence of an earlier consent is not this one's
        editing.remove_path(doc, CONSENT + ("evidence",))
    editing.remove_path(doc, CONSENT + ("withdrawn",))
    return str(doc.get("id", child))


def withdraw(change: Change, child: str, on: dt.date, reason: str, end_pairings: bool) -> list[str]:
    """The guardian withdrew consent on ``on``: ``given`` becomes false and ``withdrawn`` says
    when and why; the date and evidence of the consent stay, as history.  Returns the ids of
    the pairings ended; refused (exit 1, nothing written) while pairings are active and
    ``end_pairings`` is not set."""
    if not (reason or "").strip():
        raise UsageError("consent.reason_needed")
    doc = change.load(child, "child")
    rid = str(doc.get("id", child))
    if editing.get_path(doc, CONSENT + ("given",), None) is not True:
        raise UsageError("consent.not_given", id=rid)
    pairings = still_running(change, rid, on)
    if pairings and not end_pairings:
        raise Refused("consent.has_pairings", id=rid, count=len(pairings), pairings=", ".join(pairings))
    editing.set_path(doc, "child", CONSENT + ("given",), False)
    editing.set_path(doc, "child", CONSENT + ("withdrawn",), {"on": on.isoformat(), "reason": reason.strip()})
    return [end_pairing(change, p, ENDED_BY_WITHDRAWAL, on) for p in pairings]


def still_running(change: Change, child: str, on: dt.date) -> list[str]:
    """The child's pairings not ended by ``on`` (active that day, or begun since)."""
    day = on.isoformat()
    return [pid for pid, f in change.index.naming(child, "pairing", "child")
            if not (isinstance(f.get("ended_on"), str) and f["ended_on"] <= day)]

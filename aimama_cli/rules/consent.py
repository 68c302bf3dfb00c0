"""The guardian's consent as recorded: a date or evidence with no consent given, and a
withdrawal beside a consent still marked given, are half-made records (``child consent``
writes both halves; a hand edit may not).  Whether a pairing had consent is AM602's
(rules/roster.py), which counts a withdrawn consent as none.
"""

from __future__ import annotations

from aimama_cli.core.problems import WARNING
from aimama_cli.core.registry import FILE, rule

CONSENT = ("guardian", "consent")


def withdrawn_after_consent(given, date, withdrawn_on) -> bool:
    """A consent marked given counts as withdrawn when a withdrawal is dated on or after it
    (a consent given again, dated after the withdrawal, counts)."""
    return given is True and isinstance(withdrawn_on, str) and not (isinstance(date, str) and date > withdrawn_on)


@rule("AM606", "AM607", scope=FILE, kinds=("child",), severity=WARNING)
def consent_whole(ctx):
    """A consent date or evidence goes with consent given (or a withdrawal of it); a withdrawal
    goes with consent no longer given."""
    guardian = ctx.data.get("guardian")
    consent = guardian.get("consent") if isinstance(guardian, dict) else None
    if not isinstance(consent, dict):
        return
    given, withdrawn = consent.get("given"), consent.get("withdrawn")
    withdrawn_on = withdrawn.get("on") if isinstance(withdrawn, dict) else None
    if given is not True and not withdrawn:
        for name in ("date", "evidence"):
            if consent.get(name) not in (None, ""):
                yield ctx.problem("AM606", CONSENT + (name,), severity=WARNING,
                                  value=str(consent[name]))
                return
    if withdrawn_after_consent(given, consent.get("date"), withdrawn_on):
        yield ctx.problem("AM607", CONSENT + ("withdrawn",), key=True, severity=WARNING,
                          on=withdrawn_on)


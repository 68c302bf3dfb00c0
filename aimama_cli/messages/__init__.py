"""The message catalog: every text a user reads, in English and Chinese, merged here from the
explicit list of modules below (a key defined twice is a bug).

One module per capability, named like the package's own modules (rules/, domain/, reports/,
cli/).  A problem code (``AM301``) is its message, ``AM301.hint`` what to do about it and
``AM301.rule`` the sentence ``check --list-rules`` shows; all three live in the module named
after the rule module that registers the code (``grep -rn AM301 aimama_cli/rules`` gives
rules/identity.py, so messages/identity.py); the codes of the reader and the schema (AM001,
AM1xx, AM2xx) are in check.py.  Other keys are named after the command that prints them and
live with its capability; global options and errors of any command are in cli.py.
"""

from __future__ import annotations

from aimama_cli.messages import (
    activities,
    audit,
    batches,
    cases,
    check,
    cli,
    click,
    codeowners,
    commits,
    consent,
    coordinators,
    diff,
    duties,
    federation,
    files,
    help,
    history,
    identity,
    init,
    keys,
    leaks,
    merging,
    names,
    pairing,
    people,
    pledges,
    records,
    redaction,
    references,
    regions,
    reports,
    roster,
    safety,
    sealing,
    signing,
    store,
    teamwork,
    vetting,
    visit_logs,
    watch,
)

PARTS = (activities, audit, batches, cases, check, cli, click, codeowners, commits, consent, coordinators, diff, duties,
         federation, files, help, history, identity, init, keys, leaks, merging, names, pairing, people, pledges,
         records, redaction, references, regions, reports, roster, safety, sealing, signing, store, teamwork, vetting,
         visit_logs, watch)

MESSAGES: dict[str, tuple[str, str]] = {}
for _part in PARTS:
    _clash = MESSAGES.keys() & _part.MESSAGES.keys()
    assert not _clash, f"message keys defined twice: {sorted(_clash)}"
    MESSAGES.update(_part.MESSAGES)

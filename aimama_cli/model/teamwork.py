"""Money and hours of the programme beyond pairings (exact decimals), and the training a
programme asks of a volunteer before she is paired: what the teamwork rules judge, and what
``pair create|suggest|plan`` and the reports use."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from aimama_cli.core.dates import parse_date
from aimama_cli.store.index_rows import field


def hours_of(value) -> Decimal:
    """Hours as an exact decimal (0 for anything that is not a number): 0.1 + 0.2 is 0.3."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Decimal(0)
    return Decimal(str(value))


def training_by_volunteer(db, volunteers: list[str]) -> dict[str, list[tuple[str, Decimal]]]:
    """{volunteer: [(date, hours)]} of the training sessions each of ``volunteers`` attended."""
    found: dict[str, list] = {}
    for volunteer, day, hours in db.execute(
            f"""SELECT r.target, {field('t', 'date')}, {field('t', 'hours')}
                FROM refs r CROSS JOIN files t ON t.path = r.path AND t.kind = 'training'
                WHERE r.target_kind = 'volunteer' AND r.target IN (SELECT value FROM json_each(?))""",
            (json.dumps(sorted(set(volunteers))),)):
        if parse_date(day):
            found.setdefault(volunteer, []).append((day, hours_of(hours)))
    return found


def shortfall(programme, trained: list, started: str) -> tuple[Decimal, Decimal] | None:
    """(hours had, hours asked) when ``programme`` asks for more training before a pairing
    started on ``started`` than the sessions ``trained`` gave by that day; None when enough."""
    need = hours_of(getattr(programme, "training_hours", 0))
    if not need or (programme.training_since and started < programme.training_since):
        return None
    had = sum((hours for day, hours in trained if day <= started), Decimal(0))
    return (had, need) if had < need else None


def training_shortfalls(index, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """{(volunteer, day): (hours had, hours asked, programme id)} for each of ``wanted`` (a
    volunteer and the day a pairing of hers starts) short of the training her programme of that
    year asks for before pairing; nothing is read when no programme asks for any."""
    from aimama_cli.model.activities import programmes_of
    from aimama_cli.model.programmes import load_all  # imported here: programmes needs the index, which needs the rules

    if not wanted or not any(isinstance(p.training_hours, (int, float)) and p.training_hours
                             for p in load_all(index).values()):
        return {}
    programmes = programmes_of(index, {(v, int(day[:4])) for v, day in wanted})
    trained = training_by_volunteer(index.db, [v for v, _day in wanted])
    found = {}
    for volunteer, day in wanted:
        programme = programmes.get((volunteer, int(day[:4])))
        short = shortfall(programme, trained.get(volunteer, []), day) if programme else None
        if short:
            found[(volunteer, day)] = (*short, programme.id)
    return found


def amount(value) -> Decimal | None:
    """An amount of the ledger ('1200.50') as an exact decimal; None when not one (the schema
    reports its shape: a float written unquoted is AM204)."""
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


LEGACY_RECEIPT = ("received_amount", "received_on")  # a support entry's total so far, before receipts


def receipts(data: dict) -> list[tuple[tuple, dict]]:
    """(field path, receipt) of every receipt of a support entry, in the order written: the
    ``receipts`` list, after the total of an entry written before receipts were listed
    (``received_amount``, ``received_on``), which reads as its first receipt."""
    found = []
    if any(data.get(key) is not None for key in LEGACY_RECEIPT):
        found.append((("received_amount",), {"date": data.get("received_on"), "amount": data.get("received_amount")}))
    listed = data.get("receipts")
    for i, receipt in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(receipt, dict):
            found.append((("receipts", i), receipt))
    return found


def received(data: dict) -> Decimal | None:
    """What a support entry has received, its receipts summed exactly; None when no receipt
    names an amount (goods, a venue)."""
    amounts = [a for a in (amount(r.get("amount")) for _path, r in receipts(data)) if a is not None]
    return sum(amounts, Decimal(0)) if amounts else None

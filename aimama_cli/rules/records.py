"""Rules about one record that need nothing else: ID numbers, dates, closing."""

from __future__ import annotations

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from aimama_cli.core import ids
from aimama_cli.core.dates import birthday, parse_date
from aimama_cli.core.registry import FILE, REPOSITORY, register, rule
from aimama_cli.store import schemas

PEOPLE = ("child", "volunteer")
ADULT_AGE = 18


@rule("AM501", "AM502", "AM503", "AM509", scope=FILE, kinds=PEOPLE)
def id_number_valid(ctx):
    """A resident ID number has a valid check digit and agrees with birth date and gender."""
    number = ctx.data.get("id_number")
    if not isinstance(number, str) or len(number) != 18:
        return  # the schema reports the shape
    if not number[:17].isdigit():
        return  # the schema reports the shape
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        yield ctx.problem("AM501", ("id_number",), expected=expected, found=number[17])
        return
    # The region part is not judged: a person keeps the number issued under a code that may
    # since have changed, and stdnum's table would call such numbers invalid.
    try:
        from_number = ric.get_birth_date(number)
    except ValidationError:
        yield ctx.problem("AM509", ("id_number",), digits=number[6:14])
        return
    birth = parse_date(ctx.data.get("birth_date"))
    if birth and birth != from_number:
        yield ctx.problem("AM502", ("birth_date",), birth_date=birth.isoformat(),
                          from_number=from_number.isoformat())
    gender = ctx.data.get("gender")
    if gender in ("female", "male") and gender != ids.id_number_gender(number):
        yield ctx.problem("AM503", ("gender",), gender=gender,
                          from_number=ids.id_number_gender(number))


@rule("AM504", scope=FILE)
def dates_real(ctx):
    """Every date is a real calendar date (no 2025-02-30)."""
    for pattern in schemas.info(ctx.kind).dates:
        for path, value in schemas.iter_pattern(ctx.data, pattern):
            if isinstance(value, str) and len(value) == 10 and parse_date(value) is None:
                yield ctx.problem("AM504", path, value=value)


# pairs of (earlier, later) dates a record must keep in order
ORDER = {
    "child": [(("birth_date",), ("closed", "on")), (("birth_date",), ("roster", "confirmed_on"))],
    "volunteer": [(("birth_date",), ("joined_on",)), (("joined_on",), ("closed", "on"))],
    "pairing": [(("started_on",), ("ended_on",))],
    "team": [],
}


@rule("AM507", scope=FILE, kinds=tuple(ORDER))
def dates_in_order(ctx):
    """Dates within a record come in order (born before joining, started before ended)."""
    for first, second in ORDER[ctx.kind]:
        a = parse_date(_get(ctx.data, first))
        b = parse_date(_get(ctx.data, second))
        if a and b and b < a:
            yield ctx.problem("AM507", second, first=".".join(first), second=".".join(second),
                              a=a.isoformat(), b=b.isoformat())


def _get(data, path):
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


# status value that means closed, per kind, and the field holding the reason
CLOSED_STATUS = {"child": "closed", "volunteer": "withdrawn", "team": "closed"}


@rule("AM506", scope=FILE, kinds=tuple(CLOSED_STATUS) + ("pairing",))
def closed_has_reason(ctx):
    """A closed record says when and why; an open one carries no closing."""
    if ctx.kind == "pairing":
        ended, reason = ctx.data.get("ended_on"), ctx.data.get("end_reason")
        if ended and not reason:
            yield ctx.problem("AM506", ("ended_on",), key=True, missing="end_reason")
        elif reason and not ended:
            yield ctx.problem("AM508", ("end_reason",), key=True, missing="ended_on")
        return
    status, closed = ctx.data.get("status"), ctx.data.get("closed")
    if status == CLOSED_STATUS[ctx.kind] and not closed:
        yield ctx.problem("AM506", ("status",), missing="closed")
    elif closed and status not in (None, CLOSED_STATUS[ctx.kind]):
        yield ctx.problem("AM508", ("closed",), key=True, missing="status")


register("AM508", FILE)  # reported by closed_has_reason


@rule("AM505", scope=REPOSITORY)
def no_future_dates(repo):
    """No date lies after the as-of date (default today)."""
    today = repo.as_of.isoformat()
    rows = repo.db.execute("SELECT path, rid, max_date, max_date_field FROM files "
                           f"WHERE max_date > ? {repo.within('path')}", (today,))
    for path, rid, value, field in rows:
        if parse_date(value):
            yield repo.found("AM505", path, field, rid, value=value, today=today)


@rule("AM601", scope=REPOSITORY, timed=True)
def children_aged_out(repo):
    """An active child who has turned 18 should be closed (reason aged_out)."""
    born_by = birthday(repo.as_of, -ADULT_AGE)  # anyone born on or before this day is 18
    rows = repo.db.execute(
        f"""SELECT path, rid, json_extract(fields, '$.birth_date') FROM files
            WHERE kind = 'child' AND json_extract(fields, '$.birth_date') <= ?
              AND json_extract(fields, '$.status') = 'active' {repo.within('path')}""",
        (born_by.isoformat(),))
    for path, rid, value in rows:
        birth = parse_date(value)
        if birth and birthday(birth, ADULT_AGE) <= repo.as_of:
            yield repo.found("AM601", path, "status", rid,
                             birthday=birthday(birth, ADULT_AGE).isoformat())

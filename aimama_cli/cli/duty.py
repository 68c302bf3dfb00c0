"""``aimama duty check|remind``."""

from __future__ import annotations

import json
from enum import Enum

import typer

from .. import duties, errors, programmes
from ..i18n import t
from ..index import Index
from . import parse_as_of
from .people import ShowFormat, _root


class Only(str, Enum):
    open = "open"  # due and overdue
    overdue = "overdue"
    all = "all"


# options both commands take
OPTIONS = {
    "as_of": lambda: typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
    "volunteer": lambda: typer.Option(None, "--volunteer", metavar="ID", help=t("duty.opt.volunteer")),
    "region": lambda: typer.Option(None, "--region", metavar="CODE", help=t("duty.opt.region")),
    "format": lambda: typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
}


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("duty.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("check", help=t("duty.check.help"))
    def check(ctx: typer.Context,
              as_of: str = OPTIONS["as_of"](),
              year: int = typer.Option(None, "--year", metavar="YEAR", help=t("duty.opt.year")),
              volunteer: str = OPTIONS["volunteer"](), region: str = OPTIONS["region"](),
              fmt: ShowFormat = OPTIONS["format"](),
              only: Only = typer.Option(Only.open, "--show", help=t("duty.opt.show")),
              strict: bool = typer.Option(False, "--strict", help=t("duty.opt.strict"))):
        with duties.paused_gc():
            book, results = _judge(ctx, as_of, year, volunteer, region)
            total = duties.summary(results)
            if fmt == ShowFormat.json:
                typer.echo(json.dumps({"as_of": book.as_of.isoformat(), "year": book.year,
                                       "pairings": [r.as_dict(book) for r in results], "summary": total,
                                       "unreadable": book.unreadable},
                                      ensure_ascii=False))  # no indent: the C encoder, 4x faster at 100,000 pairings
            else:
                typer.echo(_check_text(book, results, only, total))
        if strict and total[duties.OVERDUE]:
            raise typer.Exit(errors.PROBLEMS)

    @sub.command("remind", help=t("duty.remind.help"))
    def remind(ctx: typer.Context,
               within: str = typer.Option(None, "--within", metavar="DAYS", help=t("duty.opt.within")),
               as_of: str = OPTIONS["as_of"](), volunteer: str = OPTIONS["volunteer"](),
               region: str = OPTIONS["region"](), fmt: ShowFormat = OPTIONS["format"]()):
        with duties.paused_gc():
            book, results = _judge(ctx, as_of, None, volunteer, region)
            settings = programmes.settings(_index(ctx))
            days = _days(within) if within else settings["remind_within_days"]
            found = duties.remind(book, results, days, settings["contact_alert_days"])
            if fmt == ShowFormat.json:
                typer.echo(json.dumps({"as_of": book.as_of.isoformat(), "within_days": days,
                                       "contact_alert_days": settings["contact_alert_days"],
                                       "volunteers": [_reminder_json(book, v, items)
                                                      for v, items in sorted(found.items())]},
                                      ensure_ascii=False, indent=1))
            else:
                typer.echo(_remind_text(book, found, days))

    app.add_typer(sub, name="duty")


def _index(ctx) -> Index:
    """One index per command (remind reads it twice: the duties, then its settings)."""
    if "index" not in ctx.obj:
        ctx.obj["index"] = Index(_root(ctx)).refresh()
    return ctx.obj["index"]


def _judge(ctx, as_of, year, volunteer, region):
    day = parse_as_of(as_of)
    year = year or day.year
    if not 2000 <= year <= 2100:
        raise errors.UsageError("duty.bad_year", year=year)
    index = _index(ctx)
    if volunteer and not index.db.execute("SELECT 1 FROM files WHERE rid = ? AND kind = 'volunteer'",
                                          (volunteer,)).fetchone():
        raise errors.UsageError("id.unknown", id=volunteer, kind="volunteer")
    book = duties.Book.load(index, year, day, volunteer=volunteer, region=region)
    for path in book.unreadable:
        typer.echo(t("duty.unreadable", path=path), err=True)
    return book, duties.check(book)


def _days(text: str) -> int:
    """``30``, ``30d`` or ``4w``."""
    number, unit = (text[:-1], text[-1]) if text[-1:] in "dw" else (text, "d")
    if not number.isdigit():
        raise errors.UsageError("duty.bad_within", value=text)
    return int(number) * (7 if unit == "w" else 1)


def _person(book, pid: str, table: dict) -> str:
    return table.get(pid, {}).get("name") or pid


def _check_text(book, results, only: Only, total: dict) -> str:
    from tabulate import tabulate

    wanted = {Only.open: (duties.DUE, duties.OVERDUE), Only.overdue: (duties.OVERDUE,),
              Only.all: duties.STATUSES}[only]
    rows = []
    for r in results:
        p = r.pairing
        if not r.duties:
            rows.append([p.id, _person(book, p.child, book.children), _person(book, p.volunteer, book.volunteers),
                         "", t("duty.no_programme", programme=r.programme or "-"), "", ""])
        for d in r.duties:
            if d.status in wanted:
                rows.append([p.id, _person(book, p.child, book.children),
                             _person(book, p.volunteer, book.volunteers), d.label,
                             t(f"duty.status.{d.status}"), d.deadline or "", _detail(d)])
    headers = [t(f"duty.col.{h}") for h in ("pairing", "child", "volunteer", "duty", "status", "deadline", "detail")]
    lines = [tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)] if rows else []
    lines.append(t("duty.summary", year=book.year, as_of=book.as_of.isoformat(), **total))
    return "\n".join(lines)


def _detail(d: duties.Result) -> str:
    """The one thing a coordinator needs to act on: months missed, gaps, items skipped."""
    x = d.detail
    if x.get("missing"):
        return t("duty.detail.missing", months=", ".join(x["missing"]))
    if x.get("gaps"):
        return t("duty.detail.gaps", gaps=", ".join(f"{a}…{b}" for a, b in x["gaps"]))
    if x.get("incomplete"):
        return t("duty.detail.incomplete", visits="; ".join(
            f"{v['date']} ({', '.join(v['missed'])})" for v in x["incomplete"]))
    if "owed" in x:
        return t("duty.detail.count", done=x["done"], owed=x["owed"]) + (" " + t("duty.detail.late") if x.get("late") else "")
    return ""


def _reminder_line(book, item: duties.Reminder) -> str:
    child = _person(book, item.child, book.children)
    if item.what == "silent":
        key = "duty.remind.silent" if item.last_contact else "duty.remind.silent_never"
        return t(key, child=child, days=item.days, last=item.last_contact, attempts=item.attempts)
    return t(f"duty.remind.{item.what}", child=child, duty=item.duty.label, deadline=item.duty.deadline,
             detail=_detail(item.duty))


def _remind_text(book, found: dict, days: int) -> str:
    if not found:
        return t("duty.remind.none", days=days, as_of=book.as_of.isoformat())
    lines = [t("duty.remind.title", as_of=book.as_of.isoformat(), days=days), ""]
    for vid, items in sorted(found.items(), key=lambda kv: (_person(book, kv[0], book.volunteers), kv[0])):
        volunteer = book.volunteers.get(vid, {})
        lines.append(t("duty.remind.volunteer", name=volunteer.get("name", vid), id=vid,
                       team=book.teams.get(volunteer.get("team"), volunteer.get("team", ""))))
        lines.extend("  · " + _reminder_line(book, item) for item in items)
        lines.append("")
    return "\n".join(lines).rstrip()


def _reminder_json(book, vid: str, items: list) -> dict:
    volunteer = book.volunteers.get(vid, {})
    return {"volunteer": vid, "name": volunteer.get("name"), "team": volunteer.get("team"),
            "items": [{"child": i.child, "child_name": _person(book, i.child, book.children), "what": i.what,
                       **({"duty": i.duty.as_dict()} if i.duty else
                          {"last_contact": i.last_contact, "days": i.days, "attempts": i.attempts})}
                      for i in items]}

"""``aimama duty check|remind``."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import tempfile
from enum import Enum

import typer

from aimama_cli.cli.options import ShowFormat, root_of, parse_as_of
from aimama_cli.rules.checker import open_index
from aimama_cli.model import duties, programmes
from aimama_cli.core import errors
from aimama_cli.cli import cases as case_part
from aimama_cli.core.i18n import t
from aimama_cli.store.index import Index
from aimama_cli.reports.views import simple_table


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
    sub = typer.Typer(help=f'{t("duty.help")}\n\n{t("duty.example")}', no_args_is_help=True, rich_markup_mode=None)

    @sub.command("check", help=t("duty.check.help"))
    def check(ctx: typer.Context,
              as_of: str = OPTIONS["as_of"](),
              year: int = typer.Option(None, "--year", metavar="YEAR", help=t("duty.opt.year")),
              volunteer: str = OPTIONS["volunteer"](), region: str = OPTIONS["region"](),
              fmt: ShowFormat = OPTIONS["format"](),
              only: Only = typer.Option(Only.open, "--show", help=t("duty.opt.show")),
              strict: bool = typer.Option(False, "--strict", help=t("duty.opt.strict"))):
        with duties.paused_gc(), tempfile.TemporaryDirectory(prefix="aimama-duty-") as folder:
            day, year = _day_and_year(ctx, as_of, year, volunteer)
            work = functools.partial(_json_part, folder=folder) if fmt == ShowFormat.json else \
                functools.partial(_text_part, only=only)
            parts = _judge(ctx, day, year, work, volunteer, region)
            total = duties.combined([summary for summary, _shown in parts])
            cases = case_part.judged(_index(ctx), day, volunteer, region)  # a section of their own
            if fmt == ShowFormat.json:
                head = json.dumps({"as_of": day.isoformat(), "year": year}, ensure_ascii=False)
                ending = {"summary": total, "unreadable": ctx.obj["unreadable"]}
                if cases:
                    ending["cases"] = case_part.check_json(_index(ctx), cases)
                tail = json.dumps(ending, ensure_ascii=False)
                _write_json(f'{head[:-1]}, "pairings": [', [path for _summary, path in parts], f"], {tail[1:]}\n")
            else:
                typer.echo(_check_text(year, day, [row for _summary, rows in parts for row in rows], total))
                if cases:
                    typer.echo("\n" + case_part.check_text(_index(ctx), day, cases, _WANTED[only]))
        late_cases = any(d.status == duties.OVERDUE for r in cases for d in r.duties)
        if strict and (total[duties.OVERDUE] or late_cases):
            raise typer.Exit(errors.PROBLEMS)

    @sub.command("remind", help=t("duty.remind.help"))
    def remind(ctx: typer.Context,
               within: str = typer.Option(None, "--within", metavar="DAYS", help=t("duty.opt.within")),
               as_of: str = OPTIONS["as_of"](), volunteer: str = OPTIONS["volunteer"](),
               region: str = OPTIONS["region"](), fmt: ShowFormat = OPTIONS["format"]()):
        with duties.paused_gc():
            day, year = _day_and_year(ctx, as_of, None, volunteer)
            settings = programmes.settings(_index(ctx))
            days = _days(within) if within else settings["remind_within_days"]
            found: dict[str, dict] = {}  # volunteer -> what _reminders gives, her parts merged
            for part in _judge(ctx, day, year, functools.partial(
                    _reminders, within=days, alert_days=settings["contact_alert_days"]), volunteer, region):
                for vid, reminded in part.items():
                    found.setdefault(vid, {**reminded, "items": []})["items"].extend(reminded["items"])
            teams = case_part.reminders(_index(ctx), day, case_part.judged(_index(ctx), day, volunteer, region), days)
            if fmt == ShowFormat.json:
                typer.echo(json.dumps({"as_of": day.isoformat(), "within_days": days,
                                       "contact_alert_days": settings["contact_alert_days"],
                                       "volunteers": [found[v] for v in sorted(found)],
                                       **({"teams": teams} if teams else {})},
                                      ensure_ascii=False, indent=1))
            elif found or not teams:
                typer.echo(_remind_text(day, found, days) + ("\n\n" + case_part.reminder_text(teams) if teams else ""))
            else:  # only cases have something due
                typer.echo(t("duty.remind.title", as_of=day.isoformat(), days=days) + "\n\n" + case_part.reminder_text(teams))

    app.add_typer(sub, name="duty")


def _index(ctx) -> Index:
    """One index per command (remind reads it twice: the duties, then its settings)."""
    if "index" not in ctx.obj:
        ctx.obj["index"] = open_index(root_of(ctx))
    return ctx.obj["index"]


def _day_and_year(ctx, as_of, year, volunteer) -> tuple:
    day = parse_as_of(as_of)
    year = year or day.year
    if not 2000 <= year <= 2100:
        raise errors.UsageError("duty.bad_year", year=year)
    if volunteer and _index(ctx).path_of(volunteer, "volunteer") is None:
        raise errors.UsageError("id.unknown", id=volunteer, kind="volunteer")
    return day, year


def _judge(ctx, day, year, work, volunteer, region) -> list:
    """``work``'s output for each part of the pairings judged (see duties.in_parts); the logs
    that cannot be read are named on stderr and kept in ctx.obj["unreadable"]."""
    unreadable, parts = duties.in_parts(_index(ctx), year, day, work, volunteer=volunteer, region=region)
    for path in unreadable:
        typer.echo(t("duty.unreadable", path=path), err=True)
    ctx.obj["unreadable"] = unreadable
    return parts


# What a worker sends back for its part of the pairings (see duties.in_parts).

def _json_part(book, results, folder: str) -> tuple[dict, str]:
    """The summary, and the pairings as JSON (no indent: the C encoder) in a file of ``folder``
    (a private temporary folder, removed with all in it when the command ends): a worker's 60 MB
    reach the terminal without being sent back, joined and encoded once more."""
    text = json.dumps([r.as_dict(book) for r in results], ensure_ascii=False)[1:-1]
    with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".json", delete=False) as out:
        out.write(text.encode("utf-8"))
    return duties.summary(results), out.name


def _write_json(head: str, paths: list[str], tail: str) -> None:
    """``head``, the parts' JSON texts joined by commas, ``tail``, to standard output."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(head.encode("utf-8"))
    first = True
    for path in paths:
        if os.path.getsize(path):
            out.write(b"" if first else b", ")
            with open(path, "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
            first = False
    out.write(tail.encode("utf-8"))
    out.flush()


# the statuses --show lists
_WANTED = {Only.open: (duties.DUE, duties.OVERDUE), Only.overdue: (duties.OVERDUE,), Only.all: duties.STATUSES}


def _text_part(book, results, only) -> tuple[dict, list]:
    """The summary and the table rows of the duties shown."""
    wanted = _WANTED[only]
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
                             t(f"duty.status.{d.status}"), d.deadline or "", _detail(d.detail)])
    return duties.summary(results), rows


def _days(text: str) -> int:
    """``30``, ``30d`` or ``4w``."""
    number, unit = (text[:-1], text[-1]) if text[-1:] in "dw" else (text, "d")
    if not number.isdigit():
        raise errors.UsageError("duty.bad_within", value=text)
    return int(number) * (7 if unit == "w" else 1)


def _person(book, pid: str, table: dict) -> str:
    return table.get(pid, {}).get("name") or pid


def _check_text(year: int, day, rows: list, total: dict) -> str:
    headers = [t(f"duty.col.{h}") for h in ("pairing", "child", "volunteer", "duty", "status", "deadline", "detail")]
    lines = [simple_table(rows, headers)] if rows else []
    lines.append(t("duty.summary", year=year, as_of=day.isoformat(), **total))
    return "\n".join(lines)


def _detail(x: dict) -> str:
    """The one thing a coordinator needs to act on: months missed, gaps, items skipped (``x``:
    a duty's detail, or its JSON form)."""
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


def _reminders(book, results, within: int, alert_days: int) -> dict[str, dict]:
    """Per volunteer, her reminders as JSON (names in: the text is made from it too)."""
    return {vid: {"volunteer": vid, "name": book.volunteers.get(vid, {}).get("name"),
                  "team": book.volunteers.get(vid, {}).get("team"),
                  "team_name": book.teams.get(book.volunteers.get(vid, {}).get("team")),
                  "items": [{"child": i.child, "child_name": _person(book, i.child, book.children), "what": i.what,
                             **({"duty": i.duty.as_dict()} if i.duty else
                                {"last_contact": i.last_contact, "days": i.days, "attempts": i.attempts})}
                            for i in items]}
            for vid, items in duties.remind(book, results, within, alert_days).items()}


def _reminder_line(item: dict) -> str:
    if item["what"] == "silent":
        key = "duty.remind.silent" if item["last_contact"] else "duty.remind.silent_never"
        return t(key, child=item["child_name"], days=item["days"], last=item["last_contact"], attempts=item["attempts"])
    duty = item["duty"]
    return t(f"duty.remind.{item['what']}", child=item["child_name"], duty=duty["label"], deadline=duty["deadline"],
             detail=_detail(duty))


def _remind_text(day, found: dict, days: int) -> str:
    if not found:
        return t("duty.remind.none", days=days, as_of=day.isoformat())
    lines = [t("duty.remind.title", as_of=day.isoformat(), days=days), ""]
    for vid, reminded in sorted(found.items(), key=lambda kv: (kv[1]["name"] or kv[0], kv[0])):
        lines.append(t("duty.remind.volunteer", name=reminded["name"] or vid, id=vid,
                       team=reminded["team_name"] or reminded["team"] or ""))
        lines.extend("  · " + _reminder_line(item) for item in reminded["items"])
        lines.append("")
    return "\n".join(lines).rstrip()

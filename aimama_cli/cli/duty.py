"""``aimama duty check|remind``."""

from __future__ import annotations

import functools
import json
import sys
import tempfile
from enum import Enum
from pathlib import Path

import typer

from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import ShowFormat, parse_as_of, root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.core.paused_gc import paused_gc
from aimama_cli.domain import cases, session
from aimama_cli.domain.keys import key_to_reveal
from aimama_cli.model import duties, programmes
from aimama_cli.reports import case_duties as case_part
from aimama_cli.reports import duty_check, reminders
from aimama_cli.store.index import Index


class Only(str, Enum):
    open = "open"  # due and overdue
    overdue = "overdue"
    all = "all"


# options both commands take
OPTIONS = {
    "as_of": lambda: typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
    "volunteer": lambda: typer.Option(None, "--volunteer", metavar="VOLUNTEER", help=t("duty.opt.volunteer")),
    "region": lambda: region_option(None, "duty.opt.region"),
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
        with paused_gc(), tempfile.TemporaryDirectory(prefix="aimama-duty-") as folder:
            day, year = _day_and_year(ctx, as_of, year, volunteer)
            work = functools.partial(duty_check.json_part, folder=folder) if fmt == ShowFormat.json else \
                functools.partial(duty_check.text_part, wanted=duty_check.WANTED[only.value])
            parts = _judge(ctx, day, year, work, volunteer, region)
            total = duties.combined([summary for summary, _shown in parts])
            open_cases = cases.judged(_index(ctx), day, volunteer, region)  # a section of their own
            if fmt == ShowFormat.json:
                head = json.dumps({"as_of": day.isoformat(), "year": year}, ensure_ascii=False)
                ending = {"summary": total, "unreadable": ctx.obj["unreadable"]}
                if open_cases:
                    ending["cases"] = case_part.check_json(_index(ctx), open_cases)
                tail = json.dumps(ending, ensure_ascii=False)
                sys.stdout.flush()
                duty_check.write_json(sys.stdout.buffer, f'{head[:-1]}, "pairings": [', [path for _summary, path in parts], f"], {tail[1:]}\n")
            else:
                typer.echo(duty_check.check_text(year, day, [row for _summary, rows in parts for row in rows], total))
                if open_cases:
                    typer.echo("\n" + case_part.check_text(_index(ctx), day, open_cases, duty_check.WANTED[only.value]))
        late_cases = any(d.status == duties.OVERDUE for r in open_cases for d in r.duties)
        if strict and (total[duties.OVERDUE] or late_cases):
            raise typer.Exit(errors.PROBLEMS)

    @sub.command("remind", help=t("duty.remind.help"))
    def remind(ctx: typer.Context,
               within: str = typer.Option(None, "--within", metavar="DAYS", help=t("duty.opt.within")),
               as_of: str = OPTIONS["as_of"](), volunteer: str = OPTIONS["volunteer"](),
               region: str = OPTIONS["region"](), fmt: ShowFormat = OPTIONS["format"](),
               by: By = typer.Option(None, "--by", help=t("remind.opt.by")),
               output: Path = typer.Option(None, "--output", "-o", metavar="DIR", help=t("remind.opt.output")),
               reveal: bool = typer.Option(False, "--reveal", help=t("remind.opt.reveal")),
               force: bool = typer.Option(False, "--force", help=t("remind.opt.force"))):
        for option, given in (("--output", output), ("--reveal", reveal), ("--force", force)):
            if given and by is None:
                raise errors.UsageError("remind.needs_by", option=option)
        if reveal:
            key_to_reveal(root_of(ctx))  # exit 2 before the work when the key is not at hand
        with paused_gc():
            day, year = _day_and_year(ctx, as_of, None, volunteer)
            settings = programmes.settings(_index(ctx))
            days = _days(within) if within else settings["remind_within_days"]
            found: dict[str, dict] = {}  # volunteer -> what _reminders gives, her parts merged
            for part in _judge(ctx, day, year, functools.partial(
                    duty_check.reminders, within=days, alert_days=settings["contact_alert_days"]), volunteer, region):
                for vid, reminded in part.items():
                    found.setdefault(vid, {**reminded, "items": []})["items"].extend(reminded["items"])
            teams = case_part.reminders(_index(ctx), day, cases.judged(_index(ctx), day, volunteer, region), days)
            if by is not None:
                _send(ctx, by.value, found, teams, day.isoformat(), days, fmt, output, reveal, force)
            elif fmt == ShowFormat.json:
                typer.echo(json.dumps({"as_of": day.isoformat(), "within_days": days,
                                       "contact_alert_days": settings["contact_alert_days"],
                                       "volunteers": [found[v] for v in sorted(found)],
                                       **({"teams": teams} if teams else {})},
                                      ensure_ascii=False, indent=1))
            elif found or not teams:
                typer.echo(duty_check.remind_text(day, found, days) + ("\n\n" + case_part.reminder_text(teams) if teams else ""))
            else:  # only cases have something due
                typer.echo(t("duty.remind.title", as_of=day.isoformat(), days=days) + "\n\n" + case_part.reminder_text(teams))

    app.add_typer(sub, name="duty")


class By(str, Enum):
    team = "team"
    volunteer = "volunteer"


def _send(ctx, by: str, found: dict, teams: list, as_of: str, days: int, fmt, output: Path | None,
          reveal: bool, force: bool) -> None:
    """``duty remind --by``: one message per volunteer or team leader, printed or one file each."""
    records = session.records(root_of(ctx), index=_index(ctx))
    if by == "team":
        messages, orphans = reminders.by_team(records, found, teams, reveal)
        for vid, name in orphans:
            typer.echo(t("remind.no_team", id=vid, name=name), err=True)
    else:
        messages = reminders.by_volunteer(records, found, reveal)
        if teams:
            typer.echo(t("remind.cases_elsewhere", count=len(teams)), err=True)
    lang = ctx.find_root().params.get("lang")
    reminders.word(messages, as_of, days, lang.value if lang else "zh", reveal)
    as_json = fmt == ShowFormat.json
    if output is None:
        if as_json:
            typer.echo(json.dumps({"as_of": as_of, "within_days": days, "by": by, "revealed": reveal,
                                   "messages": [m.as_dict(as_of, days) for m in messages]}, ensure_ascii=False, indent=1))
        else:
            typer.echo("\n".join(f"==== {reminders.file_name(m.id, '.txt')} ====\n{m.text}" for m in messages)
                       or t("remind.none", as_of=as_of))
        return
    suffix = ".json" if as_json else ".txt"
    files = {reminders.file_name(m.id, suffix):
             json.dumps(m.as_dict(as_of, days), ensure_ascii=False, indent=1) + "\n" if as_json else m.text
             for m in messages}
    if not files:
        typer.echo(t("remind.none", as_of=as_of))
        return
    done = reminders.write(output, files, force)
    typer.echo(t("remind.written", count=len(files), by=t("remind.by.team") if by == "team" else t("remind.by.volunteer"), path=str(output), as_of=as_of))
    for m, name in zip(messages, files):
        phone = "" if not reveal else t("remind.line.phone" if m.to["phone"] else "remind.line.no_phone")
        typer.echo("  " + t("remind.line", file=name, name=m.to["team_name"] if by == "team" else m.to["name"],
                            items=m.items, phone=phone))
    if done.unchanged:
        typer.echo(t("remind.unchanged", count=len(done.unchanged)))
    if done.others:
        typer.echo(t("remind.others", path=str(output), count=done.others), err=True)


def _index(ctx) -> Index:
    """One index per command (remind reads it twice: the duties, then its settings)."""
    if "index" not in ctx.obj:
        ctx.obj["index"] = session.open_index(root_of(ctx))
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


def _days(text: str) -> int:
    """``30``, ``30d`` or ``4w``."""
    number, unit = (text[:-1], text[-1]) if text[-1:] in "dw" else (text, "d")
    if not number.isdigit():
        raise errors.UsageError("duty.bad_within", value=text)
    return int(number) * (7 if unit == "w" else 1)

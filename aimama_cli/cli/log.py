"""``aimama log add``: record a visit, a call, a micro-wish, a book, insurance ..."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, Secrets, parse_as_of, report_saved, root_of
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.domain import activities as activity_log
from aimama_cli.domain import session


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("log.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("add", help=t("log.add.help"))
    def add(ctx: typer.Context,
            volunteer: str = typer.Argument(..., metavar="VOLUNTEER", help=t("log.arg.volunteer")),
            kinds: list[str] = typer.Option(..., "--kind", metavar="KIND", help=t("log.opt.kind")),
            children: list[str] = typer.Option(None, "--child", metavar="CHILD", help=t("log.opt.child")),
            pairing: str = typer.Option(None, "--pairing", metavar="PAIRING", help=t("log.opt.pairing")),
            date: str = typer.Option(None, "--date", metavar="DATE", help=t("opt.on")),
            contact: str = typer.Option(None, "--contact", metavar="made|attempted", help=t("log.opt.contact")),
            hours: str = typer.Option(None, "--hours", metavar="H", help=t("log.opt.hours")),
            checks: list[str] = typer.Option(None, "--check", metavar="ITEM", help=t("log.opt.check")),
            wish: str = typer.Option(None, "--wish", metavar="TEXT", help=t("log.opt.wish")),
            fulfilled_on: str = typer.Option(None, "--fulfilled-on", metavar="DATE", help=t("log.opt.fulfilled_on")),
            book: str = typer.Option(None, "--book", metavar="TITLE", help=t("log.opt.book")),
            insurer: str = typer.Option(None, "--insurer", metavar="TEXT", help=t("log.opt.insurer")),
            policy_no: str = typer.Option(None, "--policy-no", metavar="TEXT", help=t("log.opt.policy_no")),
            start: str = typer.Option(None, "--from", metavar="DATE", help=t("log.opt.from")),
            end: str = typer.Option(None, "--to", metavar="DATE", help=t("log.opt.to")),
            details: str = typer.Option(None, "--details", metavar="TEXT", help=t("log.opt.details")),
            concern: str = typer.Option(None, "--concern", metavar="TEXT", help=t("log.opt.concern")),
            risk: str = typer.Option(None, "--risk", metavar="low|medium|high", help=t("log.opt.risk")),
            as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
            again: bool = typer.Option(False, "--again", help=t("log.opt.again")),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        secrets = Secrets("activity")  # sensitive notes: `-` reads standard input, `?` asks unseen
        details = secrets.value(("entries", 0, "details"), details, "--details")
        concern = secrets.value(("entries", 0, "concern"), concern, "--concern")
        today = parse_as_of(as_of)  # the change is judged as of today, as check judges it
        day = parse_as_of(date) if date else today
        policy = {k: v for k, v in (("insurer", insurer), ("policy_no", policy_no), ("from", start),
                                    ("to", end)) if v}
        if policy and len(policy) < 4:
            raise UsageError("log.policy_incomplete")
        activity = activity_log.Activity(volunteer, day, list(kinds), list(children or ()), pairing,
                                         contact, hours, list(checks or ()), wish, fulfilled_on, book,
                                         policy, details, concern, risk, again)
        change = session.change(root_of(ctx), "log add", as_of=today)
        activity_log.add(change, activity)
        saved = change.save(f"{volunteer} {day.isoformat()}", commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "log.added", dry_run, volunteer=volunteer, date=day.isoformat())
        for child in activity_log.unpaired(change.index, activity):
            typer.echo(t("log.unpaired", child=child, volunteer=volunteer, date=day.isoformat()), err=True)

    app.add_typer(sub, name="log")

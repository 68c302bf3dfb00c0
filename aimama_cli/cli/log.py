"""``aimama log add|list|edit|remove``: record a visit, a call, a micro-wish, a book,
insurance ...; list the entries, correct one, remove one entered by mistake."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, ListFormat, Secrets, parse_as_of, report_saved, root_of
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.domain import activities as activity_log
from aimama_cli.domain import log_entries, session
from aimama_cli.store import values
from aimama_cli.store.analysis import field_path


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

    _list(sub)
    _edit(sub)
    _remove(sub)
    app.add_typer(sub, name="log")


def _list(sub: typer.Typer) -> None:
    @sub.command("list", help=t("log.list.help"))
    def list_command(ctx: typer.Context,
                     volunteer: str = typer.Option(None, "--volunteer", metavar="VOLUNTEER", help=t("log.list.opt.volunteer")),
                     child: str = typer.Option(None, "--child", metavar="CHILD", help=t("log.list.opt.child")),
                     start: str = typer.Option(None, "--from", metavar="DATE", help=t("log.list.opt.from")),
                     end: str = typer.Option(None, "--to", metavar="DATE", help=t("log.list.opt.to")),
                     kind: str = typer.Option(None, "--kind", metavar="KIND", help=t("log.list.opt.kind")),
                     fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help=t("opt.format"))):
        from aimama_cli.reports import visit_logs

        records = session.records(root_of(ctx))
        filters = log_entries.Filters(
            volunteer=log_entries.People(records, "volunteer").id_of(volunteer) if volunteer else None,
            child=log_entries.People(records, "child").id_of(child) if child else None,
            start=parse_as_of(start).isoformat() if start else None,
            end=parse_as_of(end).isoformat() if end else None,
            kind=_kind(kind) if kind else None)
        rows = log_entries.listing(records, filters)
        names = records.index.names(visit_logs.ids_named(rows))
        typer.echo(visit_logs.render(rows, fmt.value, names))


def _kind(text: str) -> str:
    try:
        return values.coerce("activity", activity_log.ENTRY + ("kinds", 0), text)
    except values.ValueProblem as exc:
        raise UsageError(exc.key, **exc.params) from None


def _which():
    return (typer.Argument(..., metavar="VOLUNTEER", help=t("log.arg.volunteer_entry")),
            typer.Argument(..., metavar="DATE", help=t("log.arg.date")),
            typer.Option(None, "--n", metavar="N", min=1, help=t("log.opt.n")))


def _edit(sub: typer.Typer) -> None:
    who, when, which = _which()

    @sub.command("edit", help=t("log.edit.help"))
    def edit(ctx: typer.Context, volunteer: str = who, date: str = when, n: int = which,
             sets: list[str] = typer.Option(None, "--set", metavar="FIELD=VALUE", help=t("log.opt.set")),
             unsets: list[str] = typer.Option(None, "--unset", metavar="FIELD", help=t("log.opt.unset")),
             as_of: str = COMMON["as_of"](), no_commit: bool = COMMON["no_commit"](),
             dry_run: bool = COMMON["dry_run"]()):
        if not sets and not unsets:
            raise UsageError("log.nothing_to_edit")
        secrets = Secrets("activity")  # details, concern: `-` reads standard input
        assignments = [f"{name}={secrets.value(activity_log.ENTRY + field_path(name.strip()), raw, name.strip())}"
                       if sep else text for text in sets or () for name, sep, raw in [text.partition("=")]]
        day = parse_as_of(date)
        change = session.change(root_of(ctx), "log edit", as_of=parse_as_of(as_of))
        found = log_entries.find(change, volunteer, day, n)
        log_entries.edit(change, found, assignments, list(unsets or ()))
        fields = ", ".join(s.partition("=")[0].strip() for s in [*(sets or ()), *(unsets or ())])
        saved = change.save(f"{found.volunteer} {day.isoformat()} #{found.n}: {fields}",
                            commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "log.edited", dry_run, volunteer=found.volunteer, date=day.isoformat(), n=found.n)


def _remove(sub: typer.Typer) -> None:
    who, when, which = _which()

    @sub.command("remove", help=t("log.remove.help"))
    def remove(ctx: typer.Context, volunteer: str = who, date: str = when, n: int = which,
               reason: str = typer.Option(..., "--reason", metavar="TEXT", help=t("log.opt.reason")),
               as_of: str = COMMON["as_of"](), no_commit: bool = COMMON["no_commit"](),
               dry_run: bool = COMMON["dry_run"]()):
        if not reason.strip():
            raise UsageError("log.reason_empty")
        day = parse_as_of(date)
        change = session.change(root_of(ctx), "log remove", as_of=parse_as_of(as_of))
        found = log_entries.find(change, volunteer, day, n)
        entry = log_entries.describe(log_entries.remove(found))
        reason = " ".join(reason.split())  # one line: it is the commit's subject
        saved = change.save(f"{found.volunteer} {day.isoformat()} #{found.n}: {reason}",
                            commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "log.removed", dry_run, volunteer=found.volunteer, date=day.isoformat(),
                     n=found.n, entry=entry)
        if saved.commit:
            typer.echo(t("log.history_hint", path=found.path))

"""``aimama pledge sign|due|print``: the yearly commitment form (结对关爱承诺书)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import typer

from aimama_cli.cli.batch_report import exactly_one, list_batch, save_batch
from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import COMMON, FormFormat, ListFormat, parse_as_of, report_saved, root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal, inert_cell
from aimama_cli.domain import pledges, session
from aimama_cli.store.yamlio import atomic_write

DUE_COLUMNS = ("id", "name", "team_name", "village_name", "reason", "last_year", "paired")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("pledge.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("sign", help=t("pledge.sign.help"))
    def sign(ctx: typer.Context,
             volunteer: str = typer.Argument(None, metavar="VOLUNTEER", help=t("pledge.arg.volunteer_or_team")),
             team: str = typer.Option(None, "--team", metavar="TEAM", help=t("pledge.opt.team")),
             year: int = typer.Option(..., "--year", min=2000, max=2100, help=t("pledge.opt.year")),
             on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
             programme: str = typer.Option(None, "--programme", metavar="ID", help=t("pledge.opt.programme")),
             no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        exactly_one(volunteer, team, "VOLUNTEER", "--team")
        day = parse_as_of(on)
        change = session.change(root_of(ctx), "pledge sign", as_of=day)
        if team is not None:
            batch = pledges.sign_team(change, team, year, day, programme)
            save_batch(change, batch, t("pledge.batch.what", year=year, team=batch.about), f"{team} {year}",
                       no_commit=no_commit, dry_run=dry_run)
            return
        sid = pledges.sign(change, volunteer, year, day, programme)
        saved = change.save(f"{sid} {volunteer} {year}", commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "pledge.signed", dry_run, id=sid)

    @sub.command("void", help=t("pledge.void.help"))
    def void(ctx: typer.Context,
             pid: str = typer.Argument(..., metavar="ID", help=t("pledge.arg.id")),
             reason: str = typer.Option(..., "--reason", metavar="TEXT", help=t("pledge.void.opt.reason")),
             on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
             no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(on)
        change = session.change(root_of(ctx), "pledge void", as_of=day)
        sid = pledges.void(change, pid, reason, day)
        saved = change.save(t("commit.pledge_voided", id=sid), commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "pledge.voided", dry_run, id=sid)

    @sub.command("due", help=t("pledge.due.help"))
    def due(ctx: typer.Context,
            year: int = typer.Option(None, "--year", min=2000, max=2100, help=t("pledge.opt.due_year")),
            as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
            region: str = region_option(""),
            fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help=t("opt.format"))):
        day = parse_as_of(as_of)
        records = session.records(root_of(ctx), as_of=day)
        rows = pledges.due(records.index, year or day.year, day, region)
        typer.echo(pledges.due_json(rows) if fmt == ListFormat.json else _due_text(rows, fmt.value))

    @sub.command("print", help=t("pledge.print.help"))
    def print_form(ctx: typer.Context,
                   pid: str = typer.Argument(None, metavar="ID", help=t("pledge.arg.id_or_team")),
                   team: str = typer.Option(None, "--team", metavar="TEAM", help=t("pledge.opt.print_team")),
                   year: int = typer.Option(None, "--year", min=2000, max=2100, help=t("pledge.opt.print_year")),
                   fmt: FormFormat = typer.Option(FormFormat.html, "--format", "-f", help=t("pledge.opt.form_format")),
                   output: Path = typer.Option(None, "--output", "-o", metavar="FILE", help=t("pledge.opt.output"))):
        exactly_one(pid, team, "ID", "--team")
        records = session.records(root_of(ctx))
        if team is None:
            _write(pledges.render(pledges.form(records, pid), fmt.value), output, t("pledge.printed", path=str(output)))
            return
        if year is None:
            raise errors.UsageError("batch.needs_year")
        found, forms, batch = pledges.team_forms(records, team, year)
        if not forms:
            list_batch(batch, "", err=True)
            raise errors.UsageError("pledge.batch.none", team=found["name"], year=year)
        _write(pledges.render_book(found, year, forms, fmt.value), output, None)
        list_batch(batch, t("pledge.batch.printed", team=found["name"], year=year, path=str(output) if output else t("batch.stdout")),
                   err=output is None)  # on stderr when the forms went to standard output

    app.add_typer(sub, name="pledge")


def _write(text: str, output: Path | None, done: str | None) -> None:
    """The form(s) to standard output, or into ``output`` (atomically) and say so."""
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        atomic_write(output, text)
    except OSError as exc:
        raise errors.UsageError("pledge.unwritable", path=str(output), detail=exc.strerror) from None
    if done:
        typer.echo(done)


def _due_text(rows: list[pledges.Due], fmt: str) -> str:
    """``pledge due`` as a table or CSV, reasons and pairing counts in words."""
    table = [[for_terminal(str(v)) if isinstance(v, str) else v
              for v in (r.id, r.name, r.team_name or r.team, r.village_name or r.village,
                        t(f"pledge.reason.{r.reason}"), r.last_year or "—", r.paired or "")]
             for r in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(DUE_COLUMNS)
        writer.writerows([[inert_cell(v) for v in row] for row in table])
        return buffer.getvalue().rstrip("\n")
    from tabulate import tabulate

    headers = [t(f"pledge.col.{c}") for c in DUE_COLUMNS]
    return (tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True) + "\n"
            + t("pledge.due.count", count=len(rows)))

"""``aimama case add|show|close|list``: the case work of the professional teams (个案)."""

from __future__ import annotations

import json

import typer

from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import COMMON, Secrets, ShowFormat, TableFormat, parse_as_of, report_saved, root_of
from aimama_cli.core.i18n import t
from aimama_cli.domain import cases, people, session
from aimama_cli.domain import keys as encryption
from aimama_cli.model import case_duties
from aimama_cli.reports.views import card, shown, simple_table
from aimama_cli.store.change import Records
from aimama_cli.store.sealing.masking import displayed


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("case.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("add", help=t("case.add.help"))
    def add(ctx: typer.Context,
            case: str = typer.Argument(..., metavar="CASE", help=t("case.arg.case")),
            step: str = typer.Option(..., "--step", metavar="KIND", help=t("case.opt.step")),
            by: str = typer.Option(None, "--by", metavar="VOLUNTEER", help=t("case.opt.by")),
            hours: str = typer.Option(None, "--hours", metavar="H", help=t("case.opt.hours")),
            notes: str = typer.Option(None, "--notes", metavar="TEXT", help=t("case.opt.notes")),
            date: str = COMMON["date"](), as_of: str = COMMON["as_of"](),
            no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"](),
            dry_run: bool = COMMON["dry_run"]()):
        today = parse_as_of(as_of)
        day = parse_as_of(date) if date else today
        change = session.change(root_of(ctx), "case add", as_of=today)
        step = cases.read(("steps", 0, "kind"), step)
        notes = Secrets("case").value(("steps", 0, "notes"), notes, "--notes")
        cases.add_step(change, case, step, day, by=by, hours=hours, notes=notes)
        saved = change.save(f"{case} {step} {day.isoformat()}", commit=not no_commit, force=force,
                            dry_run=dry_run)
        report_saved(saved, "case.added", dry_run, id=case, date=day.isoformat())

    @sub.command("close", help=t("case.close.help"))
    def close(ctx: typer.Context,
              case: str = typer.Argument(..., metavar="CASE", help=t("case.arg.case")),
              outcome: str = typer.Option(..., "--outcome", metavar="TEXT", help=t("case.opt.outcome")),
              reason: str = typer.Option(None, "--reason", metavar="CODE", help=t("case.opt.reason")),
              date: str = COMMON["date"](), as_of: str = COMMON["as_of"](),
              no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        today = parse_as_of(as_of)
        day = parse_as_of(date) if date else today
        change = session.change(root_of(ctx), "case close", as_of=today)
        outcome = Secrets("case").value(("closed", "outcome"), outcome, "--outcome")
        cases.close(change, case, day, outcome, reason)
        saved = change.save(t("commit.case_closed", id=case), commit=not no_commit, force=force)
        report_saved(saved, "case.closed_done", id=case)

    @sub.command("show", help=t("case.show.help"))
    def show(ctx: typer.Context,
             case: str = typer.Argument(..., metavar="CASE", help=t("case.arg.case")),
             reveal: bool = typer.Option(False, "--reveal", help=t("show.opt.reveal")),
             fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
             as_of: str = COMMON["as_of"]()):
        day = parse_as_of(as_of)
        records = session.records(root_of(ctx), as_of=day)
        data = encryption.to_show(records, "case", case, records.read(case, "case"), reveal)
        judged = case_duties.judge(records.index, day, case_ids={case})
        owed = judged[0].duties if judged else []
        if fmt == ShowFormat.json:
            typer.echo(json.dumps({"record": displayed("case", data, reveal),
                                   "duties": [d.as_dict() for d in owed]}, ensure_ascii=False, indent=2))
            return
        steps = data.get("steps") if isinstance(data.get("steps"), list) else []
        names = case_duties.names_of(records.index, [data.get("child"), data.get("team"),
                                                    *(s.get("by") for s in steps if isinstance(s, dict))])
        typer.echo(f"{t('kind.case')} {case}")
        for line in card("case", data, names, reveal):
            typer.echo("  " + line)
        for d in owed:
            typer.echo("  " + _item_line(d.as_dict()))

    @sub.command("list", help=t("case.list.help"))
    def list_command(ctx: typer.Context,
                     kind: str = typer.Option(None, "--kind", metavar="KIND", help=t("case.opt.kind")),
                     team: str = typer.Option(None, "--team", metavar="TEAM", help=t("list.opt.team")),
                     child: str = typer.Option(None, "--child", metavar="CHILD", help=t("case.opt.child")),
                     status: str = typer.Option(None, "--status", metavar="open|closed", help=t("case.opt.status")),
                     every: bool = typer.Option(False, "--all", help=t("case.opt.all")),
                     missing: str = typer.Option(None, "--missing", metavar="KIND", help=t("case.opt.missing")),
                     region: str = region_option(),
                     fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help=t("opt.format"))):
        records = session.records(root_of(ctx))
        if missing:
            _list_missing(records, cases.read(("kind",), missing), region, fmt)
            return
        wanted = cases.read(("status",), status) if status else (None if every else "open")
        found = cases.rows(records.index, kind=cases.read(("kind",), kind) if kind else None, team=team,
                           child=child, status=wanted, region=region)
        if fmt == TableFormat.json:
            typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
            return
        names = case_duties.names_of(records.index, [x for r in found for x in (r["child"], r["team"])])
        columns = ("id", "kind", "child", "team", "opened_on", "risk_level", "steps", "last_step", "status")
        table = [[str(r["id"])] + [_cell(c, r, names) for c in columns[1:]] for r in found]
        typer.echo(simple_table(table, [t(f"case.col.{c}") for c in columns]))
        typer.echo(t("list.count", count=len(found)))

    app.add_typer(sub, name="case")


def _list_missing(change: Records, kind: str, region: str | None, fmt) -> None:
    """The active children with no case of ``kind`` (``case list --missing``)."""
    found = cases.without_case(change.index, kind, region)
    if fmt == TableFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    places = people.region_names(change.index)
    rows = [[r["id"], r["name"] or "", places.get(r["village"]) or r["village"] or ""] for r in found]
    typer.echo(simple_table(rows, [t("list.col.id"), t("list.col.name"), t("list.col.village")]))
    typer.echo(t("case.missing.count", count=len(found), kind=shown("case", ("kind",), kind, {})))


def _cell(column: str, row: dict, names: dict) -> str:
    value = row.get(column)
    if column in ("child", "team"):
        return names.get(value) or str(value or "")
    return shown("case", (column,), value, {}) if value is not None else ""


def _item_line(item: dict) -> str:
    """One duty of a case as a line: what, its state and the day it falls due."""
    return t(f"case.item.{item['status']}", duty=item["label"], deadline=item["deadline"]) + (
        " " + t("duty.detail.late") if item.get("late") else "")

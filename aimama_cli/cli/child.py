"""``aimama child add|list|show|edit|close`` and ``child confirm``: the roster of children and its confirmation by the township (摸清底子)."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, parse_as_of, report_saved, root_of
from aimama_cli.cli.record_commands import decider, group
from aimama_cli.core.i18n import t
from aimama_cli.domain import people, session


def register(app: typer.Typer) -> None:
    sub = group("child")
    _confirm(sub)
    app.add_typer(sub, name="child")


def _confirm(sub: typer.Typer) -> None:
    @sub.command("confirm", help=t("child.confirm.help"))
    def confirm(ctx: typer.Context,
                rid: str = typer.Argument(..., metavar="ID", help=t("child.arg.id")),
                source: str = typer.Option(None, "--source", help=t("confirm.opt.source")),
                by: str = typer.Option(None, "--by", metavar="COORDINATOR", help=t("opt.by")),
                on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
                no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, "child confirm", as_of=day)
        sets = [f"roster.confirmed_by={decider(change, by)}", f"roster.confirmed_on={day.isoformat()}"]
        if source:
            sets.append(f"roster.source={source}")
        people.set_fields(change, "child", rid, sets, [])
        saved = change.save(f"{rid} roster confirmed", commit=not no_commit, force=force)
        report_saved(saved, "confirm.done", id=rid)

"""What every command group shares: the repository root, dates, output formats, the options
of commands that write, and how a saved change is reported."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import typer

from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain import session
from aimama_cli.store import layout
from aimama_cli.store.change import Saved


def _choice(name: str, *values: str) -> type[Enum]:
    return Enum(name, {v: v for v in values}, type=str)


# --format values, one place for all commands
ListFormat = _choice("ListFormat", "table", "json", "csv")  # list, due
ShowFormat = _choice("ShowFormat", "text", "json")  # show, suggest, duty check
TableFormat = _choice("TableFormat", "table", "json")  # history, audit, keys list, case list
CheckFormat = _choice("CheckFormat", "text", "json", "github")
ReportFormat = _choice("ReportFormat", "table", "json", "csv", "xlsx")
ExportFormat = _choice("ExportFormat", "xlsx", "csv")
DiffFormat = _choice("DiffFormat", "text", "markdown", "json")
FormFormat = _choice("FormFormat", "md", "html")

# options many commands share: those of every command that writes, and the dates
COMMON = {
    "no_commit": lambda: typer.Option(False, "--no-commit", help=t("opt.no_commit")),
    "force": lambda: typer.Option(False, "--force", help=t("opt.force")),
    "dry_run": lambda: typer.Option(False, "--dry-run", help=t("opt.dry_run")),
    "as_of": lambda: typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
    "date": lambda: typer.Option(None, "--date", "--on", metavar="DATE", help=t("opt.on")),
}


def root_of(ctx: typer.Context) -> Path:
    """The records repository: ``--root``, else $AIMAMA_ROOT, else the nearest one above."""
    return layout.find_root(ctx.obj["root"])


def parse_as_of(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise errors.UsageError("date.invalid", value=value) from None


def report_saved(saved: Saved, done_key: str, dry_run: bool = False, **params) -> None:
    typer.echo(t(done_key + (".dry_run" if dry_run else ""), **params))
    for path in saved.paths:
        typer.echo(f"  {path}")
    if saved.unchanged:
        typer.echo(t("change.unchanged"))
    elif saved.commit:
        typer.echo(t("change.committed", commit=saved.commit[:10]))
    elif not dry_run:
        typer.echo(t("change.not_committed"))


def option(name: str, key: str, metavar: str = "TEXT", default=None):
    """An option whose help is the catalog's ``key``."""
    return typer.Option(default, name, metavar=metavar, help=t(key))


def save_and_report(ctx: typer.Context, command: str, as_of: str | None, make, summary: str, done: str,
                    no_commit: bool, dry_run: bool = False, force: bool = False) -> None:
    """Make a change with ``make(change)`` (which returns the record id), judge, write, commit
    and say so."""
    change = session.change(root_of(ctx), command, as_of=parse_as_of(as_of))
    rid = make(change)
    saved = change.save(f"{rid} {summary}", commit=not no_commit, dry_run=dry_run, force=force)
    report_saved(saved, done, dry_run, id=rid)

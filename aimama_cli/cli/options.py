"""What every command group shares: the repository root, dates, output formats, the options
of commands that write, and how a saved change is reported."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t
from aimama_cli.core.problems import field_name
from aimama_cli.domain import session
from aimama_cli.store import layout, schemas
from aimama_cli.store.sealing.masking import is_sensitive

if TYPE_CHECKING:
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


def report_saved(saved: "Saved", done_key: str, dry_run: bool = False, **params) -> None:
    typer.echo(t(done_key + (".dry_run" if dry_run else ""), **params))
    for path in saved.paths:
        typer.echo(f"  {path}")
    report_commit(saved, dry_run)


def report_commit(saved: "Saved", dry_run: bool = False) -> None:
    """What became of a saved change: nothing to change, the commit made, or written only."""
    if saved.unchanged:
        typer.echo(t("change.unchanged"))
    elif saved.commit:
        typer.echo(t("change.committed", commit=saved.commit[:10]))
    elif not dry_run:
        typer.echo(t("change.not_committed"))


def interactive() -> bool:
    """Standard input is a terminal: a person can be asked."""
    return sys.stdin.isatty()


class Secrets:
    """Values of sensitive fields kept off the command line, where ``ps`` shows them to every
    user of the machine and the shell history keeps them: a value ``-`` is read from standard
    input (one line; asked unseen at a terminal), ``?`` is asked at the terminal without echo.
    A sensitive value given on the command line still works, with a warning. The schema says
    which fields are sensitive (``x-sensitive``)."""

    def __init__(self, kind: str, stdin_taken: bool = False):
        self.kind, self.stdin_taken = kind, stdin_taken  # --from - has read standard input

    def value(self, path: tuple, raw, shown_as: str):
        """The value for field ``path`` of a ``kind`` record, given as ``raw`` by option (or
        --set path) ``shown_as``."""
        if not isinstance(raw, str):
            return raw
        if raw == "-":
            if self.stdin_taken:
                raise errors.UsageError("secret.stdin_once", field=shown_as)
            self.stdin_taken = True
            return self._ask(path) if interactive() else self._line(shown_as)
        if raw == "?":
            if not interactive():
                raise errors.UsageError("secret.needs_terminal", field=shown_as)
            return self._ask(path)
        if raw.strip() and path and is_sensitive(self.kind, path):
            typer.echo(t("secret.visible", field=shown_as), err=True)
        return raw

    def _ask(self, path: tuple) -> str:
        en, zh = schemas.info(self.kind).titles.get(schemas.pattern_of(path), (path[-1], path[-1]))
        label = zh if language() == "zh" else en
        return typer.prompt(f"{label} [{field_name(path)}]", hide_input=is_sensitive(self.kind, path))

    @staticmethod
    def _line(shown_as: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise errors.UsageError("secret.no_stdin", field=shown_as)
        return line.rstrip("\r\n")


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

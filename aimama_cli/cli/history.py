"""``aimama history ID``: the field-level change history of one record, from git."""

from __future__ import annotations

import json
import re

import typer

from aimama_cli.cli.options import TableFormat, root_of
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal, json_text
from aimama_cli.history import record_history

SIGNED = {"yes": "history.signed.yes", "no": "history.signed.no", "bad": "history.signed.bad"}


def register(app: typer.Typer) -> None:
    @app.command("history", help=t("history.help"))
    def history_command(
        ctx: typer.Context,
        rid: str = typer.Argument(..., metavar="ID", help=t("history.arg.id")),
        fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help=t("opt.format")),
        reveal: bool = typer.Option(False, "--reveal", help=t("history.opt.reveal")),
    ):
        found = record_history.history(root_of(ctx), rid, reveal=reveal)
        if fmt == TableFormat.json:
            typer.echo(json_text(found.as_json()))
            return
        typer.echo(for_terminal(render(found)))  # values from records: shown, not obeyed
        if found.masked:
            typer.echo(t("history.masked"), err=True)


def render(found: record_history.History) -> str:
    """A block per commit — sha, date, author, command and subject — and a table of its fields."""
    from tabulate import tabulate

    lines = [t("history.heading", id=found.id, path=found.path, count=len(found.commits))]
    headers = [t("history.col.field"), t("history.col.old"), t("history.col.new")]
    for c in found.commits:
        lines += ["", t("history.commit", sha=c.commit) + f"  {c.date}  {c.author} <{c.email}>  "
                      + t("history.signed", mark=t(SIGNED[c.signed])),
                  f"  [{_command(c)}] {c.subject}"]
        if c.renamed_from:
            lines.append("  " + t("history.renamed", path=c.renamed_from))
        label = _labeller(c.path)
        rows = [[x.field, "" if x.note else _shown(label(x.field, x.old)), x.note or _shown(label(x.field, x.new))]
                for x in c.changes]
        if rows:
            lines.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
        else:
            lines.append("  " + t("history.no_field_changed"))
    return "\n".join(lines)


def _command(c: record_history.Commit) -> str:
    """The aimama command that made the commit, as its trailer claims; a claim its author did
    not sign is marked unverified (anyone can type a trailer)."""
    if not c.command:
        return t("history.hand_edit")
    return c.command if c.command_verified else t("history.unverified", command=c.command)


def _labeller(path: str):
    """Codes of the record at ``path`` as the coordinator reads them: under --lang zh an enum's
    label (女, 已审核通过), as diff shows them; the code itself in English."""
    from aimama_cli.core.i18n import language
    from aimama_cli.store import layout, schemas

    kind = layout.classify(path)[0]
    if language() != "zh" or kind not in schemas.KINDS:
        return lambda field, value: value

    def label(field: str, value):
        if not isinstance(value, str):
            return value
        steps = tuple(int(step) if step.isdigit() else step for step in re.findall(r"[^.\[\]]+", field))
        return schemas.label(kind, schemas.pattern_of(steps), value, "zh")
    return label


def _shown(value) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

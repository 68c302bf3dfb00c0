"""``aimama audit``, and the global ``--as COORDINATOR_ID`` (see :func:`act_as`)."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import TableFormat
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal, json_text
from aimama_cli.history import audit, signing
from aimama_cli.history.coordinators import coordinator
from aimama_cli.store import gitio, layout


def register(app: typer.Typer) -> None:
    @app.command("audit", help=t("audit.help"))
    def audit_command(
        ctx: typer.Context,
        since: str = typer.Option(None, "--since", metavar="REV", help=t("audit.opt.since")),
        fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help=t("opt.format")),
    ) -> int:
        result = audit.audit(layout.find_root(ctx.obj["root"]), since)
        if fmt == TableFormat.json:
            typer.echo(json_text(result.as_json()))
        else:
            typer.echo(for_terminal(table(result)))
        return errors.OK if result.ok else errors.PROBLEMS


def table(result: audit.Result) -> str:
    since = t("audit.since", rev=result.since) if result.since is not None else ""
    signed = "" if result.signed is None else "\n" + t("audit.signatures", commits=result.signed,
                                                        rev=result.keys_from)
    if result.ok:
        return t("audit.clean", commits=result.commits, since=since) + signed
    from tabulate import tabulate

    columns = ("kind", "commit", "date", "author", "record", "message")
    rows = [(t(f"audit.kind.{f.kind}"), f.commit, f.date[:10], f.author, f.record or "-", f.message)
            for f in result.findings]
    offending = result.offending()
    summary = t("audit.summary", findings=len(result.findings), offending=len(offending),
                commits=result.commits, since=since, shas=" ".join(offending))
    return (tabulate(rows, headers=[t(f"audit.header.{c}") for c in columns], tablefmt="simple",
                     disable_numparse=True) + "\n" + summary + signed)


def act_as(ctx: typer.Context, coordinator_id: str) -> None:
    """``aimama --as ID ...``: until the command ends, commits are authored by coordinator ``ID``
    (name and e-mail from records/coordinators.yaml in the work tree) and ``gitio.user_email``
    answers with her e-mail; an unknown id exits 2 before anything is written, and so does a
    signing key not hers where the repository requires signed commits."""
    root = layout.find_root(ctx.obj["root"])
    person = coordinator(root, coordinator_id)
    signing.check_as(root, person)
    ctx.obj["as"] = person
    ctx.with_resource(gitio.authored_as(person.name, person.email))

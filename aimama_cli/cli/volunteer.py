"""``aimama volunteer add|list|show|edit|close`` and ``volunteer vet``: volunteers and their vetting (审核资格)."""

from __future__ import annotations

import typer

from aimama_cli.cli.batch_report import save_batch
from aimama_cli.cli.options import COMMON, parse_as_of, report_saved, root_of
from aimama_cli.cli.record_commands import decider, group, merge_command
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain import people, session


def register(app: typer.Typer) -> None:
    sub = group("volunteer")
    _vet(sub)
    merge_command(sub, "volunteer")
    app.add_typer(sub, name="volunteer")


def _vet(sub: typer.Typer) -> None:
    @sub.command("vet", help=t("volunteer.vet.help"))
    def vet(ctx: typer.Context,
            rids: list[str] = typer.Argument(..., metavar="ID", help=t("vet.arg.ids")),
            approve: bool = typer.Option(False, "--approve", help=t("vet.opt.approve")),
            reject: bool = typer.Option(False, "--reject", help=t("vet.opt.reject")),
            suspend: bool = typer.Option(False, "--suspend", help=t("vet.opt.suspend")),
            reason: str = typer.Option(None, "--reason", help=t("vet.opt.reason")),
            checks: list[str] = typer.Option(None, "--check", metavar="KIND=RESULT[:EVIDENCE]",
                                             help=t("vet.opt.check")),
            by: str = typer.Option(None, "--by", metavar="COORDINATOR", help=t("opt.by")),
            on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
            no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"](),
            dry_run: bool = COMMON["dry_run"]()):
        actions = [a for a, chosen in (("approve", approve), ("reject", reject),
                                       ("suspend", suspend)) if chosen]
        if len(actions) != 1:
            raise errors.UsageError("vet.one_action")
        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, "volunteer vet", as_of=day)
        decision = people.Decision(actions[0], reason, list(checks or ()), decider(change, by), day)
        from aimama_cli.domain import batches

        batch = batches.vet(change, rids, decision)
        status = t("vet.status." + actions[0])
        if len(rids) == 1 and batch.done:  # one volunteer: said as it always was
            saved = change.save(f"{batch.done[0][0]} {status}", commit=not no_commit,
                                force=force, dry_run=dry_run)
            report_saved(saved, "vet.done", dry_run, id=batch.done[0][0], status=status)
            return
        save_batch(change, batch, t("vet.batch.what", status=status), status,
                   no_commit=no_commit, dry_run=dry_run, force=force)

"""``aimama child add|list|show|edit|close`` and ``child confirm``: the roster of children and its confirmation by the township (摸清底子)."""

from __future__ import annotations

import typer

from aimama_cli.cli.batch_report import exactly_one, save_batch
from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import COMMON, parse_as_of, report_saved, root_of
from aimama_cli.cli.record_commands import decider, group, merge_command
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain import session


def register(app: typer.Typer) -> None:
    sub = group("child")
    _confirm(sub)
    _consent(sub)
    merge_command(sub, "child")
    app.add_typer(sub, name="child")


def _confirm(sub: typer.Typer) -> None:
    @sub.command("confirm", help=t("child.confirm.help"))
    def confirm(ctx: typer.Context,
                rid: str = typer.Argument(None, metavar="ID", help=t("confirm.arg.id")),
                region: str = region_option(None, "confirm.opt.region"),
                source: str = typer.Option(None, "--source", help=t("confirm.opt.source")),
                by: str = typer.Option(None, "--by", metavar="COORDINATOR", help=t("opt.by")),
                on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
                no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"](),
                dry_run: bool = COMMON["dry_run"]()):
        exactly_one(rid, region, "ID", "--region")
        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, "child confirm", as_of=day)
        from aimama_cli.domain import batches
        from aimama_cli.reports.coverage import region_prefix_in

        who = decider(change, by)
        if region is not None:
            prefix = region_prefix_in(change.index, region)
            batch = batches.confirm_region(change, prefix, who, day, source)
            save_batch(change, batch, t("confirm.batch.what", region=batch.about), t("commit.confirmed_region", region=prefix),
                       no_commit=no_commit, dry_run=dry_run, force=force)
            return
        batches.confirm(change, rid, who, day, source)
        saved = change.save(t("commit.confirmed", id=rid), commit=not no_commit, force=force, dry_run=dry_run)
        report_saved(saved, "confirm.done", dry_run, id=rid)


def _consent(sub: typer.Typer) -> None:
    @sub.command("consent", help=t("consent.help"))
    def consent(ctx: typer.Context,
                rid: str = typer.Argument(..., metavar="CHILD", help=t("child.arg.id")),
                given: bool = typer.Option(False, "--given", help=t("consent.opt.given")),
                withdrawn: bool = typer.Option(False, "--withdrawn", help=t("consent.opt.withdrawn")),
                on: str = typer.Option(..., "--on", metavar="DATE", help=t("consent.opt.on")),
                evidence: str = typer.Option(None, "--evidence", metavar="TEXT", help=t("consent.opt.evidence")),
                reason: str = typer.Option(None, "--reason", metavar="TEXT", help=t("consent.opt.reason")),
                end_pairings: bool = typer.Option(False, "--end-pairings", help=t("consent.opt.end_pairings")),
                no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"](),
                force: bool = COMMON["force"]()):
        from aimama_cli.domain import consent as consents

        if given == withdrawn:
            raise errors.UsageError("consent.one_action")
        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, "child consent", as_of=day)
        if given:
            child = consents.give(change, rid, day, evidence)
            ended, done, summary = [], "consent.given_done", "commit.consent_given"
        else:
            ended = consents.withdraw(change, rid, day, reason, end_pairings)
            child, done, summary = change.order[0], "consent.withdrawn_done", "commit.consent_withdrawn"
        saved = change.save(t(summary, id=child), commit=not no_commit, dry_run=dry_run, force=force)
        report_saved(saved, done, dry_run, id=child, on=day.isoformat(), count=len(ended))

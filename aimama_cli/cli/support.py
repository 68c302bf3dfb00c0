"""``aimama support add|receive``: the support ledger — what was pledged to a team, and every receipt."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, Secrets, option, parse_as_of, save_and_report
from aimama_cli.core.i18n import t
from aimama_cli.domain import teamwork


def register(app: typer.Typer) -> None:
    support = typer.Typer(help=t("support.help"), no_args_is_help=True, rich_markup_mode=None)

    @support.command("add", help=t("support.add.help"))
    def support_add(ctx: typer.Context,
                    team: str = typer.Argument(..., metavar="TEAM", help=t("support.arg.team")),
                    kind: str = option("--kind", "support.opt.kind", "KIND", ...),
                    by_team: str = option("--by-team", "support.opt.by_team", "TEAM"),
                    by_volunteer: str = option("--by-volunteer", "support.opt.by_volunteer", "VOLUNTEER"),
                    by_unit: str = option("--by-unit", "support.opt.by_unit", "NAME"),
                    pledged: str = option("--pledged", "support.opt.pledged", "AMOUNT"),
                    pledged_on: str = option("--pledged-on", "support.opt.pledged_on", "DATE"),
                    received: str = option("--received", "support.opt.received", "AMOUNT"),
                    received_on: str = option("--received-on", "support.opt.received_on", "DATE"),
                    children: list[str] = option("--child", "support.opt.child", "CHILD"),
                    description: str = option("--description", "support.opt.description"),
                    notes: str = option("--notes", "support.opt.notes"),
                    as_of: str = option("--as-of", "opt.as_of", "DATE"),
                    no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        notes = Secrets("support").value(("notes",), notes, "--notes")
        entry = teamwork.Support(team, kind, parse_as_of(pledged_on or as_of), pledged, by_team, by_volunteer,
                                 by_unit, received, parse_as_of(received_on) if received_on else None,
                                 list(children or ()), description, notes)
        save_and_report(ctx, "support add", as_of, lambda change: teamwork.add_support(change, entry),
              f"{team} {entry.kind}", "support.added", no_commit, dry_run)

    @support.command("receive", help=t("support.receive.help"))
    def support_receive(ctx: typer.Context,
                        sid: str = typer.Argument(..., metavar="ID", help=t("support.arg.id")),
                        amount: str = option("--amount", "support.opt.received", "AMOUNT"),
                        on: str = option("--on", "support.opt.received_on", "DATE"),
                        evidence: str = option("--evidence", "support.opt.evidence", "TEXT"),
                        as_of: str = option("--as-of", "opt.as_of", "DATE"),
                        no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        day = parse_as_of(on or as_of)
        save_and_report(ctx, "support receive", as_of, lambda change: teamwork.receive(change, sid, amount, day, evidence),
              t("commit.received_amount" if amount else "commit.received", amount=amount, day=day.isoformat()), "support.received",
              no_commit, force=force)

    app.add_typer(support, name="support")

"""``aimama team activity add``, ``aimama training add``, ``aimama support add|receive``."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, root_of, parse_as_of, report_saved
from aimama_cli.domain import session
from aimama_cli.domain import teamwork
from aimama_cli.core.i18n import t


def _option(name: str, key: str, metavar: str = "TEXT", default=None):
    return typer.Option(default, name, metavar=metavar, help=t(key))


def _save(ctx, command: str, as_of: str | None, make, summary, done: str, no_commit: bool,
          dry_run: bool = False, force: bool = False) -> None:
    """Make a change with ``make(change)`` (which returns the record id), judge, write, commit
    and say so."""
    change = session.change(root_of(ctx), command, as_of=parse_as_of(as_of))
    rid = make(change)
    saved = change.save(f"{rid} {summary}", commit=not no_commit, dry_run=dry_run, force=force)
    report_saved(saved, done, dry_run, id=rid)


def add_team_commands(team_app: typer.Typer) -> None:
    """``aimama team activity add``: a team's activity, logged once with the children who came."""
    sub = typer.Typer(help=t("team.activity.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("add", help=t("team.activity.add.help"))
    def add(ctx: typer.Context,
            team: str = typer.Argument(..., metavar="TEAM", help=t("team.activity.arg.team")),
            kind: str = _option("--kind", "team.activity.opt.kind", "KIND", ...),
            children: list[str] = _option("--child", "team.activity.opt.child", "CHILD", ...),
            volunteers: list[str] = _option("--volunteer", "team.activity.opt.volunteer", "VOLUNTEER"),
            date: str = _option("--date", "opt.on", "DATE"),
            hours: str = _option("--hours", "team.activity.opt.hours", "H"),
            topics: list[str] = _option("--topic", "team.activity.opt.topic", "TOPIC"),
            theme: str = _option("--theme", "team.activity.opt.theme"),
            details: str = _option("--details", "team.activity.opt.details"),
            as_of: str = _option("--as-of", "opt.as_of", "DATE"),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(date or as_of)
        activity = teamwork.TeamActivity(team, day, kind, list(children), list(volunteers or ()), hours,
                                         list(topics or ()), theme, details)
        _save(ctx, "team activity add", as_of, lambda change: teamwork.add_team_activity(change, activity),
              f"{team} {day.isoformat()}", "team.activity.added", no_commit, dry_run)

    team_app.add_typer(sub, name="activity")


def register(app: typer.Typer) -> None:
    training = typer.Typer(help=t("training.help"), no_args_is_help=True, rich_markup_mode=None)

    @training.command("add", help=t("training.add.help"))
    def training_add(ctx: typer.Context,
                     topic: str = _option("--topic", "training.opt.topic", "TEXT", ...),
                     hours: str = _option("--hours", "training.opt.hours", "H", ...),
                     volunteers: list[str] = _option("--volunteer", "training.opt.volunteer", "VOLUNTEER", ...),
                     date: str = _option("--date", "opt.on", "DATE"),
                     trainer: str = _option("--trainer", "training.opt.trainer", "NAME"),
                     team: str = _option("--team", "training.opt.team", "TEAM"),
                     notes: str = _option("--notes", "training.opt.notes"),
                     as_of: str = _option("--as-of", "opt.as_of", "DATE"),
                     no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(date or as_of)
        session = teamwork.Training(topic, day, hours, list(volunteers), trainer, team, notes)
        _save(ctx, "training add", as_of, lambda change: teamwork.add_training(change, session),
              f"{day.isoformat()} {topic}", "training.added", no_commit, dry_run)

    app.add_typer(training, name="training")

    support = typer.Typer(help=t("support.help"), no_args_is_help=True, rich_markup_mode=None)

    @support.command("add", help=t("support.add.help"))
    def support_add(ctx: typer.Context,
                    team: str = typer.Argument(..., metavar="TEAM", help=t("support.arg.team")),
                    kind: str = _option("--kind", "support.opt.kind", "KIND", ...),
                    by_team: str = _option("--by-team", "support.opt.by_team", "TEAM"),
                    by_volunteer: str = _option("--by-volunteer", "support.opt.by_volunteer", "VOLUNTEER"),
                    by_unit: str = _option("--by-unit", "support.opt.by_unit", "NAME"),
                    pledged: str = _option("--pledged", "support.opt.pledged", "AMOUNT"),
                    pledged_on: str = _option("--pledged-on", "support.opt.pledged_on", "DATE"),
                    received: str = _option("--received", "support.opt.received", "AMOUNT"),
                    received_on: str = _option("--received-on", "support.opt.received_on", "DATE"),
                    children: list[str] = _option("--child", "support.opt.child", "CHILD"),
                    description: str = _option("--description", "support.opt.description"),
                    notes: str = _option("--notes", "support.opt.notes"),
                    as_of: str = _option("--as-of", "opt.as_of", "DATE"),
                    no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        entry = teamwork.Support(team, kind, parse_as_of(pledged_on or as_of), pledged, by_team, by_volunteer,
                                 by_unit, received, parse_as_of(received_on) if received_on else None,
                                 list(children or ()), description, notes)
        _save(ctx, "support add", as_of, lambda change: teamwork.add_support(change, entry),
              f"{team} {entry.kind}", "support.added", no_commit, dry_run)

    @support.command("receive", help=t("support.receive.help"))
    def support_receive(ctx: typer.Context,
                        sid: str = typer.Argument(..., metavar="ID", help=t("support.arg.id")),
                        amount: str = _option("--amount", "support.opt.received", "AMOUNT"),
                        on: str = _option("--on", "support.opt.received_on", "DATE"),
                        as_of: str = _option("--as-of", "opt.as_of", "DATE"),
                        no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        day = parse_as_of(on or as_of)
        _save(ctx, "support receive", as_of, lambda change: teamwork.receive(change, sid, amount, day),
              f"received {amount or ''} {day.isoformat()}".replace("  ", " "), "support.received",
              no_commit, force=force)

    app.add_typer(support, name="support")

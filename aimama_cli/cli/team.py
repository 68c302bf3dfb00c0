"""``aimama team add|list|show|edit|close`` and ``team activity add``: teams and the activities they hold."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, Secrets, option, parse_as_of, save_and_report
from aimama_cli.cli.record_commands import group
from aimama_cli.core.i18n import t
from aimama_cli.domain import teamwork


def register(app: typer.Typer) -> None:
    sub = group("team")
    _activity(sub)
    app.add_typer(sub, name="team")


def _activity(team_app: typer.Typer) -> None:
    """``aimama team activity add``: a team's activity, logged once with the children who came."""
    sub = typer.Typer(help=t("team.activity.help"), no_args_is_help=True, rich_markup_mode=None)

    @sub.command("add", help=t("team.activity.add.help"))
    def add(ctx: typer.Context,
            team: str = typer.Argument(..., metavar="TEAM", help=t("team.activity.arg.team")),
            kind: str = option("--kind", "team.activity.opt.kind", "KIND", ...),
            children: list[str] = option("--child", "team.activity.opt.child", "CHILD", ...),
            volunteers: list[str] = option("--volunteer", "team.activity.opt.volunteer", "VOLUNTEER"),
            date: str = option("--date", "opt.on", "DATE"),
            hours: str = option("--hours", "team.activity.opt.hours", "H"),
            topics: list[str] = option("--topic", "team.activity.opt.topic", "TOPIC"),
            theme: str = option("--theme", "team.activity.opt.theme"),
            details: str = option("--details", "team.activity.opt.details"),
            as_of: str = option("--as-of", "opt.as_of", "DATE"),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(date or as_of)
        details = Secrets("team_activity").value(("details",), details, "--details")
        activity = teamwork.TeamActivity(team, day, kind, list(children), list(volunteers or ()), hours,
                                         list(topics or ()), theme, details)
        save_and_report(ctx, "team activity add", as_of, lambda change: teamwork.add_team_activity(change, activity),
              f"{team} {day.isoformat()}", "team.activity.added", no_commit, dry_run)

    team_app.add_typer(sub, name="activity")

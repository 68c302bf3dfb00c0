"""``aimama training add``: a training session and the volunteers who attended."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, option, parse_as_of, save_and_report
from aimama_cli.core.i18n import t
from aimama_cli.domain import teamwork


def register(app: typer.Typer) -> None:
    training = typer.Typer(help=t("training.help"), no_args_is_help=True, rich_markup_mode=None)

    @training.command("add", help=t("training.add.help"))
    def training_add(ctx: typer.Context,
                     topic: str = option("--topic", "training.opt.topic", "TEXT", ...),
                     hours: str = option("--hours", "training.opt.hours", "H", ...),
                     volunteers: list[str] = option("--volunteer", "training.opt.volunteer", "VOLUNTEER", ...),
                     date: str = option("--date", "opt.on", "DATE"),
                     trainer: str = option("--trainer", "training.opt.trainer", "NAME"),
                     team: str = option("--team", "training.opt.team", "TEAM"),
                     notes: str = option("--notes", "training.opt.notes"),
                     as_of: str = option("--as-of", "opt.as_of", "DATE"),
                     no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(date or as_of)
        session = teamwork.Training(topic, day, hours, list(volunteers), trainer, team, notes)
        save_and_report(ctx, "training add", as_of, lambda change: teamwork.add_training(change, session),
              f"{day.isoformat()} {topic}", "training.added", no_commit, dry_run)

    app.add_typer(training, name="training")

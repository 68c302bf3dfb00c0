"""``aimama watch start|stop|status``: the watcher the record index asks what changed."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.store import watching


def register(app: typer.Typer) -> None:
    watch = typer.Typer(help=t("watch.help"), no_args_is_help=True)
    app.add_typer(watch, name="watch")

    @watch.command("start", help=t("watch.start.help"))
    def start(ctx: typer.Context) -> int:
        return show(watching.start(root_of(ctx)))

    @watch.command("stop", help=t("watch.stop.help"))
    def stop(ctx: typer.Context) -> int:
        return show(watching.stop(root_of(ctx)))

    @watch.command("status", help=t("watch.status.help"))
    def status(ctx: typer.Context) -> int:
        return show(watching.status(root_of(ctx)))


def show(now: watching.Status) -> int:
    """One line: whether the repository is watched, and whether the watcher runs."""
    if now.on and now.pid is not None:
        typer.echo(t("watch.on", pid=now.pid, folders=now.folders))
    elif now.on and now.failed:
        typer.echo(t("watch.on_failed", detail=now.failed))
    elif now.on:
        typer.echo(t("watch.on_not_running"))
    else:
        typer.echo(t("watch.off"))
    return errors.OK

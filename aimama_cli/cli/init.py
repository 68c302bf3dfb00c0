"""``aimama init``."""

from __future__ import annotations

from pathlib import Path

import typer

from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain.init import init


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("init.help"))
    def init_command(
        directory: Path = typer.Argument(..., metavar="DIR", help=t("init.arg.directory")),
        region: str = typer.Option(..., "--region", metavar="COUNTY", help=t("init.opt.region")),
        name: str = typer.Option(None, "--name", help=t("init.opt.name")),
    ) -> int:
        path = init(directory, region=region, name=name)
        typer.echo(t("init.done", path=str(path)))
        return errors.OK

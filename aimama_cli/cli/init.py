"""``aimama init``."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from aimama_cli.core import errors
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.domain.init import LEVELS, init


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("init.help"))
    def init_command(
        directory: Path = typer.Argument(..., metavar="DIR", help=t("init.arg.directory")),
        region: str = typer.Option("43", "--region", help=t("init.opt.region")),
        name: str = typer.Option("爱心妈妈结对关爱", "--name", help=t("init.opt.name")),
    ) -> int:
        if not re.fullmatch(r"[0-9]+", region) or len(region) not in LEVELS:
            raise UsageError("init.bad_region", region=region)
        path = init(directory, region=region, name=name)
        typer.echo(t("init.done", path=str(path)))
        return errors.OK

"""``aimama codeowners``: .github/CODEOWNERS from the coordinators and their regions."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain import codeowners


def register(app: typer.Typer) -> None:
    @app.command("codeowners", help=t("codeowners.help"))
    def codeowners_command(
        ctx: typer.Context,
        check: bool = typer.Option(False, "--check", help=t("codeowners.opt.check")),
    ) -> int:
        owners = codeowners.build(root_of(ctx))
        if check:
            current = codeowners.is_current(owners)
            if current:
                typer.echo(t("codeowners.unchanged", path=owners.relpath))
                return errors.OK
            typer.echo(t("codeowners.absent" if current is None else "codeowners.stale",
                         path=owners.relpath), err=True)
            return errors.PROBLEMS
        codeowners.write(root_of(ctx), owners)
        typer.echo(t("codeowners.written", path=owners.relpath, rules=owners.rules,
                     regions=owners.regions))
        return errors.OK

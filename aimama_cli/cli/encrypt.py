"""``aimama encrypt``: a repository's sensitive fields encrypted, the data key wrapped for its
first coordinator."""

from __future__ import annotations

import typer

from aimama_cli.cli.keys import no_commit_option, report_done
from aimama_cli.cli.options import root_of
from aimama_cli.core.i18n import t
from aimama_cli.domain import keys as encryption


def register(app: typer.Typer) -> None:
    @app.command("encrypt", help=t("encrypt.help"))
    def encrypt(ctx: typer.Context,
                coordinator: str = typer.Argument(..., metavar="COORDINATOR", help=t("encrypt.arg.coordinator")),
                recipient: str = typer.Option(..., "--recipient", metavar="AGE_PUBKEY", help=t("keys.opt.recipient")),
                no_commit: bool = no_commit_option()):
        done = encryption.encrypt_repository(root_of(ctx), coordinator, recipient, commit=not no_commit)
        report_done(done, "encrypt.done", count=len(done.paths) - 1, coordinator=coordinator)

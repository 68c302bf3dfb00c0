"""``aimama keys add|remove|list|rotate``: the repository's data key, wrapped for each coordinator."""

from __future__ import annotations

import json

import typer

from aimama_cli.cli.options import TableFormat, root_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.domain import keys as encryption
from aimama_cli.store.sealing import keyring
from aimama_cli.store.sealing.sealed import encryption_on


def report_done(done: encryption.Done, key: str, **params) -> None:
    typer.echo(t(key, key_id=done.key_id, **params))
    for path in done.paths:
        typer.echo(f"  {path}")
    typer.echo(t("change.committed", commit=done.commit[:10]) if done.commit else t("change.not_committed"))


def no_commit_option():
    return typer.Option(False, "--no-commit", help=t("opt.no_commit"))


def register(app: typer.Typer) -> None:
    keys = typer.Typer(help=t("keys.help"), no_args_is_help=True)
    app.add_typer(keys, name="keys")

    @keys.command("add", help=t("keys.add.help"))
    def add(ctx: typer.Context,
            coordinator: str = typer.Argument(..., metavar="COORDINATOR", help=t("keys.add.arg.coordinator")),
            recipient: str = typer.Option(..., "--recipient", metavar="AGE_PUBKEY", help=t("keys.opt.recipient")),
            no_commit: bool = no_commit_option()):
        report_done(encryption.add(root_of(ctx), coordinator, recipient, commit=not no_commit),
              "keys.added", coordinator=coordinator)

    @keys.command("remove", help=t("keys.remove.help"))
    def remove(ctx: typer.Context,
               coordinator: str = typer.Argument(..., metavar="COORDINATOR", help=t("keys.remove.arg.coordinator")),
               no_commit: bool = no_commit_option()):
        report_done(encryption.remove(root_of(ctx), coordinator, commit=not no_commit),
              "keys.removed", coordinator=coordinator)
        typer.echo(t("keys.removed.hint"), err=True)

    @keys.command("rotate", help=t("keys.rotate.help"))
    def rotate(ctx: typer.Context, no_commit: bool = no_commit_option()):
        done = encryption.rotate(root_of(ctx), commit=not no_commit)
        report_done(done, "keys.rotated", count=len(done.paths) - 1)

    @keys.command("list", help=t("keys.list.help"))
    def list_keys(ctx: typer.Context,
                  fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help=t("opt.format"))):
        root = root_of(ctx)
        if not encryption_on(root):
            raise errors.UsageError("keys.not_encrypted", path=keyring.KEYS_FILE)
        keyring.quiet_sealer(root)  # an identity given that opens nothing is exit 2 here too
        ring = keyring.read(root)
        rows = [{"coordinator": e.coordinator, "recipient": e.recipient, "added_on": e.added_on}
                for e in ring.entries]
        if fmt == TableFormat.json:
            typer.echo(json.dumps({"key_id": ring.key_id, "recipients": rows}, ensure_ascii=False, indent=2))
            return
        from aimama_cli.reports.views import simple_table

        typer.echo(t("keys.list.title", key_id=ring.key_id))
        typer.echo(simple_table([list(r.values()) for r in rows],
                                [t(f"keys.header.{c}") for c in ("coordinator", "recipient", "added_on")]))

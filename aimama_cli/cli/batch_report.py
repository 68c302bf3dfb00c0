"""How a batch says what it did: the records changed, those left out and why, and the commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from aimama_cli.cli.options import report_commit
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal

if TYPE_CHECKING:  # annotations only: `aimama child --help` stays clear of the index
    from aimama_cli.domain.batches import Batch
    from aimama_cli.store.change import Change


def exactly_one(single, batch, single_name: str, batch_name: str) -> None:
    """A command that takes one record or a batch of them: one of the two, or exit 2."""
    if (single is None) == (batch is None):
        raise errors.UsageError("batch.one_of", single=single_name, batch=batch_name)


def save_batch(change: Change, batch: Batch, what: str, summary: str, *, no_commit: bool = False,
               dry_run: bool = False, force: bool = False) -> None:
    """Save ``batch``'s change (all or nothing: a refusal is exit 1 and nothing is written),
    then list it; a batch with nothing to do writes nothing and says so."""
    if not batch.done:
        list_batch(batch, what, err=False)
        return
    saved = change.save(t("commit.batch", summary=summary, count=len(batch.done)), commit=not no_commit,
                        dry_run=dry_run, force=force)
    list_batch(batch, what, dry_run=dry_run)
    report_commit(saved, dry_run)


def list_batch(batch: Batch, what: str, dry_run: bool = False, err: bool = False) -> None:
    """What was done and what was left out, one record a line (``err``: on standard error, when
    standard output carries a document)."""
    if batch.done:
        typer.echo(t("batch.done" + (".dry_run" if dry_run else ""), what=what, count=len(batch.done)), err=err)
        for rid, name in batch.done:
            typer.echo(f"  {rid}  {for_terminal(name)}", err=err)
    else:
        typer.echo(t("batch.nothing"), err=err)
    if batch.skipped:
        typer.echo(t("batch.skipped", count=len(batch.skipped)), err=err)
        for s in batch.skipped:
            typer.echo(f"  {s.id}  {for_terminal(s.name)}: {t(s.key, **s.params)}", err=err)

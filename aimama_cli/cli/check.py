"""``aimama check``."""

from __future__ import annotations

from pathlib import Path

import typer

from aimama_cli.cli.options import CheckFormat, parse_as_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t
from aimama_cli.reports.check_reporters import REPORTERS, kept
from aimama_cli.rules import REGISTRY
from aimama_cli.rules.checker import affected, check, encryption_problems, open_index
from aimama_cli.store import gitio, layout
from aimama_cli.store.sealing import keyring, leaks
from aimama_cli.store.sealing.sealed import encryption_on


def register(app: typer.Typer) -> None:
    @app.command("check", help=t("check.help"))
    def check_command(
        ctx: typer.Context,
        paths: list[Path] = typer.Argument(None, metavar="PATH", help=t("check.opt.paths"), show_default=False),
        fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help=t("opt.format")),
        changed_since: str = typer.Option(None, "--changed-since", metavar="REV",
                                          help=t("check.opt.changed_since")),
        as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
        strict: bool = typer.Option(False, "--strict", help=t("check.opt.strict")),
        no_cache: bool = typer.Option(False, "--no-cache", help=t("check.opt.no_cache")),
        list_rules: bool = typer.Option(False, "--list-rules", help=t("check.opt.list_rules")),
    ) -> int:
        if list_rules:
            typer.echo(rules_table())
            return errors.OK
        day = parse_as_of(as_of)
        root = layout.find_root(ctx.obj["root"])
        selection = [relative(root, p) for p in paths] if paths else None
        index, changed = None, []
        if changed_since:
            changed = gitio.worktree(root).changed_since(changed_since)
            index = open_index(root, not no_cache)
            linked = affected(index, changed)
            selection = [p for p in linked if selection is None or p in selection]
        whole = encryption_problems(root, changed_since, changed) if selection is None or changed_since else []

        def report() -> tuple[str, bool]:
            result = check(root, as_of=day, paths=selection, strict=strict, use_cache=not no_cache,
                           index=index)
            result.problems.extend(whole)  # keys.yaml, aimama.yaml: the repository's
            if changed_since:  # the range's commit messages are scanned for leaks too
                result.problems.extend(leaks.commit_problems(
                    gitio.worktree(root), f"{changed_since}..HEAD", encryption_on(root)))
            result.problems = sorted(set(result.problems), key=lambda p: (p.file, p.line, p.column, p.code))
            return REPORTERS[fmt.value](result), result.ok

        if selection is None and not changed_since and not no_cache and not whole:
            # keys.yaml is outside the index: its problems (none here) are never kept
            index = open_index(root)
            key = f"{fmt.value} {language()} {day.isoformat()} {'strict' if strict else ''}"
            text, ok = kept(index, key, report)
        else:
            text, ok = report()
        if encryption_on(root) and keyring.identity_path() is None:
            typer.echo(t("check.keyless", env=keyring.IDENTITY_ENV), err=True)
        typer.echo(text)
        return errors.OK if ok else errors.PROBLEMS


def relative(root: Path, path: Path) -> str:
    """A path given on the command line, relative to the records root."""
    full = (Path.cwd() / path).resolve()
    try:
        rel = full.relative_to(root)
    except ValueError:
        raise errors.UsageError("path.outside", path=str(path), root=str(root)) from None
    if not full.exists():
        raise errors.UsageError("path.missing", path=str(path))
    return rel.as_posix() if rel.parts else "."


def rules_table() -> str:
    from tabulate import tabulate  # only this listing needs it (40 ms to import)

    rows = [(r.code, t(f"check.scope.{r.scope}"), t("severity." + r.severity) + (" *" if r.timed else ""),
             t(f"{r.code}.rule")) for r in sorted(REGISTRY.values(), key=lambda r: r.code)]
    headers = [t(f"check.rules.header.{h}") for h in ("code", "scope", "severity", "rule")]
    return tabulate(rows, headers=headers, tablefmt="simple")

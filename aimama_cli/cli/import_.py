"""``aimama import children|volunteers|logs FILE``: rosters (花名册) in CSV or XLSX made into
records; sheets of visits made into entries of the volunteers' logs."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from aimama_cli.cli.options import parse_as_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import t
from aimama_cli.store import layout

PROGRESS_ROWS = 200  # a progress bar for files longer than this, on a terminal


def register(app: typer.Typer) -> None:
    importer = typer.Typer(help=t("import.help"), no_args_is_help=True, rich_markup_mode=None)
    _import_commands(importer)
    app.add_typer(importer, name="import")


def _file():
    return typer.Argument(..., metavar="FILE", help=t("import.opt.file"), show_default=False)


def _mapping():
    return typer.Option(None, "--mapping", metavar="FILE.yaml", help=t("import.opt.mapping"))


def _sheet():
    return typer.Option(None, "--sheet", help=t("import.opt.sheet"))


def _as_of():
    return typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))


def _dry_run():
    return typer.Option(False, "--dry-run", help=t("import.opt.dry_run"))


def _no_commit():
    return typer.Option(False, "--no-commit", help=t("import.opt.no_commit"))


def _import_commands(sub: typer.Typer) -> None:
    @sub.command("children", help=t("import.children.help"))
    def import_children(ctx: typer.Context, file: Path = _file(), mapping: Path = _mapping(),
                        source: str = typer.Option(None, "--source", help=t("import.opt.source")),
                        sheet: str = _sheet(), as_of: str = _as_of(), dry_run: bool = _dry_run(),
                        no_commit: bool = _no_commit()) -> int:
        return _import(ctx, "child", file, mapping, source, sheet, as_of, dry_run, no_commit)

    @sub.command("volunteers", help=t("import.volunteers.help"))
    def import_volunteers(ctx: typer.Context, file: Path = _file(), mapping: Path = _mapping(),
                          sheet: str = _sheet(), as_of: str = _as_of(), dry_run: bool = _dry_run(),
                          no_commit: bool = _no_commit()) -> int:
        return _import(ctx, "volunteer", file, mapping, None, sheet, as_of, dry_run, no_commit)


    @sub.command("logs", help=t("import.logs.help"))
    def import_logs(ctx: typer.Context,
                    file: Path = typer.Argument(..., metavar="FILE", help=t("import.logs.opt.file"), show_default=False),
                    mapping: Path = _mapping(), sheet: str = _sheet(), as_of: str = _as_of(),
                    dry_run: bool = _dry_run(), no_commit: bool = _no_commit()) -> int:
        from aimama_cli.domain.log_import import import_logs

        root = layout.find_root(ctx.obj["root"])
        outcome = import_logs(root, file, mapping=mapping, sheet=sheet, as_of=parse_as_of(as_of),
                              dry_run=dry_run, commit=not no_commit, progress=_progress_bar)
        _report_logs(outcome, file, dry_run)
        return errors.OK


def _import(ctx, kind, file, mapping, source, sheet, as_of, dry_run, no_commit) -> int:
    from aimama_cli.domain.roster_import import import_roster

    day = parse_as_of(as_of)
    root = layout.find_root(ctx.obj["root"])
    outcome = import_roster(root, kind, file, mapping=mapping, source=source, sheet=sheet,
                            as_of=day, dry_run=dry_run, commit=not no_commit,
                            progress=_progress_bar)
    _report_import(outcome, file, dry_run)
    return errors.OK


def _progress_bar(rows: list):
    """typer's bar on stderr for a long file on a terminal; the rows themselves otherwise."""
    import contextlib

    if len(rows) < PROGRESS_ROWS or not sys.stderr.isatty():
        return contextlib.nullcontext(rows)
    return typer.progressbar(rows, label=t("import.progress"), file=sys.stderr)


def _report_import(outcome, file: Path, dry_run: bool) -> None:
    for row in outcome.added:
        place = outcome.village_names.get(row.data.get("village"), row.data.get("village", ""))
        typer.echo(t("import.would_add" if dry_run else "import.added", row=row.number,
                     id=row.rid, name=row.name, place=place))
    for row in outcome.skipped:
        typer.echo(t("import.skipped", row=row.number, name=row.name or "-", reason=row.same_as))
    if outcome.unused:
        typer.echo(t("import.unused", headers="、".join(outcome.unused)), err=True)
    what = t(f"import.kind.{outcome.kind}")
    if not outcome.added:
        typer.echo(t("import.nothing", skipped=len(outcome.skipped), kind=what))
    elif dry_run:
        typer.echo(t("import.dry_run_done", count=len(outcome.added), kind=what,
                     skipped=len(outcome.skipped)))
    else:
        typer.echo(t("import.done", count=len(outcome.added), kind=what, file=file.name,
                     skipped=len(outcome.skipped),
                     commit=outcome.commit[:10] if outcome.commit else t("import.not_committed")))


def _report_logs(outcome, file: Path, dry_run: bool) -> None:
    from aimama_cli.core.text import for_terminal
    from aimama_cli.reports.views import shown

    def who(rid, names: dict):  # a person as a coordinator knows her, her id beside
        return f"{names[rid]} {rid}" if names.get(rid) else rid

    for row in outcome.added:
        children = [who(c, row.names) for c in [row.entry.get("child"), *row.entry.get("children", [])]]
        about = "、".join(filter(None, [*children, row.entry.get("pairing")]))
        kinds = "+".join(shown("activity", ("entries", 0, "kinds", 0), k, {}) for k in row.entry["kinds"])
        typer.echo(for_terminal(t("import.logs.would_add" if dry_run else "import.logs.added", row=row.number,
                                  volunteer=who(row.volunteer, row.names), date=row.entry["date"], about=about,
                                  kinds=kinds)))
    for row in outcome.skipped:
        typer.echo(for_terminal(t("import.logs.skipped", row=row.number, name=row.name, reason=row.same_as)))
    if outcome.unused:
        typer.echo(t("import.unused", headers="、".join(outcome.unused)), err=True)
    counts = {"count": len(outcome.added), "skipped": len(outcome.skipped), "logs": len(outcome.logs)}
    if not outcome.added:
        typer.echo(t("import.logs.nothing", **counts))
    elif dry_run:
        typer.echo(t("import.logs.dry_run_done", **counts))
    else:
        typer.echo(t("import.logs.done", file=file.name, **counts,
                     commit=outcome.commit[:10] if outcome.commit else t("import.not_committed")))

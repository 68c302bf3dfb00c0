"""``aimama federation report coverage|duties PATH…``: the county reports across many counties'
facts (``export facts``), aggregated by DuckDB."""

from __future__ import annotations

import contextlib
import json
import tempfile
from enum import Enum
from pathlib import Path

import typer

from aimama_cli.cli.options import ReportFormat, parse_as_of
from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t

Level = Enum("Level", {name: name for name in ("province", "city", "county", "township")}, type=str)


def register(app: typer.Typer) -> None:
    federation = typer.Typer(help=t("federation.help"), no_args_is_help=True, rich_markup_mode=None)
    report = typer.Typer(help=t("federation.report.help"), no_args_is_help=True, rich_markup_mode=None)

    def paths_argument():
        return typer.Argument(..., metavar="PATH...", help=t("federation.arg.paths"))

    def level_option():
        return typer.Option(Level.county, "--level", help=t("federation.opt.level"))

    def as_of_option():
        return typer.Option(None, "--as-of", metavar="DATE", help=t("federation.opt.as_of"))

    def year_option():
        return typer.Option(None, "--year", metavar="YEAR", min=2000, max=2100, help=t("federation.opt.year"))

    def expect_option():
        return typer.Option([], "--expect", metavar="CODE", help=t("federation.opt.expect"))

    def format_option():
        return typer.Option(ReportFormat.table, "--format", "-f", help=t("report.opt.format"))

    def output_option():
        return typer.Option(None, "--output", "-o", metavar="FILE", help=t("report.opt.output"))

    def min_cell_option():
        return typer.Option(0, "--min-cell", metavar="N", min=0, help=t("federation.opt.min_cell"))

    @report.command("coverage", help=t("federation.coverage.help"))
    def coverage(paths: list[Path] = paths_argument(), level: Level = level_option(), as_of: str = as_of_option(),
                 year: int = year_option(), expect: list[str] = expect_option(), fmt: ReportFormat = format_option(),
                 output: Path = output_option(), min_cell: int = min_cell_option()):
        from aimama_cli.reports import federation as reports

        _run(paths, as_of, year, expect, (fmt, output, min_cell), lambda chosen: reports.coverage(chosen, level.value))

    @report.command("duties", help=t("federation.duties.help"))
    def duties(paths: list[Path] = paths_argument(), level: Level = level_option(), as_of: str = as_of_option(),
               year: int = year_option(), expect: list[str] = expect_option(),
               top: int = typer.Option(10, "--top", min=0, help=t("report.opt.top")), fmt: ReportFormat = format_option(),
                 output: Path = output_option(), min_cell: int = min_cell_option()):
        from aimama_cli.reports import federation as reports

        _run(paths, as_of, year, expect, (fmt, output, min_cell), lambda chosen: reports.duties(chosen, level.value, top))

    @report.command("volunteers", help=t("federation.volunteers.help"))
    def volunteers(paths: list[Path] = paths_argument(), level: Level = level_option(), as_of: str = as_of_option(),
                   year: int = year_option(), expect: list[str] = expect_option(), fmt: ReportFormat = format_option(),
                 output: Path = output_option(), min_cell: int = min_cell_option()):
        from aimama_cli.reports import federation as reports

        _run(paths, as_of, year, expect, (fmt, output, min_cell), lambda chosen: reports.volunteers(chosen, level.value))

    @report.command("cases", help=t("federation.cases.help"))
    def cases(paths: list[Path] = paths_argument(), as_of: str = as_of_option(), year: int = year_option(),
              expect: list[str] = expect_option(), fmt: ReportFormat = format_option(),
                 output: Path = output_option(), min_cell: int = min_cell_option()):
        from aimama_cli.reports import federation as reports

        _run(paths, as_of, year, expect, (fmt, output, min_cell), reports.cases)

    @report.command("html", help=t("federation.html.help"))
    def html(folder: Path = typer.Argument(..., metavar="DIR", help=t("federation.html.arg.folder")),
             paths: list[Path] = paths_argument(), level: Level = level_option(), as_of: str = as_of_option(),
             year: int = year_option(), expect: list[str] = expect_option(), min_cell: int = min_cell_option()):
        from aimama_cli.cli.report import _write
        from aimama_cli.reports import dashboard, federation_page
        from aimama_cli.reports.facts import MANIFEST

        if folder.is_dir() and next(folder.rglob(MANIFEST), None):  # DIR and PATH swapped: never write into exports
            raise errors.UsageError("federation.html.into_exports", folder=str(folder))
        with _selection(paths, as_of, year, expect) as (found, chosen):
            context = _built(lambda c: federation_page.build(found, c, level.value, min_cell), chosen)
        _write(folder / dashboard.PAGE, lambda page: dashboard.write(page.parent, context))

    federation.add_typer(report, name="report")
    app.add_typer(federation, name="federation")


def _run(paths: list[Path], as_of: str | None, year: int | None, expect: list[str], fmt, build) -> None:
    """Build the report of the exports under ``paths`` and show it with what the set lacks."""
    from aimama_cli.cli.report import _check_output

    _check_output(*fmt[:2])
    with _selection(paths, as_of, year, expect) as (_found, chosen):
        _show(_built(build, chosen), chosen, *fmt)


@contextlib.contextmanager
def _selection(paths: list[Path], as_of: str | None, year: int | None, expect: list[str]):
    """Every export under ``paths`` (a records repository is exported first, to a temporary
    folder kept until the report is built) and the ones chosen to sum, with the warnings said."""
    from aimama_cli.reports import facts, federation

    facts.needs_engine("duckdb")
    day = parse_as_of(as_of) if as_of else None
    codes = tuple(c.strip() for e in expect for c in e.split(",") if c.strip())
    if any(not (c.isdigit() and len(c) == 6) for c in codes):
        raise errors.UsageError("federation.expect.invalid", codes=", ".join(codes))
    with tempfile.TemporaryDirectory(prefix="aimama-facts-") as scratch:
        found = []
        for i, path in enumerate(paths):
            if not path.is_dir():
                raise errors.UsageError("federation.path.missing", path=str(path))
            if (path / "aimama.yaml").is_file() or (path / "records").is_dir():
                found += _exported(path, Path(scratch) / str(i), day or parse_as_of(None), year)
            else:
                found += federation.manifests(path)
        if not found:
            raise errors.UsageError("federation.none", paths=", ".join(map(str, paths)))
        chosen = federation.select(found, day, year, codes)
        _warn(chosen)
        yield found, chosen


def _built(build, chosen):
    """The report; a file that is missing or not Parquet is unreadable input (exit 2), named."""
    import duckdb

    try:
        return build(chosen)
    except duckdb.Error as exc:
        raise errors.UsageError("federation.unreadable", detail=str(exc).strip().splitlines()[0]) from None


def _exported(root: Path, dest: Path, day, year):
    from aimama_cli.reports import facts, federation
    from aimama_cli.rules.checker import open_index

    facts.export_facts(open_index(root), dest, day, year)
    return federation.manifests(dest)


def _warn(chosen) -> None:
    for warning in chosen.warnings:
        groups = "; ".join(f"{value}: {', '.join(counties)}" for value, counties in sorted(warning["counties"].items()))
        typer.echo(t("federation.warn.mismatch", key=warning["mismatch"], groups=groups), err=True)
    for m in chosen.unreadable:
        typer.echo(t("federation.warn.unreadable", county=m["county"], version=m["schema_version"],
                     folder=m["folder"]), err=True)
    for m in chosen.set_aside:
        typer.echo(t("federation.warn.set_aside", county=m["county"], day=m["as_of"], folder=m["folder"]), err=True)
    if chosen.missing:
        typer.echo(t("federation.warn.missing", counties=", ".join(chosen.missing)), err=True)


def _show(found, chosen, fmt, output: Path | None, min_cell: int) -> None:
    """``found`` in ``fmt``, to ``output`` or the terminal, small cells withheld below ``min_cell``."""
    from aimama_cli.cli.report import _write
    from aimama_cli.reports import sheets, suppress
    from aimama_cli.store.yamlio import atomic_write

    data, tables = found.as_dict(), found.sheets()
    if min_cell:
        data, tables = suppress.suppress_dict(data, min_cell), suppress.suppress_sheets(tables, data, min_cell)
    if fmt == ReportFormat.xlsx:
        return _write(output, lambda path: sheets.xlsx(tables, path))
    if fmt == ReportFormat.json:
        text = json.dumps({**data, **chosen.as_dict()}, ensure_ascii=False, indent=2)
    elif fmt == ReportFormat.csv:
        text = sheets.csv_text(tables, people=language() == "zh")
    else:
        text = t("federation.counties", n=len(chosen.exports), missing=len(chosen.missing)) + "\n" + sheets.text(tables)
    if output is None:
        typer.echo(text)
    else:
        _write(output, lambda path: atomic_write(path, text + "\n"))

"""The commands ``child``, ``volunteer`` and ``team`` share — add, list, show, edit, close —
built for each kind from the schema (cli/child.py, volunteer.py and team.py add their own)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import typer

from aimama_cli.cli.naming import name_option, region_option
from aimama_cli.cli.options import (
    COMMON,
    ListFormat,
    Secrets,
    ShowFormat,
    interactive,
    parse_as_of,
    report_saved,
    root_of,
)
from aimama_cli.core import errors
from aimama_cli.core.i18n import language, t
from aimama_cli.core.problems import field_path
from aimama_cli.core.text import for_terminal, json_text
from aimama_cli.domain import keys as encryption
from aimama_cli.domain import lookup, people, session
from aimama_cli.reports.views import card, render_listing, rows_json, shown
from aimama_cli.store import gitio, values
from aimama_cli.store.sealing.masking import displayed, is_sensitive

# `list` filters per kind: (option, Filters attribute, field path whose codes/labels it takes)
LIST_FILTERS = {
    "child": [("status", "status", "status"), ("category", "category", "categories"),
              ("risk", "risk", "risk_level")],
    "volunteer": [("status", "status", "status"), ("kind", "kind", "kind"),
                  ("vetting", "vetting", "vetting.status"), ("team", "team", None)],
    "team": [("status", "status", "status"), ("level", "level", "level"), ("kind", "kind", "kind")],
}


def group(kind: str) -> typer.Typer:
    """``aimama KIND``, with add, list, show, edit and close."""
    sub = typer.Typer(help=f'{t(f"{kind}.help")}\n\n{t(f"{kind}.example")}', no_args_is_help=True,
                      rich_markup_mode=None)
    for command in (_add, _list, _show, _edit, _close):
        command(sub, kind)
    return sub


def _with_options(func, extra: list[inspect.Parameter]):
    """Give ``func`` (which takes ``**options``) the keyword options in ``extra``: the options
    of `add` and `list` differ by kind and come from tables, not from hand-written signatures."""
    signature = inspect.signature(func)
    fixed = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    func.__signature__ = signature.replace(parameters=fixed + extra)
    return func


def _option(name: str, annotation, default) -> inspect.Parameter:
    return inspect.Parameter(name.replace("-", "_"), inspect.Parameter.KEYWORD_ONLY,
                             annotation=annotation, default=default)


# --- add ----------------------------------------------------------------------------------------

def _add(sub: typer.Typer, kind: str) -> None:
    def add(ctx: typer.Context,
            from_file: str = typer.Option(None, "--from", metavar="FILE", help=t("add.opt.from")),
            sets: list[str] = typer.Option(None, "--set", metavar="PATH=VALUE", help=t("opt.set")),
            on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"](),
            **flags):
        root, day = root_of(ctx), parse_as_of(on)
        given = people.flatten(_read_from(from_file)) if from_file else {}
        secrets = Secrets(kind, stdin_taken=from_file == "-")
        for option, path in people.FLAGS[kind]:
            value = flags.get(option.replace("-", "_"))
            if value not in (None, [], ()):
                given[path] = list(value) if isinstance(value, (list, tuple)) \
                    else secrets.value(field_path(path), value, f"--{option}")
        for text in sets or ():
            name, sep, raw = text.partition("=")
            if not sep:
                raise errors.UsageError("edit.bad_set", text=text)
            given[name.strip()] = secrets.value(field_path(name.strip()), raw, name.strip())
        data = people.build(kind, given, on=day, lookup=lookup.resolver(lambda: session.records(root)))
        if from_file != "-" and _interactive():
            _prompt_missing(kind, data)
        change = session.change(root, f"{kind} add", as_of=day)
        rid = change.create(kind, data)
        saved = change.save(f"{rid} {data.get('name', '')}".strip(), commit=not no_commit,
                            dry_run=dry_run)
        report_saved(saved, "add.done", dry_run, id=rid)

    extra = []
    for option, path in people.FLAGS[kind]:
        node = people.schemas.subschema(kind, field_path(path)) or {}
        many = node.get("type") == "array"
        help_text = f"{people.title(kind, field_path(path), language())} [{path}]"
        choices = node.get("enum") or node.get("items", {}).get("enum")
        if choices:  # in Chinese each code beside its label: female（女）
            labelled = field_path(path) + (("*",) if many else ())  # the labels of a list's items
            shown = [_with_label(kind, labelled, code) for code in choices]
            help_text += ": " + ", ".join(shown) + (" " + t("opt.repeatable") if many else "")
        if node.get("x-ref"):  # a village, a team …: its name does too
            help_text += " " + t("opt.or_name")
        metavar = "CODE" if choices else "DATE" if "date" in path or path.endswith("_on") else "TEXT"
        extra.append(_option(option, list[str] if many else str,
                             typer.Option(None, f"--{option}", help=help_text, metavar=metavar,
                                          show_default=False)))
    sub.command("add", help=t(f"{kind}.add.help"))(_with_options(add, extra))


def _with_label(kind: str, path: tuple, code: str) -> str:
    """In both languages each code beside its Chinese label: the label is what forms print."""
    label = people.schemas.label(kind, path, code, "zh")
    return code if label == code else f"{code}（{label}）"


def _read_from(source: str) -> dict:
    from aimama_cli.store.yamlio import YamlProblem, decode, parse

    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise errors.UsageError("input.unreadable", path=source, detail=exc.strerror) from None
    try:
        data = parse(decode(raw)).data
    except YamlProblem as exc:
        raise errors.UsageError("input.bad_yaml", path=source, line=exc.line,
                                detail=t(exc.code, **exc.params)) from None
    return data


def _interactive() -> bool:
    return interactive()


def _prompt_missing(kind: str, data: dict) -> None:
    """At a terminal, ask for the required fields still missing, one by one."""
    for path in people.missing(kind, data):
        while True:
            text = typer.prompt(people.title(kind, path, language()) + f" [{'.'.join(path)}]",
                                hide_input=is_sensitive(kind, path))
            try:
                people.put(data, path, values.coerce(kind, path, text))
                break
            except values.ValueProblem as exc:
                typer.echo(t(exc.key, **exc.params), err=True)
    people.from_id_number(data)


# --- list ---------------------------------------------------------------------------------------

def _list(sub: typer.Typer, kind: str) -> None:
    def list_command(ctx: typer.Context,
                     region: str = region_option(),
                     name: str = name_option(),
                     fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help=t("opt.format")),
                     as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of")),
                     every: bool = typer.Option(False, "--all", help=t("list.opt.all")),
                     **options):
        root, day = root_of(ctx), parse_as_of(as_of)
        filters = people.Filters(region=region, paired=options.get("paired"),
                                 priority=bool(options.get("priority")), name=name)
        if options.get("status") is None and not every:
            options["status"] = "active"  # closed and withdrawn records only when asked for
        for option, attribute, path in LIST_FILTERS[kind]:
            value = options.get(option)
            if value is not None and path:
                try:
                    value = values.coerce(kind, field_path(path) + ((0,) if path == "categories" else ()),
                                          value)
                except values.ValueProblem as exc:
                    raise errors.UsageError(exc.key, **exc.params) from None
            setattr(filters, attribute, value)
        records = session.records(root, as_of=day)
        if fmt == ListFormat.json:
            typer.echo(rows_json(kind, people.roster(records.index, kind, filters, day)))
        else:
            typer.echo(render_listing(kind, people.listing(records.index, kind, filters, day), fmt.value,
                                      people.display_names(records.index)))

    extra = [_option(option, str, typer.Option(None, f"--{option}", metavar="TEAM" if option == "team" else "CODE",
                                               help=t(f"list.opt.{option}")))
             for option, _a, _p in LIST_FILTERS[kind]]
    if kind in ("child", "volunteer"):
        extra.append(_option("paired", bool, typer.Option(None, "--paired/--unpaired",
                                                          help=t("list.opt.paired"))))
    if kind == "child":
        extra.append(_option("priority", bool, typer.Option(False, "--priority",
                                                            help=t("list.opt.priority"))))
    sub.command("list", help=t(f"{kind}.list.help"))(_with_options(list_command, extra))


# --- show ---------------------------------------------------------------------------------------

def _show(sub: typer.Typer, kind: str) -> None:
    @sub.command("show", help=t(f"{kind}.show.help"))
    def show(ctx: typer.Context,
             rid: str = typer.Argument(..., metavar="ID", help=t(f"{kind}.arg.id")),
             reveal: bool = typer.Option(False, "--reveal", help=t("show.opt.reveal")),
             fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
             as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))):

        root, day = root_of(ctx), parse_as_of(as_of)
        records = session.records(root, as_of=day)
        data = encryption.to_show(records, kind, rid, records.read(rid, kind), reveal)
        links = people.links_of(records.index, rid, day, "team_pairing" if kind == "team" else "pairing")
        names = people.display_names(records.index, [v for link in links for v in link.values() if isinstance(v, str)])
        if fmt == ShowFormat.json:
            record = displayed(kind, data, reveal)
            typer.echo(json_text({"record": record, "pairings": links,
                                  "priority": kind == "child" and people.is_priority(data)}))
            return
        heading = f"{t('kind.' + kind)} {rid}"
        if kind == "child" and people.is_priority(data):
            heading += "  ★ " + t("show.priority")
        typer.echo(heading)
        for line in card(kind, data, names, reveal):
            typer.echo("  " + line)
        typer.echo(t("show.pairings", count=len(links)))
        for link in links:
            state = t("show.active") if link["active"] else t("show.ended", on=link.get("ended_on"))
            if kind == "team":  # supported by, or supporting, another team or a person
                other = link["team"] if link["team"] != rid else (
                    link.get("by_team") or link.get("by_volunteer") or link.get("by_person.name", ""))
                role = t("show.supports") if link["team"] != rid else t("show.supported_by")
            else:
                other = link["volunteer"] if kind == "child" else link["child"]
                role = shown("pairing", ("role",), link.get("role"), {})
            typer.echo(for_terminal(f"  {link['id']}  {role}  {names.get(other, '')} {other}  "
                                    f"{link.get('started_on', '')}  {state}"))


# --- edit, close ----------------------------------------------------------------------------------

def _edit(sub: typer.Typer, kind: str) -> None:
    @sub.command("edit", help=t(f"{kind}.edit.help"))
    def edit(ctx: typer.Context,
             rid: str = typer.Argument(..., metavar="ID", help=t(f"{kind}.arg.id")),
             sets: list[str] = typer.Option(None, "--set", metavar="PATH=VALUE", help=t("opt.set")),
             unsets: list[str] = typer.Option(None, "--unset", metavar="PATH", help=t("opt.unset")),
             no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"](),
             dry_run: bool = COMMON["dry_run"]()):
        root = root_of(ctx)
        change = session.change(root, f"{kind} edit")
        edited = ""  # text typed in the editor: kept aside if the change is refused
        if sets or unsets:
            secrets = Secrets(kind)
            assignments = [f"{name}={secrets.value(field_path(name.strip()), raw, name.strip())}" if sep else text
                           for text in sets or () for name, sep, raw in [text.partition("=")]]
            people.set_fields(change, kind, rid, assignments, list(unsets or ()))
            summary = ", ".join(s.partition("=")[0] for s in sets or ()) or ", ".join(unsets or ())
        else:
            path = change.path_of(rid, kind)
            before = (root / path).read_text(encoding="utf-8")
            after = _run_editor(before, f"{rid}.yaml")
            if after is None or after == before:
                typer.echo(t("edit.unchanged"))
                return
            edited = after
            _keep_rejected(root, rid, edited, lambda: change.put_text(rid, edited, kind))
            summary = t("edit.by_hand")
        saved = _keep_rejected(root, rid, edited,
                               lambda: change.save(f"{rid} {summary}", commit=not no_commit,
                                                   force=force, dry_run=dry_run))
        report_saved(saved, "edit.done", dry_run, id=rid)


def _run_editor(text: str, name: str) -> str:
    """``text`` as changed in the user's $VISUAL or $EDITOR (a copy in a temporary folder)."""
    import os
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("notepad" if os.name == "nt" else "vi")
    with tempfile.TemporaryDirectory(prefix="aimama-edit-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        if subprocess.call(f'{editor} "{path}"', shell=True) != 0:
            raise errors.UsageError("edit.editor_failed", editor=editor)
        return path.read_text(encoding="utf-8")


def _keep_rejected(root: Path, rid: str, text: str, action):
    """Run ``action``; if it refuses a hand edit, keep the text so no typing is lost."""
    from aimama_cli.store.index_file import CACHE_DIR

    try:
        return action()
    except errors.Refused as exc:
        if text and not exc.params.get("paths"):
            kept = root / CACHE_DIR / f"rejected-{rid}.yaml"
            kept.parent.mkdir(exist_ok=True)
            kept.write_text(text, encoding="utf-8")
            exc.params["kept"] = str(kept)
            exc.key = "change.refused_kept"
        raise


def _close(sub: typer.Typer, kind: str) -> None:
    @sub.command("close", help=t(f"{kind}.close.help"))
    def close(ctx: typer.Context,
              rid: str = typer.Argument(..., metavar="ID", help=t(f"{kind}.arg.id")),
              reason: str = typer.Option(..., "--reason", help=t("close.opt.reason")),
              on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
              no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, f"{kind} close", as_of=day)
        ended = people.close(change, kind, rid, reason, day)
        saved = change.save(f"{rid} {reason}", commit=not no_commit, force=force)
        report_saved(saved, "close.done", id=rid, pairings=len(ended))


def decider(change, by: str | None) -> str:
    """The coordinator deciding: ``--by``, else the one whose e-mail git has (exit 2 if none)."""
    found = by or people.coordinator_for(change.index, gitio.user_email(change.root))
    if not found:
        raise errors.UsageError("decider.unknown", email=gitio.user_email(change.root) or "-")
    return found


def merge_command(sub: typer.Typer, kind: str) -> None:
    """``aimama child|volunteer merge DUPLICATE --into ORIGINAL`` (domain/merging.py)."""
    @sub.command("merge", help=t(f"{kind}.merge.help"))
    def merge(ctx: typer.Context,
              duplicate: str = typer.Argument(..., metavar="DUPLICATE", help=t("merge.arg.duplicate")),
              into: str = typer.Option(..., "--into", metavar="ORIGINAL", help=t("merge.opt.into")),
              on: str = typer.Option(None, "--on", metavar="DATE", help=t("merge.opt.on")),
              no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"](),
              force: bool = COMMON["force"]()):
        from aimama_cli.domain import merging

        root, day = root_of(ctx), parse_as_of(on)
        change = session.change(root, f"{kind} merge", as_of=day)
        done = merging.merge(change, kind, duplicate, into, day)
        saved = change.save(t("commit.merged", duplicate=done.duplicate, original=done.original), commit=not no_commit,
                            dry_run=dry_run, force=force)
        report_saved(saved, "merge.done", dry_run, id=done.duplicate, into=done.original,
                     records=len(done.repointed), entries=done.entries, dropped=done.dropped,
                     ended=len(done.ended), voided=len(done.voided))

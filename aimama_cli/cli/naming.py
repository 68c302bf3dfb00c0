"""Names and places wherever the command line takes ids and codes.

Every argument or option that takes a child, volunteer, team, coordinator or case — its metavar
says which: ``CHILD``, ``VOLUNTEER``, ``TEAM``, ``COORDINATOR``, ``CASE``, or ``ID`` in the
``child``, ``volunteer``, ``team`` and ``case`` groups and in ``history`` — takes the record's
exact name too: the name is made the id before the command runs (store/naming.py says how), so
what a command writes is always an id.  The root group installs this on the command it is about
to run (:func:`install`), also on command groups added later, without each declaring it.
``--in REGION`` narrows the names, wherever it is written on the command line.
"""

from __future__ import annotations

import typer
from typer import _click as click
from typer.core import TyperArgument

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t

KIND_OF_METAVAR = {"CHILD": "child", "VOLUNTEER": "volunteer", "TEAM": "team", "COORDINATOR": "coordinator",
                   "COORDINATOR_ID": "coordinator", "CASE": "case"}
# commands whose ``ID`` argument is a named record: (group or command, kind; None: any kind)
KIND_OF_ID = {"child": "child", "volunteer": "volunteer", "team": "team", "case": "case", "history": None}
NAMED = object()  # marks a parameter already given name resolution


def hoist_in(args: list[str]) -> list[str]:
    """``aimama child show 王芳 --in 东塘村``: ``--in`` is an option of aimama itself (every
    command that takes a record has it), so written after the command it is moved before."""
    moved, rest = [], []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--in" and i + 1 < len(args):
            moved += args[i:i + 2]
            i += 2
            continue
        (moved if arg.startswith("--in=") else rest).append(arg)
        i += 1
    return moved + rest


def install_names(command: click.Command, group: str | None = None) -> None:
    """Give every parameter of ``command`` (and of its subcommands) that takes a named record
    the lookup of names."""
    for sub in list(getattr(command, "commands", {}).values()):
        install_names(sub, command.name)
    for param in command.params:
        kind = _kind(param, group, command.name)
        if kind is not False and getattr(param, "_named", None) is not NAMED:
            param.callback = _resolving(param.callback, kind)
            param._named = NAMED


def _kind(param: click.Parameter, group: str | None, name: str | None):
    """The kind a parameter names (None: any), or False when it takes no named record."""
    metavar = getattr(param, "metavar", None)
    if metavar in KIND_OF_METAVAR:
        return KIND_OF_METAVAR[metavar]
    if metavar == "ID" and isinstance(param, TyperArgument):
        for owner in (group, name):
            if owner in KIND_OF_ID:
                return KIND_OF_ID[owner]
    return False


def _resolving(original, kind: str | None):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if original is not None:
            value = original(ctx, param, value)
        if isinstance(value, (list, tuple)):
            return type(value)(_id(ctx, item, kind) for item in value)
        return _id(ctx, value, kind)
    return callback


def _id(ctx: click.Context, value, kind: str | None):
    """``value`` as an id: a name looked up; an id as it is — but for a child or volunteer
    merged into another (``child|volunteer merge``), which a reading command follows to the
    record kept, saying so, and a changing one refuses (exit 2), naming the record to give."""
    if not isinstance(value, str) or not value.strip():
        return value
    if "/" in value or value.endswith((".yaml", ".yml")):  # a record's file (history of a log): no name
        return value
    if ids.ID_SHAPE.match(value.strip()):
        if kind not in (None, "child", "volunteer"):
            return value  # no record of its kind is ever merged: nothing opened
        rid = value
    else:
        rid = _records(ctx).id_of(value, kind)
    original = _records(ctx).merged_into(rid, kind)
    if original is None:
        return rid
    if _changes(ctx):
        raise UsageError("merged.use_original", id=rid, original=original)
    typer.echo(f"aimama: {t('merged.showing', id=rid, original=original)}", err=True)
    return original


def _records(ctx: click.Context):
    """The records names are looked up in, opened once per command."""
    from aimama_cli.cli.options import root_of
    from aimama_cli.domain import session

    obj = ctx.find_root().obj
    if "names" not in obj:  # its index goes on to the command: the repository is opened once
        obj["names"] = session.for_names(root_of(ctx.find_root()), change=_changes(ctx))
    return obj["names"]


def _changes(ctx: click.Context) -> bool:
    """Whether the command changes records: every such command takes ``--no-commit``."""
    return any(p.name == "no_commit" for p in ctx.command.params)


def region_code(ctx: click.Context, param: click.Parameter, value):
    """A ``--region`` option's value: a code (or a prefix of one) as it is, a region's name
    (``岳阳县``, ``青松镇东塘村``) as its code; unknown or shared by several: exit 2."""
    if not isinstance(value, str) or not value.strip() or value.strip().isdigit():
        return value
    from aimama_cli.domain.places import Places

    return Places(_records(ctx).index).region(value)


def region_option(default=None, key: str = "list.opt.region"):
    """``--region CODE|NAME``: a region by its code or its name."""
    return typer.Option(default, "--region", metavar="REGION", help=t(key), callback=region_code)


def name_option():
    """``list --name TEXT``: records whose name, pinyin or pinyin initials hold ``TEXT``."""
    return typer.Option(None, "--name", metavar="TEXT", help=t("list.opt.name"))

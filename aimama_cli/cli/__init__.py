"""The thin command-line layer: options in, one library call, exit code out.

Each command group is a module with a ``register(app)`` function; the app is built after the
language is known, so ``--help`` speaks it too.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from collections.abc import MutableMapping
from enum import Enum
from pathlib import Path

import typer
from typer.core import TyperCommand, TyperGroup

from aimama_cli import __version__
from aimama_cli.cli import coercion
from aimama_cli.cli.click_text import install, usage_error_lines
from aimama_cli.cli.console import fit_streams
from aimama_cli.cli.naming import hoist_in, install_names
from aimama_cli.core import errors
from aimama_cli.core.i18n import set_language, t

LANG_CHOICES = ("zh", "en")
Lang = Enum("Lang", {c: c for c in LANG_CHOICES}, type=str)


class Group(TyperGroup):
    """The root command: its groups loaded lazily from COMMAND_MODULES, and every way a command
    can end mapped onto the documented exit codes, never a traceback."""

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands)

    def list_commands(self, ctx) -> list[str]:
        """The names, in the table's order, without importing a group (typer's own reads every
        command: a mistyped name's suggestions would import them all)."""
        return list(self.commands)

    def format_commands(self, ctx, formatter) -> None:
        """``aimama --help``'s list of commands from the table's help keys: no module imported."""
        shown = self.commands
        self.commands = {name: self.commands.loaded.get(name) or _listed(name) for name in shown}
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.commands = shown

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = hoist_in(list(sys.argv[1:] if args is None else args))
        try:
            code = super().main(args, prog_name or "aimama", complete_var,
                                standalone_mode=False, **extra)
        except typer.Exit as exc:
            code = exc.exit_code
        except typer.TyperException as exc:  # click's usage errors: bad option, missing argument
            for line in usage_error_lines(exc):
                typer.echo(line, err=True)
            code = errors.USAGE
        except (typer.Abort, KeyboardInterrupt):
            code = errors.INTERRUPTED
        except errors.AimamaError as exc:
            for line in _details(exc):
                typer.echo(line, err=True)
            typer.echo(f"aimama: {exc.render()}", err=True)
            code = exc.exit_code
        except Exception as exc:  # the last resort: one line here, the traceback in a log file
            log = _save_traceback(exc, _command_name(self, args))
            typer.echo(f"aimama: {t('internal', detail=type(exc).__name__, log=log)}", err=True)
            code = errors.INTERNAL
        finally:
            _end_command()
        code = code if isinstance(code, int) else 0
        if code == errors.INTERRUPTED:  # typer turns Ctrl-C into exit code 130 on its own
            typer.echo(t("interrupted"), err=True)
        if standalone_mode:
            sys.exit(code)
        return code

    def resolve_command(self, ctx, args):
        """The command to run, its records taken by name as well as by id (cli/naming.py)."""
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            install_names(command)
        return name, command, rest


def _end_command() -> None:
    """Let go of the repository's write lock and of the index handed from the names to the
    command, and say what was done about changes a killed command had left unfinished. A
    command that never imported the transactions took no lock and finished nothing: `--version`
    and `--help` do not import them just to say so."""
    session = sys.modules.get("aimama_cli.domain.session")
    if session is not None:
        session.forget()
    transaction = sys.modules.get("aimama_cli.store.transaction")
    if transaction is None:
        return

    transaction.release_all()
    for key, params in transaction.notices:
        typer.echo(f"aimama: {t(key, **params)}", err=True)
    transaction.notices.clear()


def _details(exc: errors.AimamaError) -> list[str]:
    """The lines shown before an error's one-line message: a refused change's problems, shown
    as ``check`` shows them."""
    if isinstance(exc, errors.Refused) and exc.problems:
        from aimama_cli.reports.check_reporters import problem_lines

        return problem_lines(exc.problems, exc.root, exc.texts)
    return exc.details()


def _command_name(group, args: list[str]) -> str:
    """"child edit" from ``--root DIR child edit C1 --set id_number=…``: the names of the
    commands only, never an argument or an option's value (they hold record values). A group
    not loaded yet (the error came before) is named without importing it now."""
    names, command = [], group
    for arg in args:
        commands = getattr(command, "commands", {})  # a group's subcommands
        if arg not in commands:
            continue
        names.append(arg)
        command = commands.loaded.get(arg) if isinstance(commands, LazyCommands) else commands[arg]
    return " ".join(names) or "-"


def log_folder() -> Path:
    """Where internal errors are logged: ``$XDG_STATE_HOME/aimama``, else
    ``~/.local/state/aimama``; a folder of aimama's own, private to the user (0700)."""
    state = os.environ.get("XDG_STATE_HOME")
    base = Path(state) if state and os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "aimama"


def _save_traceback(exc: BaseException, command: str) -> str:
    """The log of an internal error: where it happened (file, line and function of every
    frame) and the exception's type, never its message, the command line or an option's
    value, any of which can quote a child's ID number or a phone."""
    lines = [f"aimama {__version__}", f"command: {command}",
             f"python: {sys.version.split()[0]} on {sys.platform}", ""]
    lines += _frames(exc)
    try:
        folder = log_folder()
        path = folder / f"aimama-error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except (OSError, RuntimeError):  # no home, a read-only disk: the one line must do
        return "-"
    return str(path)


def _frames(exc: BaseException | None) -> list[str]:
    """A traceback without messages or source lines, the causes first, as Python prints it."""
    chain = []
    while exc is not None and exc not in chain and len(chain) < 10:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    lines = []
    for i, error in enumerate(reversed(chain)):
        if i:
            lines += ["", "During handling of the above exception, another exception occurred:", ""]
        lines.append("Traceback (most recent call last):")
        lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}'
                  for f in traceback.extract_tb(error.__traceback__)]
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
    return lines


def _version(value: bool):
    if value:
        typer.echo(f"aimama {__version__}")
        raise typer.Exit(0)


# what the root app and the holders of its lazily loaded groups share (typer hands the root's
# markup mode down to every group it builds)
APP_SETTINGS = {"rich_markup_mode": None, "pretty_exceptions_enable": False, "add_completion": False}


def build_app() -> typer.Typer:
    install()  # click's and typer's own words in the catalog's language
    coercion.install()  # values that need no checking taken without importing pydantic
    app = typer.Typer(cls=Group, help=f'{t("app.help")}\n\n{t("app.example")}', no_args_is_help=True,
                      context_settings={"help_option_names": ["-h", "--help"]}, **APP_SETTINGS)

    @app.callback()
    def main_options(
        ctx: typer.Context,
        root: str = typer.Option(None, "--root", help=t("opt.root"), metavar="DIR"),
        lang: Lang = typer.Option(None, "--lang", help=t("opt.lang")),
        version: bool = typer.Option(False, "--version", help=t("opt.version"),
                                     callback=_version, is_eager=True),
        as_coordinator: str = typer.Option(None, "--as", metavar="COORDINATOR_ID", help=t("opt.as")),
        identity: str = typer.Option(None, "--identity", metavar="FILE", help=t("opt.identity")),
        within: str = typer.Option(None, "--in", metavar="REGION", help=t("opt.in")),
    ):
        from aimama_cli.store.naming import narrow
        from aimama_cli.store.sealing.sealed import use_identity


        narrow(within)  # names looked up in this region only (written anywhere: cli/naming.py)
        use_identity(identity)  # this command's age identity (else $AIMAMA_AGE_IDENTITY)
        if lang:
            set_language(lang.value)
        if ctx.invoked_subcommand != "init":  # init makes a repository: none to verify
            _verify_keys(root)  # an identity given that opens nothing, a broken keys.yaml: exit 2, any command
        ctx.obj = {"root": root}
        if as_coordinator:  # commits authored by her until the command ends (cli/audit.py)
            from aimama_cli.cli.audit import act_as

            act_as(ctx, as_coordinator)

    return app


def _verify_keys(explicit_root: str | None) -> None:
    """Before any command, in the repository it works on: keys.yaml parses and an identity given
    opens it, or exit 2 — whether or not the command reads a sensitive value. A repository that
    is not encrypted has nothing an identity could open: the keyring (YAML, age) is not even
    imported there."""
    from aimama_cli.store.layout import find_root
    from aimama_cli.store.sealing.sealed import encryption_on

    try:
        root = find_root(explicit_root)
    except errors.UsageError:
        return  # no repository (yet): the command says so, or makes one
    if encryption_on(root):
        from aimama_cli.store.sealing.keyring import quiet_sealer

        quiet_sealer(root)


# The command groups, in the order `aimama --help` lists them, one a line: the name typed, the
# module of cli/ that registers it (imported only when the command runs or its help is asked)
# and the catalog key of its help, whose first sentence `aimama --help` shows beside the name.
COMMAND_MODULES = {
    "check": ("check", "check.help"),
    "init": ("init", "init.help"),
    "region": ("region", "region.help"),
    "coordinator": ("coordinator", "coordinator.help"),
    "refer": ("refer", "refer.help"),
    "audit": ("audit", "audit.help"),
    "diff": ("diff", "diff.help"),
    "codeowners": ("codeowners", "codeowners.help"),
    "history": ("history", "history.help"),
    "find": ("find", "find.help"),
    "encrypt": ("encrypt", "encrypt.help"),
    "child": ("child", "child.help"),
    "volunteer": ("volunteer", "volunteer.help"),
    "team": ("team", "team.help"),
    "import": ("import_", "import.help"),
    "export": ("export", "export.help"),
    "pair": ("pair", "pair.help"),
    "duty": ("duty", "duty.help"),
    "pledge": ("pledge", "pledge.help"),
    "log": ("log", "log.help"),
    "case": ("case", "case.help"),
    "training": ("training", "training.help"),
    "support": ("support", "support.help"),
    "report": ("report", "report.help"),
    "federation": ("federation", "federation.help"),
    "keys": ("keys", "keys.help"),
    "watch": ("watch", "watch.help"),
}


class LazyCommands(MutableMapping):
    """The root's commands by name (click's lazy group pattern): every name of COMMAND_MODULES
    is there from the start, and its module is imported the first time the command itself is
    asked for — to run it, to show its own help, or to write docs/cli.md. ``in`` and the names'
    order never import anything."""

    def __init__(self, eager: dict):
        self.loaded = dict(eager)

    def __getitem__(self, name: str):
        if name not in self.loaded and name in COMMAND_MODULES:
            self.loaded.update(load(COMMAND_MODULES[name][0]))
        return self.loaded[name]

    def __contains__(self, name) -> bool:
        return name in COMMAND_MODULES or name in self.loaded

    def __iter__(self):
        return iter({**dict.fromkeys(COMMAND_MODULES), **self.loaded})

    def __len__(self) -> int:
        return len(set(COMMAND_MODULES) | set(self.loaded))

    def __setitem__(self, name: str, command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"{name}: a command of the table cannot be removed")


def _listed(name: str):
    """A stand-in for a command not loaded: what its line in ``aimama --help`` is made of."""
    return TyperCommand(name=name, help=t(COMMAND_MODULES[name][1]))


def load(module: str) -> dict:
    """The click commands that ``cli/<module>.py`` registers, by name, built as typer builds
    the root's own (same settings), in the language of the moment."""
    holder = typer.Typer(**APP_SETTINGS)
    holder.callback()(lambda: None)  # a callback makes it a group even for one command
    importlib.import_module(f"{__name__}.{module}").register(holder)
    return dict(typer.main.get_command(holder).commands)


def _early_language(args: list[str]) -> None:
    """``--lang`` must be known before the help texts are built."""
    set_language(None)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANG_CHOICES:
            set_language(args[i + 1])
        elif arg.startswith("--lang=") and arg[7:] in LANG_CHOICES:
            set_language(arg[7:])


def get_app(args=None) -> typer.Typer:
    _early_language(list(sys.argv[1:] if args is None else args))
    return build_app()


def main(args=None) -> None:
    fit_streams()  # a GBK or cp1252 console: "?" for what it cannot show, never exit 3
    try:
        command = typer.main.get_command(get_app(args))
    except Exception as exc:  # even a broken installation ends with one line and exit code 3
        typer.echo(f"aimama: {t('internal', detail='startup', log=_save_traceback(exc, 'startup'))}",
                   err=True)
        sys.exit(errors.INTERNAL)
    command.main(args)

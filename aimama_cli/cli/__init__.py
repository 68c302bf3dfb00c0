"""The thin command-line layer: options in, one library call, exit code out.

Each command group is a module with a ``register(app)`` function; the app is built after the
language is known, so ``--help`` speaks it too.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
from enum import Enum

import typer
from typer.core import TyperGroup

from aimama_cli import __version__
from aimama_cli.core import errors
from aimama_cli.core.i18n import set_language, t

LANG_CHOICES = ("zh", "en")
Lang = Enum("Lang", {c: c for c in LANG_CHOICES}, type=str)


class Group(TyperGroup):
    """Maps every way a command can end onto the documented exit codes, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name or "aimama", complete_var,
                                standalone_mode=False, **extra)
        except typer.Exit as exc:
            code = exc.exit_code
        except typer.TyperException as exc:  # click's usage errors: bad option, missing argument
            exc.show() if hasattr(exc, "show") else typer.echo(exc.format_message(), err=True)
            code = errors.USAGE
        except (typer.Abort, KeyboardInterrupt):
            code = errors.INTERRUPTED
        except errors.AimamaError as exc:
            for line in _details(exc):
                typer.echo(line, err=True)
            typer.echo(f"aimama: {exc.render()}", err=True)
            code = exc.exit_code
        except Exception as exc:  # the last resort: one line here, the traceback in a log file
            log = _save_traceback()
            typer.echo(f"aimama: {t('internal', detail=f'{type(exc).__name__}: {exc}', log=log)}",
                       err=True)
            code = errors.INTERNAL
        finally:
            _end_command()
        code = code if isinstance(code, int) else 0
        if code == errors.INTERRUPTED:  # typer turns Ctrl-C into exit code 130 on its own
            typer.echo(t("interrupted"), err=True)
        if standalone_mode:
            sys.exit(code)
        return code


def _end_command() -> None:
    """Let go of the repository's write lock, and say what was done about changes a killed
    command had left unfinished."""
    from aimama_cli.store import transaction

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


def _save_traceback() -> str:
    folder = os.environ.get("AIMAMA_LOG_DIR") or tempfile.gettempdir()
    path = os.path.join(folder, f"aimama-error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"aimama {__version__}\nargv: {sys.argv!r}\n\n{traceback.format_exc()}")
    except OSError:
        return "-"
    return path


def _version(value: bool):
    if value:
        typer.echo(f"aimama {__version__}")
        raise typer.Exit(0)


def build_app() -> typer.Typer:
    app = typer.Typer(cls=Group, help=f'{t("app.help")}\n\n{t("app.example")}', no_args_is_help=True,
                      add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
                      context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def main_options(
        ctx: typer.Context,
        root: str = typer.Option(None, "--root", help=t("opt.root"), metavar="DIR"),
        lang: Lang = typer.Option(None, "--lang", help=t("opt.lang")),
        version: bool = typer.Option(False, "--version", help=t("opt.version"),
                                     callback=_version, is_eager=True),
        as_coordinator: str = typer.Option(None, "--as", metavar="COORDINATOR_ID", help=t("opt.as")),
        identity: str = typer.Option(None, "--identity", metavar="FILE", help=t("opt.identity")),
    ):
        from aimama_cli.store.sealing.keyring import use_identity, verify

        use_identity(identity)  # this command's age identity (else $AIMAMA_AGE_IDENTITY)
        if lang:
            set_language(lang.value)
        if ctx.invoked_subcommand != "init":  # init makes a repository: none to verify
            verify(root)  # an identity given that opens nothing, a broken keys.yaml: exit 2, any command
        ctx.obj = {"root": root}
        if as_coordinator:  # commits authored by her until the command ends (cli/audit.py)
            from aimama_cli.cli.audit import act_as

            act_as(ctx, as_coordinator)

    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(app)
    return app


# the command groups, in the order `aimama --help` lists them: one a line
COMMAND_MODULES = (
    "check",
    "init",
    "child",
    "volunteer",
    "team",
    "import_",
    "export",
    "pair",
    "duty",
    "pledge",
    "log",
    "refer",
    "case",
    "training",
    "support",
    "audit",
    "diff",
    "codeowners",
    "history",
    "report",
    "encrypt",
    "keys",
)


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
    try:
        command = typer.main.get_command(get_app(args))
    except Exception:  # even a broken installation ends with one line and exit code 3
        typer.echo(f"aimama: {t('internal', detail='startup', log=_save_traceback())}", err=True)
        sys.exit(errors.INTERNAL)
    command.main(args)

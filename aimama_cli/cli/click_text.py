"""click's and typer's own words in aimama's language: the usage line, the section titles and the
help option of --help, and the errors of a command line that does not parse.

typer's vendored click writes its English with f-strings (no gettext domain to hook), so the
words are put in place at three points: typer's own ``gettext`` (section titles, "required",
"No such command"), the help formatter (the usage prefix, headings) and `usage_error_lines`,
which renders a usage error from the exception's fields rather than its English message.  The
texts are in messages/click.py; every one of them is read at the moment it is shown, so one
process can speak both languages (the tests do).
"""

from __future__ import annotations

import re

import typer.core
from typer import _click
from typer._click import exceptions as click_errors
from typer._click.formatting import HelpFormatter

from aimama_cli.core.i18n import t

# typer's gettext message ids and the catalog keys that say them ("No such command" is
# translated with the suggestion typer appends to it, in `detail`)
_GETTEXT = {
    "Options": "click.section.options",
    "Arguments": "click.section.arguments",
    "Commands": "click.section.commands",
    "required": "click.required",
    "(dynamic)": "click.dynamic",
    "Aborted!": "click.aborted",
    "Missing command.": "click.missing_command",
    "default: {default}": "click.default",
    "env var: {var}": "click.env_var",
}

# English details of a bad value (from typer's coercion, pydantic and click's parser), with the
# catalog key that says them; a detail matching none is shown as it is
_DETAILS = (
    (re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.+)\."), "click.not_one_of"),
    (re.compile(r"Input should be a valid integer.*"), "click.not_integer"),
    (re.compile(r"Input should be a valid number.*"), "click.not_number"),
    (re.compile(r"Option '(?P<name>[^']+)' requires (?:an argument|\d+ arguments)\."), "click.requires_value"),
    (re.compile(r"Option '(?P<name>[^']+)' does not take a value\."), "click.takes_no_value"),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)"), "click.extra_arguments"),
    (re.compile(r"No such command '(?P<name>.*)'\."), "click.no_such_command"),
)
_BOUND = re.compile(r"Input should be (?P<relation>greater|less) than(?P<equal> or equal to)? (?P<bound>\S+)")


def _gettext(message: str) -> str:
    """typer's ``_()``: the catalog's text with click's placeholders kept for ``.format``."""
    key = _GETTEXT.get(message)
    if key is None:
        return message
    return t(key, **{name: "{%s}" % name for name in re.findall(r"\{(\w+)\}", message)})


def detail(message: str) -> str:
    """One English detail of click's or pydantic's in the current language."""
    message = message.strip()
    for pattern, key in _DETAILS:
        found = pattern.fullmatch(message)
        if found:
            return t(key, **found.groupdict())
    bound = _BOUND.fullmatch(message)
    if bound:
        relation = {("greater", True): ">=", ("greater", False): ">", ("less", True): "<=",
                    ("less", False): "<"}[bound["relation"], bool(bound["equal"])]
        return t("click.bound", relation=relation, bound=bound["bound"])
    suggestion = re.fullmatch(r"(?P<message>.*\.) Did you mean (?P<names>.+)\?", message, re.S)
    if suggestion:
        return t("click.did_you_mean", message=detail(suggestion["message"]), names=suggestion["names"])
    return message


class Formatter(HelpFormatter):
    """click's help formatter with the usage prefix and the headings in the catalog's words."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("click.usage") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{t('click.heading', name=heading)}\n")


def _help_option(get_help_option):
    def localized(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = t("click.help_option")
        return option
    return localized


_installed = False


def install() -> None:
    """Put the catalog's words in typer's and click's place (once a process)."""
    global _installed
    if _installed:
        return
    _installed = True
    typer.core._ = _gettext
    _click.core.Context.formatter_class = Formatter
    _click.core.Command.get_help_option = _help_option(_click.core.Command.get_help_option)


def _message(exc: click_errors.ClickException) -> str:
    """What went wrong, from the exception's fields, in the current language."""
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None) or (param.get_error_hint() if param is not None else None)
    if hint is not None and not isinstance(hint, str):
        hint = click_errors._join_param_hints(hint)
    if isinstance(exc, click_errors.MissingParameter):
        kind = exc.param_type or (param.param_type_name if param is not None else "parameter")
        key = {"option": "click.missing.option", "argument": "click.missing.argument"}.get(kind)
        text = t(key or "click.missing.parameter", name=hint or "")
        choices = param.get_missing_message(ctx=exc.ctx) if param is not None else ""
        if choices and choices.startswith("Choose from:"):
            names = [c.strip(" ,\t") for c in choices.removeprefix("Choose from:").split("\n") if c.strip()]
            text += " " + t("click.choose_from", choices=", ".join(names))
        return text
    if isinstance(exc, click_errors.NoSuchOption):
        text = t("click.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += " " + t("click.possible_options", names=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click_errors.BadParameter):
        return t("click.invalid_value", name=hint or "", detail=detail(exc.message))
    return detail(exc.format_message() if hasattr(exc, "format_message") else str(exc))


def usage_error_lines(exc: click_errors.ClickException) -> list[str]:
    """A usage error as click shows it (the usage line, how to get help, the error), in the
    current language."""
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        return [exc.format_message()]
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(t("click.try_help", command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(t("click.error", message=_message(exc)))
    return lines

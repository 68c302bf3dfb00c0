"""Every command's --help, in English and in Chinese: a help text that ends with an example, and a
help text for every option and argument, as `aimama … --help` prints them; docs/cli.md up to date.

The whole command tree is walked (groups included), so a new command or option without help fails
here, named with the others. Regenerate docs/cli.md with `python -m aimama_cli.cli.docs`."""

from __future__ import annotations

import re
import shlex

import pytest
import typer
from conftest import PROJECT, run
from typer.core import TyperGroup

from aimama_cli.cli import get_app
from aimama_cli.messages import MESSAGES

EXAMPLE = {"en": "Example: ", "zh": "示例："}  # then a command line: aimama …
USAGE = {"en": "Usage: ", "zh": "用法："}
# a catalog key rendered as it is because the catalog lacks it: `pair.team.opt.unit`
KEY_SHAPED = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
KEY_PREFIXES = {key.rsplit(".", 1)[0] for key in MESSAGES if key.count(".") >= 2}


def command_tree(lang: str) -> list[tuple[tuple[str, ...], object]]:
    """(path, command) of every command, the root and the groups included, in --help's order,
    with its texts in ``lang``."""
    found = []

    def walk(command, path):
        found.append((path, command))
        if isinstance(command, TyperGroup):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*path, name))

    walk(typer.main.get_command(get_app(["--lang", lang])), ())
    return found


def flat(text: str) -> str:
    """``text`` without white space: click wraps help at spaces, and Chinese anywhere."""
    return re.sub(r"\s+", "", text or "")


def shown_params(command) -> list:
    return [p for p in command.params if not getattr(p, "hidden", False)]


@pytest.fixture(autouse=True)
def no_identity_left():
    """The examples' `--identity` is kept for the command that runs: reset it afterwards."""
    yield
    from aimama_cli.store.sealing.keyring import use_identity

    use_identity(None)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_has_help_an_example_and_help_for_every_option_and_argument(lang):
    no_help, no_example, example_broken, param_no_help, not_shown, stray = [], [], [], [], [], []
    for path, command in command_tree(lang):
        name = " ".join(("aimama", *path))
        result = run("--lang", lang, *path, "--help")
        assert result.exit_code == 0 and result.output.startswith(USAGE[lang]), (name, result.stderr)
        output = flat(result.output)
        help_text = (command.help or "").strip()
        if not help_text:
            no_help.append(name)
        last = help_text.split("\n\n")[-1].strip()
        if not last.startswith(EXAMPLE[lang] + "aimama ") or flat(last) not in output:
            no_example.append(name)
        else:  # a real command line: its commands and options exist (--help stops before it runs)
            args = shlex.split(last.removeprefix(EXAMPLE[lang]))[1:]
            tried = run(*args, "--help")
            if tried.exit_code != 0:
                example_broken.append(f"{name}: {last} ({tried.stderr.strip()})")
        texts = [("", p) for p in help_text.split("\n\n")]
        for param in shown_params(command):
            shown_as = param.opts[0] if param.param_type_name == "option" else param.metavar or param.name
            label = f"{name} {shown_as}"
            if not (param.help or "").strip():
                param_no_help.append(label)
            elif flat(param.help) not in output:
                not_shown.append(label)
            texts.append((label, param.help or ""))
        for label, text in texts:
            if KEY_SHAPED.fullmatch(text.strip()):
                stray.append(f"{label or name}: {text.strip()}")
        if lang == "en":  # a missing key inside a longer text, like `child.arg.idd {'x': 1}`
            for word in KEY_SHAPED.findall(result.output):
                if word.rsplit(".", 1)[0] in KEY_PREFIXES and word not in MESSAGES:
                    stray.append(f"{name}: {word}")
    problems = {"commands without help": no_help,
                f"commands whose help does not end with '{EXAMPLE[lang]}aimama …'": no_example,
                "examples naming a command or option that does not exist": example_broken,
                "options and arguments without help": param_no_help,
                "option and argument help that --help does not show": not_shown,
                "catalog keys shown raw (missing from aimama_cli/messages)": stray}
    report = "\n".join(f"{title}:\n  " + "\n  ".join(found)
                       for title, found in problems.items() if found)
    assert not report, report


def test_arguments_are_shown_with_their_help():
    result = run("--lang", "en", "child", "show", "--help")
    assert "Arguments:" in result.output
    assert re.search(r"^\s+ID\b.*The child's id", result.output, re.M)
    zh = run("--lang", "zh", "pair", "create", "--help")
    assert "结对的儿童（编号）" in zh.output and "示例：aimama pair create" in zh.output


def test_docs_cli_is_up_to_date():
    """docs/cli.md is every command's --help: regenerate with `python -m aimama_cli.cli.docs`."""
    from aimama_cli.cli.docs import cli_markdown, commands

    text = cli_markdown()
    assert (PROJECT / "docs" / "cli.md").read_text(encoding="utf-8") == text
    assert len(commands()) == len(command_tree("en"))
    assert all(f"\n## {' '.join(('aimama', *path))}\n" in text for path, _ in command_tree("en"))

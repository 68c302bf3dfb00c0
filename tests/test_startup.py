"""Start-up (issue 23): the command groups are loaded lazily from the table in cli/__init__.py, so
`aimama --version`, `aimama --help` and a group's --help import nothing heavy — no checker, no
record index, no spreadsheet, template or crypto library — while showing what they showed when
every group was imported at start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from conftest import AS_OF, PROJECT, copy_repository

from aimama_cli import __version__
from aimama_cli.cli import COMMAND_MODULES, get_app

# what a command that does not need them must not import (module names and their submodules)
HEAVY = ("scipy", "openpyxl", "jinja2", "cryptography", "duckdb", "pyarrow", "pypinyin", "pyrage",
         "aimama_cli.rules", "aimama_cli.store.index", "aimama_cli.store.analysis")
# what reading a record needs none of, once the index is up to date (pydantic: typer's checking
# of option values, cli/coercion.py; ruamel: the round-trip writer)
NOT_FOR_READING = ("scipy", "openpyxl", "jinja2", "cryptography", "duckdb", "pyarrow", "pypinyin", "pyrage",
                   "aimama_cli.rules", "pydantic", "ruamel", "stdnum")

# runs the console script's main in a fresh interpreter, then says what it imported
PROBE = """
import contextlib, io, json, sys
sys.argv = ["aimama", *sys.argv[1:]]
out = io.StringIO()
from aimama_cli.entry import main
try:
    with contextlib.redirect_stdout(out):
        main()
    code = 0
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def probe(*args: str, cwd) -> dict:
    env = {"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def heavy(modules: list[str], names=HEAVY) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in names)]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["child", "--help"],
                                  ["--lang", "zh", "volunteer", "--help"]])
@pytest.mark.parametrize("where", ["outside", "demo"])
def test_version_and_help_import_nothing_heavy(args, where, tmp_path):
    """Outside any repository, and in the demo (an encrypted repository: keys.yaml is read)."""
    result = probe(*args, cwd=tmp_path if where == "outside" else PROJECT)
    assert result["code"] == 0
    assert heavy(result["modules"]) == []
    if args == ["--version"]:
        assert result["out"] == f"aimama {__version__}\n"
    else:
        assert "aimama" in result["out"] and ("Commands:" in result["out"] or "命令：" in result["out"])
    if args == ["--help"]:  # the root's own: not one group imported
        assert not [m for m in result["modules"] if m.startswith("aimama_cli.cli.") and
                    m.rpartition(".")[2] in {module for module, _ in COMMAND_MODULES.values()}]


# groups whose --help imports nothing heavy either (a new group should join them)
LIGHT_GROUPS = ("init", "audit", "codeowners", "encrypt", "diff", "child", "volunteer", "import", "export",
                "federation", "keys")


def test_light_groups_help_imports_nothing_heavy(tmp_path):
    for group in LIGHT_GROUPS:
        result = probe(group, "--help", cwd=tmp_path)
        assert result["code"] == 0 and f"aimama {group} [OPTIONS]" in result["out"], group
        assert heavy(result["modules"]) == [], group


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_root_help_is_the_same_before_and_after_the_groups_are_loaded(lang):
    """`aimama --help` lists every group from the table's help keys without importing it; the
    lines are those the loaded groups give (a key that drifts from its group's help fails)."""
    def root_help(load_all: bool) -> str:
        command = typer.main.get_command(get_app(["--lang", lang]))
        if load_all:
            for name in command.list_commands(None):
                assert command.get_command(None, name) is not None, name
        assert list(command.commands) == list(COMMAND_MODULES)
        return command.get_help(typer.Context(command, info_name="aimama"))

    before = root_help(load_all=False)
    assert before == root_help(load_all=True)
    for name in COMMAND_MODULES:
        assert f"\n  {name} " in before


def test_a_group_that_fails_to_load_is_named_in_the_log_and_exits_3(monkeypatch, tmp_path):
    """The error log names the command even when its group never loaded, without trying to
    load it again while the error is being handled."""
    import aimama_cli.cli as cli

    def broken(module):
        raise RuntimeError(f"cannot import {module}")

    monkeypatch.setattr(cli, "load", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    command = typer.main.get_command(get_app(["--lang", "en"]))
    code = command.main(["--lang", "en", "child", "show", "C430621-0000C001"], standalone_mode=False)
    assert code == 3
    [log] = list((tmp_path / "state" / "aimama").iterdir())
    text = log.read_text(encoding="utf-8")
    assert "command: child\n" in text and "C430621" not in text


def test_showing_a_record_of_an_unchanged_repository_imports_no_rule(demo_template, tmp_path):
    """The index is opened with the file rules imported only when a file must be parsed again:
    `child show` on an index that is up to date imports no rule (nor pydantic, nor the YAML
    writer); after a hand edit, the edited file is parsed and checked, and shown as it now is."""
    root = copy_repository(demo_template, tmp_path / "demo")
    path = sorted((root / "records" / "children").glob("*.yaml"))[0]
    show = ("--root", str(root), "child", "show", path.stem, "--as-of", AS_OF)
    probe(*show, cwd=tmp_path)  # the first command may have the index to build
    result = probe(*show, cwd=tmp_path)
    name = next(line.split(": ", 1)[1] for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("name: "))
    assert result["code"] == 0 and f"Name: {name}\n" in result["out"]
    assert heavy(result["modules"], NOT_FOR_READING) == []
    path.write_text(path.read_text(encoding="utf-8").replace(f"name: {name}\n", "name: 韩梅梅\n"),
                    encoding="utf-8")
    edited = probe(*show, cwd=tmp_path)
    assert edited["code"] == 0 and "Name: 韩梅梅\n" in edited["out"]
    assert "aimama_cli.rules.checker" not in edited["modules"] and "aimama_cli.rules" in edited["modules"]

"""The command line contract: version, help everywhere, exit codes, no tracebacks."""

from __future__ import annotations

import stat

import pytest
from conftest import run

from aimama_cli import __version__


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"aimama {__version__}"


@pytest.mark.parametrize("command", [[], ["check"], ["init"]])
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command:
        assert "Example:" in result.output


def test_help_in_chinese():
    result = run("--lang", "zh", "check", "--help")
    assert result.exit_code == 0 and "示例" in result.output and "检查记录" in result.output


def test_unexpected_error_is_one_line_exit_3_and_a_private_log(repo, monkeypatch, tmp_path):
    import aimama_cli.domain.session as session

    def broken(*args, **kwargs):  # as if a record's value had found its way into an error
        raise RuntimeError("secret 430621198506159942 13900002000")

    monkeypatch.setattr(session, "change", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    result = run("--root", str(repo), "child", "edit", "C430621-0000C001",
                 "--set", "id_number=430621201503120012", "--set", "guardian.phone=13900005678")
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    folder = tmp_path / "state" / "aimama"
    [log] = list(folder.iterdir())
    assert str(log) in result.stderr and "RuntimeError" in result.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "command: child edit" in text and "Traceback" in text and "in broken" in text
    assert "builtins.RuntimeError" in text.splitlines()[-1]
    for secret in ("secret", "430621", "1390000", "C430621-0000C001", "--set", "id_number", str(repo)):
        assert secret not in text + result.stderr.replace(str(log), ""), secret


def test_without_xdg_state_home_the_log_is_under_the_home(repo, monkeypatch, tmp_path):
    import aimama_cli.cli.check as check_module

    monkeypatch.setattr(check_module, "check", lambda *a, **k: 1 / 0)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    result = run("--root", str(repo), "check")
    folder = tmp_path / "home" / ".local" / "state" / "aimama"
    [log] = list(folder.iterdir())
    assert result.exit_code == 3 and str(log) in result.stderr
    assert "command: check" in log.read_text(encoding="utf-8")


def test_ctrl_c_exits_130_without_traceback(repo, monkeypatch):
    import aimama_cli.cli.check as check_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(check_module, "check", interrupted)
    result = run("--root", str(repo), "check")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


def test_missing_path_is_a_usage_error(repo):
    result = run("--root", str(repo), "check", str(repo / "records" / "nope.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_path_outside_the_root_is_a_usage_error(repo, tmp_path):
    result = run("--root", str(repo), "check", str(tmp_path))
    assert result.exit_code == 2 and "not inside" in result.stderr


def test_missing_root_is_a_usage_error(tmp_path):
    result = run("--root", str(tmp_path / "nowhere"), "check")
    assert result.exit_code == 2


def test_console_script_with_git_head_start_gives_the_same_answer(repo):
    """The console script starts git before the CLI loads; the answer must not change."""
    import json
    import subprocess
    import sys

    from conftest import AS_OF, check_json

    child = repo / "records/children/C430621-0000C001.yaml"
    child.write_text(child.read_text(encoding="utf-8").replace("yellow", "purple"), encoding="utf-8")
    script = [sys.executable, "-c", "from aimama_cli.entry import main; main()"]
    proc = subprocess.run([*script, "--root", str(repo), "check", "--format", "json",
                           "--as-of", AS_OF], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout) == check_json(repo)[1]
    assert [p["code"] for p in json.loads(proc.stdout)["problems"]] == ["AM205"]

"""Tests drive the real CLI against real git repositories in temporary folders."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimama_cli.cli import get_app

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-01"
DEMO_IDENTITY = PROJECT / "demo" / "demo-age-identity.txt"  # DEMO ONLY: opens the demo's keys.yaml


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch, tmp_path):
    """Stable output: English, no colour, fixed width, and no writes to the real home."""
    monkeypatch.setenv("AIMAMA_LANG", "en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AIMAMA_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "测试员")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tester@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "测试员")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tester@example.org")
    monkeypatch.delenv("AIMAMA_ROOT", raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "logs").mkdir()


@dataclass
class Run:
    exit_code: int
    output: str
    stderr: str

    def json(self):
        return json.loads(self.output)


def run(*args, cwd: Path | None = None) -> Run:
    """Run ``aimama ARGS`` in-process, as the console script does."""
    runner = CliRunner()
    with _chdir(cwd or tempfile.gettempdir()):
        result = runner.invoke(get_app(list(args)), list(args), catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return Run(result.exit_code, result.stdout, result.stderr)


class _chdir:
    def __init__(self, path):
        self.path, self.old = Path(path), None

    def __enter__(self):
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.old)


def git(cwd: Path, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                           text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A records repository made by `aimama init`, with a small valid set of records committed."""
    root = tmp_path / "records-repo"
    result = run("init", str(root), "--region", "430621", "--name", "测试县")
    assert result.exit_code == 0, result.stderr
    shutil.copytree(FIXTURES / "base" / "records", root / "records", dirs_exist_ok=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base records")
    return root


@pytest.fixture
def demo(tmp_path, monkeypatch) -> Path:
    """A copy of the project's demo records (sensitive fields encrypted) in a new git
    repository, used as a coordinator does: with the demo-only age identity that opens them."""
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(DEMO_IDENTITY))
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copy(PROJECT / "aimama.yaml", root / "aimama.yaml")
    shutil.copy(PROJECT / "keys.yaml", root / "keys.yaml")  # the demo's fields are encrypted
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "demo records")
    return root


def demo_plain(root: Path, path: str) -> dict:
    """Record ``path`` of the demo (or of a repository encrypted with the demo key) as plain
    data, its sensitive fields decrypted with the demo identity."""
    from aimama_cli.store import layout
    from aimama_cli.store.sealing import crypto, keyring
    from aimama_cli.store.yamlio import decode, parse

    data = parse(decode((root / path).read_bytes())).data
    if not (root / "keys.yaml").exists():
        return data
    ring = keyring.read(root)
    sealer = crypto.Sealer(keyring.unwrap(ring, keyring.load_identity(str(DEMO_IDENTITY)), str(DEMO_IDENTITY)))
    plain, failed = sealer.unseal(layout.classify(path)[0], data)
    assert failed == []
    return plain


def check_json(root: Path, *args) -> tuple[int, dict]:
    result = run("--root", str(root), "check", "--format", "json", "--as-of", AS_OF, *args)
    return result.exit_code, result.json()

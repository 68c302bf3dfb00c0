"""Tests drive the real CLI against real git repositories in temporary folders."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: there, commands on the project's records do not take turns
    fcntl = None

import pytest
import typer.main
from typer.testing import CliRunner

from aimama_cli.cli import get_app
from aimama_cli.core.i18n import language

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-01"
DEMO_IDENTITY = PROJECT / "demo" / "demo-age-identity.txt"  # DEMO ONLY: opens the demo's keys.yaml


def _quiet(monkeypatch, place: Path) -> None:
    """Stable output: English, no colour, fixed width, a home and a log folder in ``place``,
    and a fixed git identity."""
    monkeypatch.setenv("AIMAMA_LANG", "en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    monkeypatch.setenv("HOME", str(place / "home"))
    monkeypatch.setenv("AIMAMA_LOG_DIR", str(place / "logs"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "测试员")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tester@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "测试员")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tester@example.org")
    monkeypatch.delenv("AIMAMA_ROOT", raising=False)
    (place / "home").mkdir()
    (place / "logs").mkdir()


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch, tmp_path):
    """Stable output: English, no colour, fixed width, and no writes to the real home."""
    _quiet(monkeypatch, tmp_path)


@dataclass
class Run:
    exit_code: int
    output: str
    stderr: str

    def json(self):
        return json.loads(self.output)


def run(*args, cwd: Path | None = None, input: str | None = None) -> Run:
    """Run ``aimama ARGS`` in-process, as the console script does (``input``: its standard input)."""
    args = list(args)
    command = _command(args)
    runner = CliRunner()
    exit_code = 0
    with _turn(args), _chdir(cwd or tempfile.gettempdir()), runner.isolation(input=input) as streams:
        try:  # what CliRunner.invoke does, with the command built already
            command.main(args=args, prog_name=runner.get_default_prog_name(command))
        except SystemExit as exc:
            exit_code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = (stream.getvalue().decode(runner.charset, "replace").replace("\r\n", "\n")
                              for stream in streams[:2])
    assert "Traceback" not in stdout + stderr
    return Run(exit_code, stdout, stderr)


@contextlib.contextmanager
def _turn(args: list[str]):
    """Commands on the project's own records take turns. It is the one repository that tests
    share (the others are copies in temporary folders). The index now copes with processes
    refreshing it at once (WAL, BEGIN IMMEDIATE: tests/test_index_safety.py proves it); taking
    turns keeps two xdist workers from rebuilding the same index twice over."""
    if str(PROJECT) not in args or fcntl is None:
        yield
        return
    with open(Path(tempfile.gettempdir()) / f"aimama-tests-{zlib.crc32(str(PROJECT).encode()):08x}.lock",
              "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_COMMANDS: dict[str, object] = {}


def _command(args: list[str]):
    """The console script's click command, built as it builds it (``get_app`` chooses the
    language from ``--lang`` or the environment, and the help texts follow it). Turning the app
    into a click command costs about 40 ms, more than many commands take, so each language's
    is built once a session and then reused: it holds no state between invocations."""
    app = get_app(args)
    if language() not in _COMMANDS:
        _COMMANDS[language()] = typer.main.get_command(app)
    return _COMMANDS[language()]


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


# Building a repository (`aimama init`, git init, commits) costs far more than copying one, so
# each kind is built once a session (once a worker under xdist) as a template, and every test
# gets its own copy of the template's work tree and .git: the same files, history and git
# config, in its own temporary folder, so tests stay independent of each other.

def _template(tmp_path_factory, name: str, build) -> Path:
    """Build a template repository with ``build(root)`` in the test environment, then pack its
    objects so that a copy is a few files of git rather than one per object."""
    place = tmp_path_factory.mktemp(f"{name}-template")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _quiet(monkeypatch, place)
        root = place / name
        build(root)
        git(root, "repack", "-adq")  # loose objects into one pack (the history is unchanged)
    for sample in (root / ".git" / "hooks").glob("*.sample"):  # git's inert examples
        sample.unlink()
    return root


def derived_template(tmp_path_factory, template: Path, name: str, build) -> Path:
    """A template made from another (for a module's fixture): a copy of ``template`` that
    ``build(root)`` changes, in the test environment."""
    def make(root: Path) -> None:
        copy_repository(template, root)
        build(root)
    return _template(tmp_path_factory, name, make)


def copy_repository(template: Path, dest: Path) -> Path:
    """A test's own copy of a template repository, work tree and .git."""
    shutil.copytree(template, dest, symlinks=True)
    # git's index holds each file's inode and ctime, which a copy changes: without a refresh
    # every file would look modified to `git diff-index`, as it does not in a fresh checkout
    git(dest, "update-index", "-q", "--refresh")
    return dest


def _build_repo(root: Path) -> None:
    result = run("init", str(root), "--region", "430621", "--name", "测试县")
    assert result.exit_code == 0, result.stderr
    shutil.copytree(FIXTURES / "base" / "records", root / "records", dirs_exist_ok=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base records")


def _build_demo(root: Path) -> None:
    root.mkdir()
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copy(PROJECT / "aimama.yaml", root / "aimama.yaml")
    shutil.copy(PROJECT / "keys.yaml", root / "keys.yaml")  # the demo's fields are encrypted
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "demo records")


@pytest.fixture(scope="session")
def repo_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, "records-repo", _build_repo)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, "demo", _build_demo)


@pytest.fixture
def repo(tmp_path, repo_template) -> Path:
    """A records repository made by `aimama init`, with a small valid set of records committed."""
    return copy_repository(repo_template, tmp_path / "records-repo")


@pytest.fixture
def demo(tmp_path, monkeypatch, demo_template) -> Path:
    """A copy of the project's demo records (sensitive fields encrypted) in a new git
    repository, used as a coordinator does: with the demo-only age identity that opens them."""
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(DEMO_IDENTITY))
    return copy_repository(demo_template, tmp_path / "demo")


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


def drop_encryption(root: Path) -> None:
    """Make an encrypted repository (the demo) a plaintext one, as a test's starting point: no
    keys.yaml, and aimama.yaml no longer requiring encryption."""
    (root / "keys.yaml").unlink()
    config = root / "aimama.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("encryption: required\n", ""), encoding="utf-8")

"""A Chinese coordinator never meets English (issue 21): click's and typer's own words (the usage
line, the section titles, the help option, the errors of a command line that does not parse) are
in the language of the messages."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import AS_OF, PROJECT, run
from test_cli_help import KEY_PREFIXES, KEY_SHAPED, command_tree
from typer._click.formatting import HelpFormatter

from aimama_cli.cli import click_text
from aimama_cli.messages import MESSAGES


def test_help_speaks_chinese_in_click_own_words():
    result = run("--lang", "zh", "pair", "suggest", "--help")
    assert result.output.startswith("用法：") and "pair suggest [OPTIONS] {CHILD}" in result.output
    for words in ("参数：", "选项：", "显示本帮助并退出。", "[必填]", "[默认：5"):
        assert words in result.output, words
    for english in ("Usage:", "Options:", "Arguments:", "Show this message", "required", "default:"):
        assert english not in result.output, english
    assert "命令：" in run("--lang", "zh", "child", "--help").output


def test_usage_errors_speak_chinese():
    cases = {
        ("child", "list", "--bogus"): "错误：没有这个选项：--bogus",
        ("child", "list", "--form"): "错误：没有这个选项：--form （可能是：--format）",
        ("child", "show"): "错误：缺少参数 'ID'。",
        ("child", "list", "--format", "zz"): "错误：'--format' / '-f' 的取值无效：'zz' 不是可选值之一",
        ("pair", "suggest", "C1", "--top", "abc"): "错误：'--top' 的取值无效：不是整数。",
        ("pair", "suggest", "C1", "--top", "0"): "错误：'--top' 的取值无效：应 >= 1。",
        ("pair", "suggest", "C1", "--top"): "错误：选项“--top”需要一个取值。",
        ("child", "list", "a"): "错误：多余的参数（a）",
        ("chil",): "错误：没有这个命令：“chil”。您是否要输入 'child'？",
    }
    for args, error in cases.items():
        result = run("--lang", "zh", *args)
        assert result.exit_code == 2, args
        assert error in result.stderr, (args, result.stderr)
        assert "Error" not in result.stderr and "Usage" not in result.stderr, result.stderr
    shown = run("--lang", "zh", "child", "show").stderr
    assert shown.startswith("用法：") and " child show -h”查看帮助。\n" in shown


def test_missing_option_names_its_choices_in_chinese():
    result = run("--lang", "zh", "pair", "create")
    assert result.exit_code == 2
    assert "错误：缺少" in result.stderr and "Missing" not in result.stderr


def test_english_stays_click_own_wording():
    result = run("--lang", "en", "child", "list", "--form")
    assert result.stderr.startswith("Usage: ") and " child list -h' for help." in result.stderr
    assert "Error: No such option: --form (Possible options: --format)" in result.stderr
    assert "Error: Missing argument 'ID'." in run("--lang", "en", "child", "show").stderr
    assert run("--lang", "en", "child", "--help").output.startswith("Usage: ")


# --- the walk: every command's --help in Chinese, and English words outside the codes ---------------

# names that stay as they are in a Chinese text: tools, formats, the product
PROPER_NAMES = {"aimama", "git", "age", "age-keygen", "YAML", "Parquet", "DuckDB", "CSV", "XLSX", "JSON", "HTML", "Markdown",
                "Excel", "GitHub", "GitLab", "CI", "pre-commit", "SQLite", "shell", "PDF", "GB", "ID", "GBK",
                "UTF", "MiB", "json", "csv", "xlsx", "markdown"}
# what a coordinator types or reads as a code, removed before the words are looked at
CODES = [re.compile(p) for p in (
    r"示例：aimama .*",  # an example: a command line
    r"[\w.+-]+@[\w.-]+",  # an e-mail
    r"`[^`]*`|'[^'\s]*'",  # a command, a value or a choice quoted
    r"默认：[^;\]）]*",  # an option's default value
    r"(?<![\w-])--?[A-Za-z][\w-]*",  # an option
    r"<[^>]*>|\{[^}]*\}|\[[^\]\u4e00-\u9fff]*\]|\w+(?:\|\w+)+",  # a metavar, a field path
    r"\$[A-Z_]+",  # an environment variable
    r"[\w.-]*/[\w./-]*|[\w-]+\.(?:ya?ml|md|json|csv|xlsx|html|txt|log|age)\b",  # a path, a file
    r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_*]+)+\b",  # a field path
    r"\b[a-z][a-z0-9_]*（[^）]*）",  # a code beside its label
    r"\b[A-Z][A-Z0-9_]*(?:-[A-Z0-9]+)*\b",  # a metavar, an id, an abbreviation
)]
# in what a command prints, besides: the record's own lines quoted, hashes, keys, e-mails, and
# the ids of programmes, duties and checklist items (regular_visit, yueyang-village)
OUTPUT_CODES = [re.compile(p, re.M) for p in (
    r"^\s*\d+ \| .*",  # a line of a record file, quoted by check
    r"“[^”]*”",  # what the user typed, quoted
    r"\b\w*\d\w*\b",  # a hash, a key, a number
    r"\b[0-9a-f]{7,40}\b",  # a commit id of letters alone ("已提交 cdaefabcce": 1 in 18,000 commits)
    r"\b[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+\b",  # a programme's, duty's, checklist item's id
    r"^\s*\.?[a-z][\w.\[\] ]*?(?=\s{2})",  # a field path heading a row of history (its start taken as a code)
    r"^\s*\[[^\]]*\] .*",  # a commit's subject in history, as its author wrote it
)]
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def english_words(text: str, allowed: set[str], codes=()) -> list[str]:
    """The English words of ``text`` that are neither codes nor names allowed in Chinese."""
    for code in (*CODES, *codes):
        text = code.sub(" ", text)
    return [word for word in WORD.findall(text) if word not in allowed]


@pytest.fixture
def wide_help(monkeypatch):
    """--help unwrapped, one line a text: an example is one line, a word is never cut."""
    monkeypatch.setattr(click_text.Formatter, "__init__",
                        lambda self, indent_increment=2, width=None, max_width=None:
                        HelpFormatter.__init__(self, indent_increment, 100_000, 100_000))


def _names() -> set[str]:
    """The commands' names, and `root`: the program's name in the tests' runner."""
    return {name for path, _ in command_tree("en") for name in path} | {"root"}


def test_every_help_is_chinese_but_its_codes(wide_help):
    """Every command's --help under --lang zh: no English word outside the codes (options,
    metavars, field paths, files, example command lines, codes beside their labels)."""
    allowed, found = PROPER_NAMES | _names(), []
    for path, _command in command_tree("zh"):
        result = run("--lang", "zh", *path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        found += [f"aimama {' '.join(path)}: {words} in: {line.strip()}"
                  for line in result.output.splitlines() if (words := english_words(line, allowed))]
    assert not found, "English in Chinese help (put it in the catalog, or quote a code):\n" + "\n".join(found)


# a sample of what commands print, and of their errors, on the demo's records
SAMPLE = (
    ("check", "--as-of", AS_OF), ("check", "--list-rules"), ("child", "list", "--as-of", AS_OF),
    ("volunteer", "list", "--as-of", AS_OF), ("team", "list"), ("duty", "check", "--as-of", AS_OF),
    ("duty", "remind", "--as-of", AS_OF), ("pledge", "due", "--as-of", AS_OF), ("case", "list"),
    ("report", "coverage", "--as-of", AS_OF), ("report", "duties", "--as-of", AS_OF),
    ("report", "volunteers", "--as-of", AS_OF), ("report", "cases", "--as-of", AS_OF), ("audit",),
    ("keys", "list"), ("child", "show", "C430621-NOSUCH01"), ("pair", "create", "C430621-NOSUCH01"),
    ("report", "coverage", "--format", "zz"), ("duty", "check", "--as-of", "someday"),
    ("history", "V430621-6EWXMFTT"), ("find", "林静"), ("log", "list", "--volunteer", "林静"),
    ("child", "show", "C430621-3MF6G8QX", "--as-of", AS_OF), ("pair", "suggest", "C430621-3MF6G8QX", "--as-of", AS_OF),
    ("report", "trend", "--as-of", AS_OF), ("pair", "team", "list"), ("coordinator", "list"),
)


def test_a_sample_of_outputs_and_errors_is_chinese_and_english_has_no_raw_key(demo):
    # the ids of the demo's programmes and duties (book, insurance), and No.20241841: a record's text
    ids = {m for f in (demo / "records" / "programmes").iterdir()
           for m in re.findall(r"\bid: ([\w-]+)", f.read_text(encoding="utf-8"))}
    allowed, found, stray = PROPER_NAMES | _names() | ids | {"No"}, [], []
    for args in SAMPLE:
        zh = run("--lang", "zh", "--root", str(demo), *args)
        assert zh.exit_code in (0, 1, 2), (args, zh.stderr)
        for line in (zh.output + zh.stderr).splitlines():
            if words := english_words(line, allowed, OUTPUT_CODES):
                found.append(f"aimama {' '.join(args)}: {words} in: {line.strip()}")
        en = run("--lang", "en", "--root", str(demo), *args)
        stray += [f"aimama {' '.join(args)}: {word}" for word in KEY_SHAPED.findall(en.output + en.stderr)
                  if word.rsplit(".", 1)[0] in KEY_PREFIXES and word not in MESSAGES]
    assert not found, "English in Chinese output:\n" + "\n".join(found)
    assert not stray, "catalog keys shown raw:\n" + "\n".join(stray)


# --- the language of the machine, and a console that cannot show everything -------------------------

def _aimama(*args, env: dict):
    """``aimama ARGS`` in a process of its own, with ``env`` as the locale (no AIMAMA_LANG)."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("AIMAMA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "PYTHONIOENCODING")}
    return subprocess.run([sys.executable, "-m", "aimama_cli", *args], capture_output=True,
                          env={**clean, "PYTHONPATH": str(PROJECT), **env})


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh-CN"}, "zh"),  # Windows' name, through Git Bash
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),  # LC_ALL before LANG
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),  # LANGUAGE's list first
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "fr:en"}, "en"),  # the first language aimama speaks
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr_FR:zh_CN"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "AIMAMA_LANG": "en"}, "en"),  # aimama's own first
    ({"LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_language_is_read_from_the_locale_as_machines_set_it(env, lang):
    result = _aimama("child", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").startswith({"zh": "用法：", "en": "Usage: "}[lang])


def test_a_gbk_console_gets_chinese_it_can_show():
    result = _aimama("child", "--help", env={"LANG": "zh_CN.GBK", "PYTHONIOENCODING": "gbk"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("gbk").startswith("用法：") and "显示本帮助并退出" in result.stdout.decode("gbk")
    assert not result.stderr


def test_a_console_that_cannot_show_chinese_gets_question_marks_and_a_hint():
    result = _aimama("--lang", "zh", "child", "--help", env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr  # not exit 3 with UnicodeEncodeError
    assert result.stdout.decode("latin-1").startswith("???aimama child")
    hint = result.stderr.decode("latin-1")
    assert hint.count("\n") == 1 and "cannot show Chinese" in hint and "chcp 65001" in hint
    assert "PYTHONIOENCODING=utf-8" in hint


@pytest.mark.parametrize("system_locale, usage", [(("Chinese (Simplified)_China", "936"), "用法："),
                                                  (("English_United States", "1252"), "Usage: ")])
def test_a_windows_console_without_lang_speaks_the_users_locale(monkeypatch, system_locale, usage):
    """cmd.exe and PowerShell set no LANG: a Chinese Windows (its locale as Python reads it
    there) gets Chinese, an English one English."""
    from types import SimpleNamespace

    from aimama_cli.core import i18n

    monkeypatch.setattr(i18n, "os", SimpleNamespace(name="nt", environ={}))
    monkeypatch.setattr("locale.getlocale", lambda *args: system_locale)
    assert run("child", "--help").output.startswith(usage)

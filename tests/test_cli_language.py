"""A Chinese coordinator never meets English (issue 21): click's and typer's own words (the usage
line, the section titles, the help option, the errors of a command line that does not parse) are
in the language of the messages."""

from __future__ import annotations

from conftest import run


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

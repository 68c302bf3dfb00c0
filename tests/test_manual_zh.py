"""The coordinators' manual in Chinese (docs/zh/, issue 21): it is linked from README.zh-CN.md, its
links between its pages lead to files that exist, every `$ aimama …` line it shows is a command
line aimama accepts, and the manual runs as written: its commands, one after the other on a copy
of the demo records as 周丽华 (the demo's county coordinator), in Chinese, succeed, print no
English, and print what the manual says they print."""

from __future__ import annotations

import re
import shlex

import typer.main
from conftest import PROJECT, run
from test_cli_help import command_tree
from test_cli_language import OUTPUT_CODES, PROPER_NAMES, english_words
from test_readme_zh import command_lines
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from aimama_cli.cli import get_app
from aimama_cli.core.i18n import set_language

MANUAL = PROJECT / "docs" / "zh"
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted(MANUAL.glob("*.md"))}
GLOBAL_OPTIONS = re.compile(r"--(?:lang|root)(?:=|\s+)\S+")  # options before the command, with a value


def command_of(line: str, commands: dict[str, object]) -> str | None:
    """`pair team create` for `aimama --lang zh pair team create T… --by-team T…`: the longest
    leading words that name a command (not a group), or None."""
    words = GLOBAL_OPTIONS.sub("", line.split("aimama ", 1)[1]).split()
    for size in (3, 2, 1):
        name = " ".join(words[:size])
        if name in commands and not isinstance(commands[name], TyperGroup):
            return name
    return None


def test_the_manual_is_linked_from_the_top_of_the_chinese_readme():
    top = "\n".join((PROJECT / "README.zh-CN.md").read_text(encoding="utf-8").splitlines()[:5])
    assert "(docs/zh/README.md)" in top


def test_the_index_links_to_pages_that_exist():
    linked = set(re.findall(r"\]\(([^)#]+\.md)", PAGES["README.md"]))
    assert linked, "docs/zh/README.md links to no page"
    missing = {link for link in linked if not (MANUAL / link).resolve().is_file()}
    assert not missing, "docs/zh/README.md links to missing files: " + ", ".join(sorted(missing))


def test_every_command_line_of_the_manual_is_a_command_aimama_has():
    commands = {" ".join(path): command for path, command in command_tree("en") if path}
    lines = {(name, line) for name, text in PAGES.items() for line in command_lines(text)}
    assert len(lines) > 30, "the manual shows fewer command lines than expected"
    unknown = sorted(f"{name}: {line}" for name, line in lines if command_of(line, commands) is None)
    assert not unknown, "not a command of aimama:\n" + "\n".join(unknown)


def test_a_made_up_command_is_caught():
    commands = {" ".join(path): command for path, command in command_tree("en") if path}
    assert command_of("aimama --lang zh pair team create T1 --by-team T2", commands) == "pair team create"
    assert command_of("aimama check --list-rules", commands) == "check"
    assert command_of("aimama pledge remind --year 2027", commands) is None
    assert command_of("aimama pair", commands) is None


# --- the manual runs as written ----------------------------------------------------------------------

# command lines that need what a copy of the demo does not hold, and what that is (they are only
# parsed): the start of the line, after `aimama`
NEEDS = {
    "region import 平江县统计用区划代码.xlsx": "the statistics bureau's table of the county",
    "coordinator edit U430626-7K3M9QAB": "the id `coordinator add` gave, a new one each time",
    "coordinator retire U430626-7K3M9QAB": "the id `coordinator add` gave, a new one each time",
    "encrypt ": "a repository not yet encrypted (the demo is), a coordinator's public key",
    "keys add ": "a coordinator's public key (age1…)",
    "keys remove ": "the key of a second coordinator",
    "import children ": "the townships' rosters",
    "import volunteers ": "the townships' rosters",
    "child merge ": "a child entered twice (the demo has none)",
    "volunteer merge ": "a volunteer entered twice (the demo has none)",
    "diff main..pr-1": "a colleague's branch",
    "check --changed-since origin/main": "a remote",
    "child edit C430621-3MF6G8QX --set guardian.phone=-": "the number typed, hidden",
    "child edit C430621-3MF6G8QX --set id_number=?": "a terminal to type the number at",
}
# what the manual's command lines read, written beside the demo's records before they run
FILES = {"十一月走访.csv": "日期,志愿者,儿童,方式,联系情况,时长（小时）,内容\n"
                          "2026-11-20,林静,李梓萱,上门走访,已联系,1.5,辅导作业，了解近况\n"
                          "2026-11-22,林静,朱晨曦,电话,已联系,0.5,\n"}
# output the manual shows of records other than the demo's (a record with mistakes in it)
ILLUSTRATED = {"check --changed-since main --as-of 2026-11-01"}
MACHINE = {"json", "github", "csv", "markdown"}  # formats read by programs, in English
COORDINATOR = "zhoulihua@example.org"  # 周丽华: the demo's county coordinator, every role
SHA = re.compile(r"\b[0-9a-f]{10,}\b")


def invocations(text: str) -> list[tuple[list[str], list[str], dict]]:
    """(arguments after `aimama`, the lines the manual shows it printing, the environment the line
    sets for it: `VAR=value`, `env -u VAR` as None) of every invocation in the console blocks:
    continuation lines joined, comments cut, a chain (`&&`) split."""
    found: list[tuple[list[str], list[str], dict]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        shown: list[str] = []
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            if not line.startswith("$ "):
                shown.append(line)
                continue
            for part in line[2:].split("&&"):
                words = shlex.split(part, comments=True)
                if "aimama" in words:
                    shown, before = [], words[:words.index("aimama")]
                    env = {w.split("=", 1)[0]: w.split("=", 1)[1] for w in before if "=" in w}
                    env.update({name: None for flag, name in zip(before, before[1:]) if flag == "-u"})
                    found.append((words[words.index("aimama") + 1:], shown, env))
    return found


def manual_invocations() -> list[tuple[list[str], list[str], dict]]:
    return [found for name, text in PAGES.items() if name != "README.md" for found in invocations(text)]


class NamesAsTyped:
    """Names left as they are typed: parsing opens no records (running the manual looks them up)."""

    @staticmethod
    def id_of(value, kind=None):
        return value

    @staticmethod
    def merged_into(rid, kind=None):  # no record was merged into another
        return None


def parse(args: list[str]) -> None:
    """Parse ``args`` as aimama does, down to its command, without running it (UsageError
    for an unknown option, a bad value, a missing argument)."""
    command = typer.main.get_command(get_app(["--lang", "en"]))
    try:
        ctx = command.make_context("aimama", list(args), obj={"names": NamesAsTyped()})
        while isinstance(command, TyperGroup):
            rest = [*ctx._protected_args, *ctx.args]
            _name, command, rest = command.resolve_command(ctx, rest)
            ctx = command.make_context(_name, rest, parent=ctx)
    finally:
        set_language(None)


def test_every_command_line_of_the_manual_parses():
    found = manual_invocations()
    assert len(found) > 50
    wrong = []
    for args, _shown, _env in found:
        try:
            parse(args)
        except UsageError as exc:
            wrong.append(f"aimama {' '.join(args)}: {exc.format_message()}")
    assert not wrong, "command lines of the manual aimama refuses:\n" + "\n".join(wrong)


def _needs(args: list[str]) -> str | None:
    line = " ".join(a for a in args if a not in ("--lang", "zh"))
    return next((why for start, why in NEEDS.items() if line.startswith(start)), None)


def test_the_manual_runs_as_written_in_chinese(demo, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", COORDINATOR)
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", COORDINATOR)
    for name, text in FILES.items():
        (demo / name).write_text(text, encoding="utf-8")
    ids = {m for f in (demo / "records" / "programmes").iterdir()
           for m in re.findall(r"\bid: ([\w-]+)", f.read_text(encoding="utf-8"))}
    allowed = PROPER_NAMES | ids | {"No", "root"} | {n for path, _ in command_tree("en") for n in path}
    failed, english, unlike = [], [], []
    for args, shown, env in manual_invocations():
        if _needs(args):
            continue
        line = "aimama " + " ".join(args)
        with monkeypatch.context() as setting:
            for name, value in env.items():  # the demo's key is the project's: demo/demo-age-identity.txt
                setting.delenv(name) if value is None else setting.setenv(name, str(PROJECT / value))
            result = run(*(args if args[:2] == ["--lang", "zh"] else ["--lang", "zh", *args]), cwd=demo)
        if result.exit_code != 0:
            failed.append(f"{line}: exit {result.exit_code}: {result.stderr.strip()[-300:]}")
            continue
        if not MACHINE & set(args):  # the words typed (a branch, a file) may come back
            typed = allowed | {w for a in args for w in re.findall(r"[A-Za-z]+", a)}
            english += [f"{line}: {words} in: {out.strip()}" for out in (result.output + result.stderr).splitlines()
                        if (words := english_words(out, typed, OUTPUT_CODES))]
        flat = re.sub(r"\s+", "", SHA.sub("", result.output + result.stderr))
        if " ".join(args).replace("--lang zh ", "") not in ILLUSTRATED:
            missing = [out for out in shown if out.strip() not in ("", "...")
                       and re.sub(r"\s+", "", SHA.sub("", out)) not in flat]
            unlike += [f"{line}: {out}" for out in missing] + (["  it printed:", result.output] if missing else [])
    assert not failed, "the manual's commands fail on the demo:\n" + "\n".join(failed)
    assert not english, "English in what the manual's commands print in Chinese:\n" + "\n".join(english)
    assert not unlike, "lines the manual shows that aimama does not print:\n" + "\n".join(unlike)

"""Issue 18, items 6 and 7: sensitive values off the command line (``--set FIELD=-``, a warning
for one given there), and output that is shown or handed on, never run: formulas in CSV and XLSX
made text, control sequences written out on the terminal, names that are plain readable text
(AM308, zero-width characters no disguise for a duplicate, AM307), team parents without loops
(AM863)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from conftest import AS_OF, check_json, git, run
from openpyxl import load_workbook
from test_people import add_child, clean, head_message
from test_roster_import import HEADER, child_row, write_xlsx

from aimama_cli.core.ids import make_id_number

CHILD = "C430621-0000C001"
CHILD_FILE = f"records/children/{CHILD}.yaml"
FORMULA = '=HYPERLINK("http://evil.example/x","点我")'
OSC_NAME = r'"王\e]8;;http://evil.example/\a小雨\e]8;;\a\e[2J"'  # a link and a screen clear


def aimama(repo, *args, **kwargs):
    return run("--root", str(repo), *args, **kwargs)


def hand_edit(repo, path: str, old: str, new: str, commit: bool = True) -> None:
    """Change a record as someone with write access could, past every input check."""
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    if commit:
        git(repo, "commit", "-qam", "by hand")


def problems(repo, code: str) -> list[dict]:
    _, report = check_json(repo)
    return [p for p in report["problems"] if p["code"] == code]


# --- 7. formulas stay text --------------------------------------------------------------------

def test_a_formula_in_a_name_is_exported_as_text_to_xlsx_and_csv(repo, tmp_path):
    result = aimama(repo, "child", "edit", CHILD, "--set", f"name={FORMULA}", "--set", "school.name=+1 中心小学")
    assert result.exit_code == 0, result.stderr  # a name may start with "=": what reads it must cope
    book = tmp_path / "roster.xlsx"
    assert aimama(repo, "export", "roster", "--as-of", AS_OF, "--output", str(book)).exit_code == 0
    cells = [c for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row]
    named = [c for c in cells if c.value == FORMULA]
    assert len(named) == 1 and named[0].data_type == "s" and named[0].quotePrefix
    assert not [c for c in cells if c.data_type == "f"]
    sheet = tmp_path / "roster.csv"
    assert aimama(repo, "export", "roster", "--as-of", AS_OF, "--output", str(sheet)).exit_code == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert ["'" + FORMULA] == [v for row in rows for v in row if FORMULA in v]
    assert not [v for row in rows for v in row if v[:1] in ("=", "+", "-", "@")]


def test_list_format_csv_neutralises_formulas(repo):
    hand_edit(repo, CHILD_FILE, "name: 王小雨", "name: '@SUM(1+1)*cmd'")
    result = aimama(repo, "child", "list", "--format", "csv", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["name"] for r in rows] == ["'@SUM(1+1)*cmd"]
    table = aimama(repo, "child", "list", "--as-of", AS_OF)
    assert "@SUM(1+1)*cmd" in table.output and "'@SUM" not in table.output  # a table shows it as it is


# --- 7. nothing reaches the terminal as a control sequence ---------------------------------------

def test_show_and_list_print_no_escape_sequence_from_a_name(repo):
    hand_edit(repo, CHILD_FILE, "name: 王小雨", f"name: {OSC_NAME}")
    shown = aimama(repo, "child", "show", CHILD, "--as-of", AS_OF)
    assert shown.exit_code == 0, shown.stderr
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert r"王\x1b]8;;http://evil.example/\x07小雨" in shown.output  # written out, visibly
    for args in (("child", "list"), ("child", "show", CHILD, "--format", "json"), ("volunteer", "show",
                 "V430621-0000V001"), ("check",)):
        result = aimama(repo, *args, "--as-of", AS_OF)
        assert "\x1b" not in result.output + result.stderr and "\x07" not in result.output + result.stderr, args
    found = problems(repo, "AM308")
    assert [(p["file"], p["line"], p["field"]) for p in found] == [(CHILD_FILE, 3, "name")]
    assert "U+001B" in found[0]["message"]


def test_history_diff_and_check_print_no_escape_sequence(repo):
    hand_edit(repo, CHILD_FILE, "name: 王小雨", f"name: {OSC_NAME}")
    for args in (("history", CHILD), ("diff", "HEAD~1..HEAD"), ("diff", "HEAD~1..HEAD", "--format", "json")):
        result = aimama(repo, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "\x1b" not in result.output and "evil.example" in result.output, args
    raw = repo / "records/children/C430621-0000C003.yaml"
    raw.write_bytes("id: C430621-0000C003\nname: 王\x1b[2J小雨\n".encode())  # a raw ESC: YAML refuses it
    checked = aimama(repo, "check", "--as-of", AS_OF)
    assert checked.exit_code == 1 and "C430621-0000C003.yaml:1:1: AM104" in checked.output
    assert "\x1b" not in checked.output and "U+001B" in checked.output  # and the AM308 of the name


def test_a_c1_control_is_escaped_in_json_and_written_out_in_tables(repo):
    hand_edit(repo, CHILD_FILE, "name: 王小雨", r'name: "王\x9b2J小雨"')  # U+009B: the 8-bit CSI
    listed = aimama(repo, "child", "list", "--format", "json", "--as-of", AS_OF)
    assert "\x9b" not in listed.output and listed.json()[0]["name"] == "王\x9b2J小雨"
    table = aimama(repo, "child", "list", "--as-of", AS_OF)
    assert "\x9b" not in table.output and r"王\x9b2J小雨" in table.output


# --- 7. names: NFC, nothing invisible, no line break (AM308); duplicates seen through (AM307) --

def test_zero_width_space_does_not_hide_a_duplicate_child(repo):
    copy = (repo / CHILD_FILE).read_text(encoding="utf-8")
    copy = copy.replace(CHILD, "C430621-0000C002").replace("name: 王小雨", 'name: "王\\u200b小雨"')
    copy = copy.replace("id_number: '430621201503089920'\n", "")
    (repo / "records/children/C430621-0000C002.yaml").write_text(copy, encoding="utf-8")
    duplicates = problems(repo, "AM307")
    assert [(p["record"], p["field"]) for p in duplicates] == [("C430621-0000C002", "name")]
    hidden = problems(repo, "AM308")
    assert [(p["record"], p["line"]) for p in hidden] == [("C430621-0000C002", 3)]
    assert "U+200B" in hidden[0]["message"]


def test_add_refuses_an_invisible_character_in_a_name_and_writes_nothing(repo):
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "child", "add", "--name", "李\u200d小花", "--gender", "女",
                    "--birth-date", "2016-05-01", "--category", "留守儿童", "--village", "430621101201",
                    "--guardian-name", "李奶奶", "--guardian-relation", "祖母", "--consent-date", "2026-01-02",
                    "--source", "village", "--on", AS_OF)
    assert result.exit_code == 1
    assert "AM308" in result.stderr and "U+200D" in result.stderr and ":2:" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before and clean(repo)
    zh = run("--lang", "zh", "--root", str(repo), "child", "edit", CHILD, "--set", "name=王\u2060小雨")
    assert zh.exit_code == 1 and "AM308" in zh.stderr and "零宽字符" in zh.stderr


def test_next_line_is_a_line_break_and_refused_not_a_silent_space(repo):
    result = aimama(repo, "child", "edit", CHILD, "--set", "guardian.name=王\x85桂英")
    assert result.exit_code == 1 and "AM308" in result.stderr and "U+000A" in result.stderr
    assert "guardian.name" in result.stderr and clean(repo)


def test_names_are_kept_in_nfc(repo):
    decomposed = "Ame\u0301lie"  # e and a combining acute accent
    assert aimama(repo, "child", "edit", CHILD, "--set", f"name={decomposed}").exit_code == 0
    assert "name: Am\u00e9lie\n" in (repo / CHILD_FILE).read_text(encoding="utf-8")


def test_import_refuses_a_name_with_a_line_break_naming_its_row(demo, tmp_path):
    before = git(demo, "rev-parse", "HEAD")
    birth = dt.datetime(2015, 6, 1)
    roster = write_xlsx(tmp_path / "名册.xlsx", [child_row(1, "赵小明", "湖滨村", birth),
                                                  child_row(2, "钱\n小红", "湖滨村", birth)])
    result = run("--root", str(demo), "import", "children", str(roster), "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "AM308" in line]
    assert len(lines) == 1 and lines[0].startswith("row 4 (钱") and HEADER[4] in lines[0]
    assert "nothing was written" in result.stderr
    assert git(demo, "rev-parse", "HEAD") == before and clean(demo)


# --- 7. team parents without loops (AM863) ---------------------------------------------------------

def _team(repo, rid: str, parent: str) -> None:
    text = (repo / "records/teams/T430621-0000T001.yaml").read_text(encoding="utf-8")
    text = text.replace("T430621-0000T001", rid).replace("湖滨村爱心妈妈队", f"队伍{rid[-1]}")
    (repo / f"records/teams/{rid}.yaml").write_text(text + f"parent: {parent}\n", encoding="utf-8")


def test_two_and_three_team_parent_loops_are_errors_on_every_team_of_the_loop(repo):
    _team(repo, "T430621-0000T002", "T430621-0000T003")
    _team(repo, "T430621-0000T003", "T430621-0000T002")
    _team(repo, "T430621-0000T004", "T430621-0000T002")  # under a loop, not on it
    loops = problems(repo, "AM863")
    assert {p["record"] for p in loops} == {"T430621-0000T002", "T430621-0000T003"}
    assert all(p["field"] == "parent" and p["line"] == 7 and p["severity"] == "error" for p in loops)
    assert "T430621-0000T002 → T430621-0000T003 → T430621-0000T002" in loops[0]["message"]
    hand_edit(repo, "records/teams/T430621-0000T003.yaml", "parent: T430621-0000T002", "parent: T430621-0000T004",
              commit=False)
    three = problems(repo, "AM863")
    assert {p["record"] for p in three} == {"T430621-0000T002", "T430621-0000T003", "T430621-0000T004"}
    edit = aimama(repo, "team", "edit", "T430621-0000T001", "--set", "parent=T430621-0000T001")
    assert edit.exit_code == 1 and "AM863" in edit.stderr  # its own parent: refused, nothing written


# --- 6. sensitive values off the command line ---------------------------------------------------

def test_set_from_standard_input_keeps_the_value_off_the_command_line(repo):
    number = make_id_number("430621", dt.date(2015, 3, 8), 924)
    args = ("child", "edit", CHILD, "--set", "id_number=-", "--set", "guardian.phone=13900002998")
    result = aimama(repo, *args, input=number + "\n")
    assert result.exit_code == 0, result.stderr
    assert number not in " ".join(args) and number not in head_message(repo)
    assert f"id_number: '{number}'" in (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert "id_number is sensitive" not in result.stderr  # read from standard input: no warning
    assert "warning: guardian.phone is sensitive" in result.stderr and "give - as its value" in result.stderr
    twice = aimama(repo, "child", "edit", CHILD, "--set", "id_number=-", "--set", "guardian.phone=-",
                   input=number + "\n13900002997\n")
    assert twice.exit_code == 2 and "standard input gives one value only" in twice.stderr
    empty = aimama(repo, "child", "edit", CHILD, "--set", "guardian.phone=-", input="")
    assert empty.exit_code == 2 and "no value for guardian.phone on standard input" in empty.stderr
    asked = aimama(repo, "child", "edit", CHILD, "--set", "guardian.phone=?")
    assert asked.exit_code == 2 and "asks at a terminal" in asked.stderr


def test_add_warns_of_sensitive_options_in_english_and_chinese(repo):
    result = add_child(repo)
    assert result.exit_code == 0, result.stderr
    assert "warning: --guardian-phone is sensitive" in result.stderr
    zh = run("--lang", "zh", "--root", str(repo), "volunteer", "add", "--name", "赵丽", "--gender", "女",
             "--birth-date", "1990-01-01", "--phone", "-", "--kind", "local", "--team", "T430621-0000T001",
             "--village", "430621101201", "--skill", "tutoring", "--capacity", "2", "--on", AS_OF,
             input="13900003001\n")
    assert zh.exit_code == 0, zh.stderr
    assert "敏感字段" not in zh.stderr
    warned = run("--lang", "zh", "--root", str(repo), "volunteer", "add", "--name", "钱芳", "--gender", "女",
                 "--birth-date", "1991-01-01", "--phone", "13900003002", "--kind", "local",
                 "--team", "T430621-0000T001", "--village", "430621101201", "--skill", "tutoring",
                 "--capacity", "2", "--on", AS_OF)
    assert warned.exit_code == 0, warned.stderr
    assert "警告：--phone 是敏感字段" in warned.stderr


def test_a_sensitive_field_asked_at_a_terminal_is_not_echoed(repo, monkeypatch):
    from aimama_cli.cli import options

    monkeypatch.setattr(options, "interactive", lambda: True)
    number = make_id_number("430621", dt.date(2015, 3, 8), 926)
    result = aimama(repo, "child", "edit", CHILD, "--set", "id_number=?", input=number + "\n")
    assert result.exit_code == 0, result.stderr
    assert "ID number" in result.output and number not in result.output + result.stderr
    assert f"id_number: '{number}'" in (repo / CHILD_FILE).read_text(encoding="utf-8")


def test_log_add_reads_sensitive_details_from_standard_input_and_warns_of_them_in_argv(repo):
    args = ("log", "add", "V430621-0000V001", "--kind", "phone_call", "--child", CHILD,
            "--date", "2026-10-20", "--hours", "1", "--as-of", AS_OF)
    result = aimama(repo, *args, "--details", "-", input="孩子最近情绪低落\n")
    assert result.exit_code == 0, result.stderr
    assert "sensitive" not in result.stderr
    log = (repo / "records/activities/2026/V430621-0000V001.yaml").read_text(encoding="utf-8")
    assert "details: 孩子最近情绪低落\n" in log
    warned = aimama(repo, *args[:-4], "--date", "2026-10-21", "--hours", "1", "--as-of", AS_OF,
                    "--details", "睡眠不好")
    assert warned.exit_code == 0 and "warning: --details is sensitive" in warned.stderr

"""Corrections through the CLI: ``child|volunteer merge``, ``close --reason entered_in_error``,
``pledge void``, and the rules that follow them (AM306, AM307, AM403, AM404).

The base records have one child (王小雨, C001) paired with one local volunteer (李秀兰, V001,
capacity 2) whose 2026 log names the child, and a 2026 pledge (S001).  The fixtures here add a
second entry of the same child (C002, no ID number), a second local volunteer (V002) and, for the
volunteer merge, a second entry of 李秀兰 (V003).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, check_json, git, run

from aimama_cli.store.yamlio import decode, parse

CHILD, DUP_CHILD = "C430621-0000C001", "C430621-0000C002"
VOLUNTEER, OTHER, DUP_VOLUNTEER = "V430621-0000V001", "V430621-0000V002", "V430621-0000V003"
PAIRING = "P430621-0000P001"
TEAM = "T430621-0000T001"
MIND, COUNSELLOR = "T430621-0000T101", "V430621-0000V101"


def aimama(root: Path, *args):
    return run("--root", str(root), *args)


def data(root: Path, path: str) -> dict:
    return parse(decode((root / path).read_bytes())).data


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


def volunteer_like(root: Path, rid: str, name: str, phone: str, *, id_number: bool = False, **swap) -> None:
    text = (root / f"records/volunteers/{VOLUNTEER}.yaml").read_text(encoding="utf-8")
    text = text.replace(VOLUNTEER, rid).replace("李秀兰", name).replace("13900002000", phone)
    for old, new in swap.items():
        text = text.replace(old.replace("_", " "), new)
    if not id_number:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("id_number")) + "\n"
    write(root, f"records/volunteers/{rid}.yaml", text)


def pairing(root: Path, pid: str, child: str, volunteer: str, started: str) -> None:
    write(root, f"records/pairings/{pid}.yaml",
          f"id: {pid}\nchild: {child}\nvolunteer: {volunteer}\nrole: local\nstarted_on: '{started}'\n")


def log(root: Path, volunteer: str, *entries: tuple[str, str]) -> None:
    lines = [f"volunteer: {volunteer}", "year: 2026", "entries:"]
    for day, child in entries:
        lines += [f"  - date: '{day}'", f"    child: {child}", "    kinds: [phone_call]", "    contact: made",
                  "    hours: 0.5"]
    write(root, f"records/activities/2026/{volunteer}.yaml", "\n".join(lines) + "\n")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


@pytest.fixture
def twice(repo) -> Path:
    """王小雨 entered twice: C002 paired with V002 and, a second time, with V001; a call to C002
    logged by V002, the same call logged by V001 for both records; a case opened for C002."""
    child = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    child = child.replace(CHILD, DUP_CHILD).replace("id_number: '430621201503089920'\n", "")
    write(repo, f"records/children/{DUP_CHILD}.yaml", child)
    volunteer_like(repo, OTHER, "周春梅", "13900002002")
    pairing(repo, "P430621-0000P002", DUP_CHILD, OTHER, "2025-01-01")
    pairing(repo, "P430621-0000P003", DUP_CHILD, VOLUNTEER, "2025-06-01")  # a double of P001, begun later
    log(repo, OTHER, ("2026-03-01", DUP_CHILD))
    own = (repo / f"records/activities/2026/{VOLUNTEER}.yaml").read_text(encoding="utf-8")
    call = ("  - date: '2026-09-01'\n    child: {}\n    kinds: [phone_call]\n    contact: made\n    hours: 0.5\n")
    write(repo, f"records/activities/2026/{VOLUNTEER}.yaml", own + call.format(CHILD) + call.format(DUP_CHILD))
    write(repo, f"records/teams/{MIND}.yaml", f"id: {MIND}\nname: 岳阳县心理健康服务队\nlevel: professional\n"
          "kind: mental_health\nregion: '430621000000'\nleader: 测试队长\nstatus: active\n")
    volunteer_like(repo, COUNSELLOR, "韩芳", "13900002101", kind_local="kind: professional",
                   **{TEAM: MIND, "skills: [cooking, tutoring]": "skills: [psychology]"})
    commit(repo, "王小雨 entered twice")
    result = aimama(repo, "refer", DUP_CHILD, "--to", "mental_health", "--risk", "low", "--on", "2026-10-21", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    status, report = check_json(repo)
    assert status == 0 and any(p["code"] == "AM307" for p in report["problems"])
    return repo


def case_of(root: Path) -> str:
    return next((root / "records/cases").glob("*.yaml")).name[:-5]


# --- child merge -----------------------------------------------------------------------------------

def test_child_merge_moves_pairings_logs_and_cases_in_one_commit(twice):
    head = git(twice, "rev-parse", "HEAD").strip()
    case = case_of(twice)
    result = aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert f"merged {DUP_CHILD} into {CHILD}" in result.output
    assert "1 repeated entr(ies) dropped, 1 double pairing(s) ended" in result.output
    assert git(twice, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    message = git(twice, "log", "-1", "--format=%B")
    assert message.startswith(f"aimama child merge: {DUP_CHILD} into {CHILD}")
    assert git(twice, "status", "--porcelain") == ""

    dup = data(twice, f"records/children/{DUP_CHILD}.yaml")
    assert dup["status"] == "closed"
    assert dup["closed"] == {"on": AS_OF, "reason": "duplicate", "merged_into": CHILD}
    moved = data(twice, "records/pairings/P430621-0000P002.yaml")
    assert moved["child"] == CHILD and "ended_on" not in moved
    double = data(twice, "records/pairings/P430621-0000P003.yaml")  # begun after P001: ended
    assert double["child"] == CHILD and double["ended_on"] == AS_OF and double["end_reason"] == "merged"
    assert "ended_on" not in data(twice, f"records/pairings/{PAIRING}.yaml")
    assert data(twice, f"records/cases/{case}.yaml")["child"] == CHILD
    assert [e["child"] for e in data(twice, f"records/activities/2026/{OTHER}.yaml")["entries"]] == [CHILD]
    calls = [e for e in data(twice, f"records/activities/2026/{VOLUNTEER}.yaml")["entries"] if e["date"] == "2026-09-01"]
    assert calls == [{"date": "2026-09-01", "child": CHILD, "kinds": ["phone_call"], "contact": "made", "hours": 0.5}]

    status, report = check_json(twice)
    assert status == 0, report
    assert not [p for p in report["problems"] if p["code"] in ("AM307", "AM403", "AM404", "AM711", "AM603")]


def test_merged_child_no_longer_counts_in_coverage(twice):
    def children():
        result = aimama(twice, "report", "coverage", "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return result.json()

    before = children()
    assert aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF).exit_code == 0
    after = children()
    assert str(before).count("'children': 2") and str(after).count("'children': 1")


def test_a_record_naming_the_merged_duplicate_later_is_flagged(twice):
    assert aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF).exit_code == 0
    log(twice, OTHER, ("2026-03-01", CHILD), ("2026-10-25", DUP_CHILD))  # as a branch made before would
    commit(twice, "a late entry")
    [problem] = [p for p in check_json(twice)[1]["problems"] if p["code"] == "AM403"]
    assert problem["severity"] == "warning" and problem["field"] == "entries[1].child"
    assert f"names {DUP_CHILD}, which was merged into {CHILD}" in problem["message"]
    # a pull request's check judges only what it changed, and finds it all the same
    [scoped] = [p for p in check_json(twice, "--changed-since", "HEAD~1")[1]["problems"] if p["code"] == "AM403"]
    assert scoped == problem


def edit(root: Path, path: str, old: str, new: str, message: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert old in text, old
    (root / path).write_text(text.replace(old, new), encoding="utf-8")
    commit(root, message)


def refused_writing_nothing(root: Path, kind: str, duplicate: str, original: str, says: str) -> None:
    head = git(root, "rev-parse", "HEAD")
    result = aimama(root, kind, "merge", duplicate, "--into", original, "--on", AS_OF)
    assert result.exit_code == 1 and says in result.stderr
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == ""


def test_merge_of_two_children_with_different_id_numbers_is_refused_writing_nothing(twice):
    edit(twice, f"records/children/{DUP_CHILD}.yaml", "birth_date: '2015-03-08'\n",
         "birth_date: '2015-03-08'\nid_number: '430621201503080000'\n", "another number")
    refused_writing_nothing(twice, "child", DUP_CHILD, CHILD, "different ID numbers: two people")


def test_merge_refused_by_the_rules_writes_nothing(twice):
    # the original without the guardian's consent: the pairings moved to her would break AM602
    edit(twice, f"records/pairings/{PAIRING}.yaml", "started_on: '2024-04-10'\n",
         "started_on: '2024-04-10'\nended_on: '2024-05-01'\nend_reason: other\n", "P001 ended")
    edit(twice, f"records/children/{CHILD}.yaml", "consent: {given: true, date: '2024-04-01', evidence: 同意书 2024-001}",
         "consent: {given: false}", "no consent for C001")
    refused_writing_nothing(twice, "child", DUP_CHILD, CHILD, "AM602")


def test_merge_usage_errors(twice):
    assert aimama(twice, "child", "merge", CHILD, "--into", CHILD).exit_code == 2
    unknown = aimama(twice, "child", "merge", "C430621-00000000", "--into", CHILD)
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr
    assert aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF).exit_code == 0
    again = aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF)
    assert again.exit_code == 1 and "merged into" in again.stderr


# --- volunteer merge ---------------------------------------------------------------------------------

@pytest.fixture
def twin(repo) -> Path:
    """李秀兰 entered twice: V003 (no ID number) paired with a second child, logging a visit, in a
    training, with pledges for 2025 and for 2026 (a year V001 signed too)."""
    volunteer_like(repo, DUP_VOLUNTEER, "李秀兰", "13900002003")
    child = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    write(repo, f"records/children/{DUP_CHILD}.yaml",
          child.replace(CHILD, DUP_CHILD).replace("王小雨", "刘小军").replace("id_number: '430621201503089920'\n", ""))
    pairing(repo, "P430621-0000P002", DUP_CHILD, DUP_VOLUNTEER, "2025-01-01")
    log(repo, DUP_VOLUNTEER, ("2026-04-01", DUP_CHILD))
    pledge = (repo / "records/pledges/2026/S430621-0000S001.yaml").read_text(encoding="utf-8")
    for sid, year, start in (("S430621-0000S002", "2025", "2024"), ("S430621-0000S003", "2026", "2024")):
        write(repo, f"records/pledges/{year}/{sid}.yaml",
              pledge.replace("S430621-0000S001", sid).replace(VOLUNTEER, DUP_VOLUNTEER).replace("year: 2026", f"year: {year}")
              .replace("'2026-01-15'", f"'{year}-01-20'").replace("term_start: 2024", f"term_start: {start}"))
    write(repo, "records/trainings/2026/R430621-0000R001.yaml",
          f"id: R430621-0000R001\ntopic: 家庭教育\ndate: '2026-05-01'\nhours: 2\nteam: {TEAM}\n"
          f"attendance: [{VOLUNTEER}, {DUP_VOLUNTEER}]\n")
    commit(repo, "李秀兰 entered twice")
    assert check_json(repo)[0] == 0
    return repo


def test_volunteer_merge_moves_pairings_logs_pledges_and_trainings(twin):
    head = git(twin, "rev-parse", "HEAD").strip()
    result = aimama(twin, "volunteer", "merge", DUP_VOLUNTEER, "--into", VOLUNTEER, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "1 log entr(ies) moved" in result.output and "1 pledge(s) voided" in result.output
    assert git(twin, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    dup = data(twin, f"records/volunteers/{DUP_VOLUNTEER}.yaml")
    assert dup["status"] == "withdrawn" and dup["closed"]["merged_into"] == VOLUNTEER
    assert data(twin, "records/pairings/P430621-0000P002.yaml")["volunteer"] == VOLUNTEER
    entries = data(twin, f"records/activities/2026/{VOLUNTEER}.yaml")["entries"]
    assert [e["date"] for e in entries if e.get("child") == DUP_CHILD] == ["2026-04-01"]
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)  # in date order
    assert data(twin, f"records/activities/2026/{DUP_VOLUNTEER}.yaml")["entries"] == []  # kept, emptied
    assert data(twin, "records/pledges/2025/S430621-0000S002.yaml")["volunteer"] == VOLUNTEER
    doubled = data(twin, "records/pledges/2026/S430621-0000S003.yaml")
    assert doubled["volunteer"] == VOLUNTEER and doubled["voided"]["reason"] == f"merged into {VOLUNTEER}"
    assert data(twin, "records/trainings/2026/R430621-0000R001.yaml")["attendance"] == [VOLUNTEER]
    status, report = check_json(twin)
    assert status == 0, report
    assert not [p for p in report["problems"] if p["code"] in ("AM403", "AM801", "AM310")]


def test_volunteer_merge_beyond_capacity_is_refused(twin):
    edit(twin, f"records/volunteers/{VOLUNTEER}.yaml", "capacity: 2", "capacity: 1", "capacity 1")
    refused_writing_nothing(twin, "volunteer", DUP_VOLUNTEER, VOLUNTEER, "AM710")


def test_merged_into_an_unknown_record_is_an_error(twice):
    edit(twice, f"records/children/{DUP_CHILD}.yaml", "status: active\n",
         f"status: closed\nclosed: {{on: '{AS_OF}', reason: duplicate, merged_into: C430621-00000000}}\n", "by hand")
    [problem] = [p for p in check_json(twice)[1]["problems"] if p["code"] == "AM404"]
    assert problem["field"] == "closed.merged_into" and "C430621-00000000" in problem["message"]


# --- entered in error, pledge void -------------------------------------------------------------------

def test_child_entered_in_error_is_closed_and_counted_nowhere(twice):
    assert aimama(twice, "pair", "end", "P430621-0000P002", "--reason", "other", "--on", AS_OF).exit_code == 0
    result = aimama(twice, "child", "close", DUP_CHILD, "--reason", "entered_in_error", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert data(twice, f"records/children/{DUP_CHILD}.yaml")["closed"]["reason"] == "entered_in_error"
    status, report = check_json(twice)
    assert status == 0 and not [p for p in report["problems"] if p["code"] in ("AM307", "AM310")]


def test_volunteer_entered_in_error_is_not_counted_in_coverage(twin):
    def volunteers():
        result = aimama(twin, "report", "coverage", "--as-of", AS_OF, "--level", "county", "--format", "json")
        assert result.exit_code == 0, result.stderr
        return result.json()

    before = volunteers()
    result = aimama(twin, "volunteer", "close", DUP_VOLUNTEER, "--reason", "误录", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    after = volunteers()
    assert "'volunteers': 2" in str(before) and "'volunteers': 1" in str(after)


def test_voided_pledge_no_longer_counts_as_signed(repo):
    due = aimama(repo, "pledge", "due", "--year", "2026", "--as-of", AS_OF, "--format", "json")
    assert VOLUNTEER not in due.output or "term_ends" in due.output
    result = aimama(repo, "pledge", "void", "S430621-0000S001", "--reason", "误录", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "voided S430621-0000S001" in result.output
    pledge = data(repo, "records/pledges/2026/S430621-0000S001.yaml")
    assert pledge["voided"] == {"on": AS_OF, "reason": "误录"}  # kept, with why
    due = aimama(repo, "pledge", "due", "--year", "2026", "--as-of", AS_OF, "--format", "json")
    assert [r["reason"] for r in due.json() if r["id"] == VOLUNTEER] == ["not_signed"]
    again = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2026", "--on", AS_OF)
    assert again.exit_code == 0, again.stderr  # she may sign the year again
    assert aimama(repo, "pledge", "void", "S430621-0000S001", "--reason", "x").exit_code == 2  # voided already


# --- a merged duplicate given on the command line ------------------------------------------------

def test_reading_a_merged_duplicate_shows_the_record_kept_with_a_notice(twice):
    assert aimama(twice, "child", "show", "王小雨").exit_code == 2  # two records of that name, before
    assert aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF).exit_code == 0
    shown = aimama(twice, "child", "show", DUP_CHILD, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["record"]["id"] == CHILD
    assert f"{DUP_CHILD} was merged into {CHILD} (entered twice): showing {CHILD}" in shown.stderr
    history = aimama(twice, "history", DUP_CHILD)
    assert history.exit_code == 0 and f"showing {CHILD}" in history.stderr
    assert CHILD in history.output
    own = aimama(twice, "history", f"records/children/{DUP_CHILD}.yaml")  # the duplicate's own, by its file
    assert own.exit_code == 0 and "showing" not in own.stderr and "merged_into" in own.output
    by_name = aimama(twice, "child", "show", "王小雨", "--format", "json")  # the name is one person's again
    assert by_name.exit_code == 0 and by_name.json()["record"]["id"] == CHILD and by_name.stderr == ""


def test_changing_a_merged_duplicate_is_refused_naming_the_record_kept(twice):
    assert aimama(twice, "child", "merge", DUP_CHILD, "--into", CHILD, "--on", AS_OF).exit_code == 0
    head = git(twice, "rev-parse", "HEAD")
    for args in (("child", "edit", DUP_CHILD, "--set", "school.name=青松小学"),
                 ("pair", "create", DUP_CHILD, OTHER, "--on", AS_OF, "--role", "local"),
                 ("log", "add", VOLUNTEER, "--child", DUP_CHILD, "--kind", "phone_call", "--date", "2026-10-30",
                  "--as-of", AS_OF),
                 ("child", "consent", DUP_CHILD, "--given", "--on", AS_OF)):
        result = aimama(twice, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert f"{DUP_CHILD} was merged into {CHILD} (entered twice): give {CHILD} instead" in result.stderr, args
    assert git(twice, "rev-parse", "HEAD") == head and git(twice, "status", "--porcelain") == ""


def test_a_merged_volunteer_by_id_or_in_a_sheet_points_at_the_record_kept(twin, tmp_path):
    assert aimama(twin, "volunteer", "show", "李秀兰").exit_code == 2  # entered twice: ambiguous
    assert aimama(twin, "volunteer", "merge", DUP_VOLUNTEER, "--into", VOLUNTEER, "--on", AS_OF).exit_code == 0
    shown = aimama(twin, "volunteer", "show", "李秀兰", "--format", "json")
    assert shown.exit_code == 0 and shown.json()["record"]["id"] == VOLUNTEER
    head = git(twin, "rev-parse", "HEAD")
    logged = aimama(twin, "log", "add", DUP_VOLUNTEER, "--child", CHILD, "--kind", "phone_call",
                    "--date", "2026-10-30", "--as-of", AS_OF)
    assert logged.exit_code == 2 and f"give {VOLUNTEER} instead" in logged.stderr
    sheet = tmp_path / "visits.csv"
    sheet.write_text(f"日期,志愿者,儿童,方式\n2026-10-30,{DUP_VOLUNTEER},王小雨,电话联系\n", encoding="utf-8")
    imported = aimama(twin, "import", "logs", str(sheet), "--as-of", AS_OF)
    assert imported.exit_code == 1
    assert f"row 2 ({DUP_VOLUNTEER} 2026-10-30), column 志愿者: {DUP_VOLUNTEER} was merged into {VOLUNTEER}" \
        in imported.stderr
    assert git(twin, "rev-parse", "HEAD") == head and git(twin, "status", "--porcelain") == ""

"""pledge sign|due|print through the CLI, and the pledge rules of check (AM801–AM806).

The base records have one local volunteer (李秀兰) paired with one child (王小雨), with a 2026
pledge whose term began in 2024: it ends with 2026.
"""

from __future__ import annotations

import pytest
from conftest import check_json, git, run

VOLUNTEER = "V430621-0000V001"
PLEDGE = "records/pledges/2026/S430621-0000S001.yaml"
ID_NUMBER = "430621198506159942"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def sign(repo, year, *extra):
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", str(year), "--on", f"{year}-01-10", *extra)
    assert result.exit_code == 0, result.stderr
    [path] = [n for n in git(repo, "show", "--name-only", "--format=", "HEAD").split()
              if n.startswith(f"records/pledges/{year}/")]
    return path, (repo / path).read_text(encoding="utf-8")


def edit(repo, rel, old, new):
    text = (repo / rel).read_text(encoding="utf-8")
    assert old in text, old
    (repo / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


# --- sign -----------------------------------------------------------------------------------------

def test_sign_writes_and_commits_the_pledge(repo):
    path, text = sign(repo, 2025)  # signing is judged against today: no year still to come
    assert path.startswith("records/pledges/2025/S430621-")
    assert f"volunteer: {VOLUNTEER}  # 李秀兰" in text
    assert "team: T430621-0000T001" in text and "year: 2025" in text
    assert "signed_on: '2025-01-10'" in text and "programme: yueyang-village" in text
    message = git(repo, "log", "-1", "--format=%B")
    sid = path.rsplit("/", 1)[1][:-5]
    assert "Aimama-Command: pledge sign" in message and f"Aimama-Record: {sid}" in message
    assert git(repo, "status", "--porcelain") == ""
    assert check_json(repo)[0] == 0


def test_term_carries_over_and_restarts_after_three_years(repo):
    # no pledge before 2021: 2021 starts a term, which runs out after 2023, and 2024 starts a new one
    starts = [sign(repo, year)[1].split("term_start: ")[1].strip() for year in (2021, 2022, 2023, 2024)]
    assert starts == ["2021", "2021", "2021", "2024"]


def test_a_gap_year_starts_a_new_term(repo):
    sign(repo, 2021)
    assert "term_start: 2023" in sign(repo, 2023)[1]


def test_signing_twice_is_refused_and_writes_nothing(repo):
    head = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2026", "--on", "2026-02-01")
    assert result.exit_code == 2 and "already signed for 2026 (S430621-0000S001)" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""
    assert [p.name for p in (repo / "records" / "pledges" / "2026").iterdir()] == ["S430621-0000S001.yaml"]


@pytest.mark.parametrize("old,new,says", [
    ("status: active", "status: withdrawn", "her status is withdrawn"),
    ("  status: approved", "  status: suspended", "her vetting is suspended"),
])
def test_withdrawn_or_unapproved_volunteer_cannot_sign(repo, old, new, says):
    edit(repo, "records/volunteers/V430621-0000V001.yaml", old, new)
    git(repo, "commit", "-qam", "by hand")
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10")
    assert result.exit_code == 2 and says in result.stderr
    assert not (repo / "records" / "pledges" / "2025").exists()


def test_no_programme_for_her_is_a_usage_error(repo):
    edit(repo, "aimama.yaml", "volunteer_kind: local", "volunteer_kind: remote")
    git(repo, "commit", "-qam", "no programme for local volunteers")
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10")
    assert result.exit_code == 2 and "--programme" in result.stderr


def test_a_programme_not_meant_for_her_is_refused(repo):
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10",
                    "--programme", "yueyang-agency")
    assert result.exit_code == 1 and "AM803" in result.stderr
    assert not (repo / "records" / "pledges" / "2025").exists()
    assert aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10",
                  "--programme", "no-such-programme").exit_code == 2


def test_dry_run_and_no_commit(repo):
    head = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10", "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert not (repo / "records" / "pledges" / "2025").exists()
    result = aimama(repo, "pledge", "sign", VOLUNTEER, "--year", "2025", "--on", "2025-01-10", "--no-commit")
    assert result.exit_code == 0 and "not committed" in result.output.lower()
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain").startswith("?? records/pledges/")


def test_unknown_volunteer(repo):
    result = aimama(repo, "pledge", "sign", "V430621-NOPE0000", "--year", "2025", "--on", "2025-01-10")
    assert result.exit_code == 2 and "V430621-NOPE0000" in result.stderr


# --- due ------------------------------------------------------------------------------------------

def due(repo, *args):
    result = aimama(repo, "pledge", "due", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_due_lists_who_has_not_signed(repo):
    [row] = due(repo, "--year", "2027", "--as-of", "2027-02-01")
    assert row["id"] == VOLUNTEER and row["name"] == "李秀兰" and row["reason"] == "not_signed"
    assert row["last_year"] == 2026 and row["team_name"] == "湖滨村爱心妈妈队" and row["paired"] == 1
    add_pledge(repo, "S430621-0000S009", 2027, "2027-01-10", 2027)  # by hand: 2027 is still to come
    assert due(repo, "--year", "2027", "--as-of", "2027-02-01") == []


def test_due_lists_whose_term_ends(repo):
    [row] = due(repo, "--as-of", "2026-11-01")  # the year of --as-of
    assert row["reason"] == "term_ends" and row["term_start"] == 2024 and row["last_year"] == 2026
    assert due(repo, "--year", "2026", "--as-of", "2026-11-01", "--region", "430681") == []


def test_due_table_and_csv(repo):
    table = aimama(repo, "pledge", "due", "--year", "2027", "--as-of", "2027-02-01")
    assert table.exit_code == 0 and "李秀兰" in table.output and "not signed" in table.output
    assert "1 volunteer(s) due" in table.output
    csv = aimama(repo, "pledge", "due", "--year", "2026", "--as-of", "2026-11-01", "--format", "csv")
    assert csv.output.splitlines()[0].startswith("id,name,team_name")
    assert "term ends" in csv.output


# --- print ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html"])
def test_print_the_form(repo, fmt):
    result = aimama(repo, "pledge", "print", "S430621-0000S001", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    text = result.output
    for expected in ("结对关爱承诺书", "李秀兰", "湖滨村爱心妈妈队", "2024—2026 年服务期", "王小雨",
                     "一看二联三问四帮", "每次走访", "一看", "看家庭安全隐患", "每年至少1次",
                     "保护儿童隐私", "不收受", "及时向所在队伍", "志愿者签名", "队伍负责人签名", "日期",
                     "4306**********9942"):
        assert expected in text, expected
    assert ID_NUMBER not in text


def test_html_form_is_self_contained_and_printable(repo, tmp_path):
    out = tmp_path / "form.html"
    result = aimama(repo, "pledge", "print", "S430621-0000S001", "--format", "html", "--output", str(out))
    assert result.exit_code == 0 and str(out) in result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "size: A4" in html
    assert not any(s in html for s in ("http://", "https://", "<link", "<script", "src="))


def test_html_escapes_what_records_say():
    from aimama_cli.domain import pledges

    form = {"pledge": {"id": "S1"}, "year": 2026, "term_start": 2026, "term_end": 2028, "term_years": 3,
            "volunteer": {"name": "<b>李</b>", "id_number": "", "village": "", "unit": ""},
            "team": {"name": "A & B", "leader": ""}, "children": [{"name": "<i>x</i>", "village": ""}],
            "programme": {"name": "p", "duties": []}}
    html = pledges.render(form, "html")
    assert "&lt;b&gt;李&lt;/b&gt;" in html and "A &amp; B" in html and "<i>x</i>" not in html
    assert "<b>李</b>" in pledges.render(form, "md")


def test_print_unknown_pledge(repo):
    assert aimama(repo, "pledge", "print", "S430621-NOPE0000").exit_code == 2


def test_help_has_examples():
    for command in ("sign", "due", "print"):
        result = run("pledge", command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output
    assert "示例" in run("--lang", "zh", "pledge", "--help").output


# --- check ----------------------------------------------------------------------------------------

def add_pledge(repo, rid, year, signed_on, term_start, team="T430621-0000T001"):
    text = (f"id: {rid}\nvolunteer: {VOLUNTEER}\nteam: {team}\nyear: {year}\n"
            f"signed_on: '{signed_on}'\nprogramme: yueyang-village\nterm_start: {term_start}\n")
    path = repo / "records" / "pledges" / str(year) / f"{rid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"records/pledges/{year}/{rid}.yaml"


def problems(repo, code):
    exit_code, report = check_json(repo, "--as-of", "2027-02-01")  # pledges of 2027 are no future dates
    return exit_code, [p for p in report["problems"] if p["code"] == code]


def test_a_second_pledge_for_a_year_fails_check(repo):
    rel = add_pledge(repo, "S430621-0000S002", 2026, "2026-03-01", 2024)
    exit_code, found = problems(repo, "AM801")
    assert exit_code == 1 and [(p["file"], p["line"], p["field"]) for p in found] == [(rel, 4, "year")]
    assert "S430621-0000S001" in found[0]["message"]


def test_a_pledge_with_another_team_is_a_warning(repo):
    team = repo / "records" / "teams" / "T430621-0000T002.yaml"
    team.write_text((repo / "records" / "teams" / "T430621-0000T001.yaml").read_text(encoding="utf-8")
                    .replace("T001", "T002").replace("湖滨村", "湖滨村第二"), encoding="utf-8")
    edit(repo, PLEDGE, "team: T430621-0000T001", "team: T430621-0000T002")
    exit_code, found = problems(repo, "AM802")
    assert exit_code == 0 and found and found[0]["severity"] == "warning" and found[0]["field"] == "team"
    add_pledge(repo, "S430621-0000S003", 2027, "2027-01-05", 2027)  # she signed with her team since
    assert problems(repo, "AM802") == (0, [])


def test_a_programme_for_another_kind_fails_check(repo):
    edit(repo, PLEDGE, "programme: yueyang-village", "programme: yueyang-agency")
    exit_code, found = problems(repo, "AM803")
    assert exit_code == 1 and found[0]["field"] == "programme" and "local" in found[0]["message"]


@pytest.mark.parametrize("day,bad", [("2025-12-01", False), ("2025-11-30", True), ("2026-12-31", False),
                                     ("2027-01-01", True)])
def test_signed_in_its_year_or_the_december_before(repo, day, bad):
    edit(repo, PLEDGE, "signed_on: '2026-01-15'", f"signed_on: '{day}'")
    exit_code, found = problems(repo, "AM804")
    assert (exit_code, bool(found)) == ((1, True) if bad else (0, False))


@pytest.mark.parametrize("start,bad", [(2024, False), (2023, True), (2027, True)])
def test_year_within_its_term(repo, start, bad):
    edit(repo, PLEDGE, "term_start: 2024", f"term_start: {start}")
    exit_code, found = problems(repo, "AM805")
    assert (exit_code, bool(found)) == ((1, True) if bad else (0, False))


def test_term_carried_over_from_the_previous_year(repo):
    add_pledge(repo, "S430621-0000S004", 2025, "2025-01-20", 2025)
    exit_code, found = problems(repo, "AM806")  # 2026's term should begin in 2025, not 2024
    assert exit_code == 0 and found and found[0]["file"] == PLEDGE and found[0]["severity"] == "warning"
    edit(repo, PLEDGE, "term_start: 2024", "term_start: 2025")
    assert problems(repo, "AM806") == (0, [])

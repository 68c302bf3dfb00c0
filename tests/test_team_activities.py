"""Team activities (集体活动): logged once for a team with the children who came, counted for
each of them in ``report activities``; their rules (AM861, AM862, AM305) and history."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import AS_OF, check_json, git, run

TEAM = "T430621-0000T001"  # 湖滨村 (430621101201)
VOLUNTEER = "V430621-0000V001"
CHILD = "C430621-0000C001"
HUBIN, TAOYUAN = "430621101201", "430621101202"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def write_child(repo: Path, rid: str, name: str, village: str = HUBIN, commit: bool = True) -> str:
    """Another child like the base one (no ID number: it would be the same person's)."""
    text = (repo / f"records/children/{CHILD}.yaml").read_text(encoding="utf-8")
    text = text.replace(CHILD, rid).replace("王小雨", name).replace(f"'{HUBIN}'", f"'{village}'")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("id_number")) + "\n"
    (repo / f"records/children/{rid}.yaml").write_text(text, encoding="utf-8")
    if commit:
        git(repo, "add", "records")
        git(repo, "commit", "-qm", f"child {rid}")
    return rid


def added(repo) -> str:
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return [n for n in names if n.startswith("records/team_activities/")][0]


def activity(repo, *args, expect: int = 0):
    result = aimama(repo, "team", "activity", "add", TEAM, "--as-of", AS_OF, *args)
    assert result.exit_code == expect, result.output + result.stderr
    return result


def clean(repo) -> bool:
    return git(repo, "status", "--porcelain") == ""


def test_a_team_activity_is_counted_for_each_child_who_came(repo):
    c2 = write_child(repo, "C430621-0000C002", "李小禾")
    c3 = write_child(repo, "C430621-0000C003", "周小舟")
    c4 = write_child(repo, "C430621-0000C004", "吴小溪")  # never came
    activity(repo, "--kind", "安全教育", "--topic", "防溺水,防欺凌", "--child", CHILD, "--child", c2,
             "--volunteer", VOLUNTEER, "--hours", "1.5", "--date", "2026-07-05", "--details", "暑期防溺水")
    path = added(repo)
    assert path.startswith("records/team_activities/2026/A430621-")
    text = (repo / path).read_text(encoding="utf-8")
    assert f"team: {TEAM}  # 湖滨村爱心妈妈队" in text
    assert "kind: safety_education\ntopics: [drowning, bullying]\n" in text
    assert f"children: [{CHILD}, {c2}]  # 王小雨、李小禾" in text
    activity(repo, "--kind", "after_school", "--child", CHILD, "--child", c3, "--hours", "2",
             "--date", "2026-10-12")
    activity(repo, "--kind", "after_school", "--child", CHILD, "--date", "2025-10-12")  # another year
    assert check_json(repo)[0] == 0

    report = aimama(repo, "report", "activities", "--year", "2026", "--format", "json").json()
    [team] = report["teams"]
    assert team["team"] == TEAM and team["activities"] == 2 and team["children"] == 3 and team["hours"] == 3.5
    assert team["kinds"] == {"after_school": {"activities": 1, "children": 2},
                             "safety_education": {"activities": 1, "children": 2}}
    assert report["total"] == {"activities": 2, "hours": 3.5, "children_registered": 4,
                               "children_reached": 3, "coverage": 75.0}
    assert report["children_not_reached"] == [{"id": c4, "name": "吴小溪", "village": "湖滨村"}]
    earlier = aimama(repo, "report", "activities", "--year", "2025", "--format", "json").json()
    assert earlier["teams"][0]["children"] == 1 and earlier["total"]["children_reached"] == 1


def test_report_activities_as_csv_table_and_for_a_region(repo):
    write_child(repo, "C430621-0000C002", "李小禾", TAOYUAN)
    activity(repo, "--kind", "group_activity", "--child", CHILD, "--date", "2026-06-01")
    rows = list(csv.reader(io.StringIO(aimama(repo, "report", "activities", "--year", "2026",
                                              "--format", "csv").output)))
    assert rows[0] == ["team", "name", "kind", "activities", "children", "hours"]
    assert rows[1] == [TEAM, "湖滨村爱心妈妈队", "group_activity", "1", "1", ""]
    missed = list(csv.reader(io.StringIO(aimama(repo, "report", "activities", "--year", "2026", "--format", "csv",
                                                "--sheet", "not_reached").output)))
    assert missed[0] == ["id", "child", "village"] and ["C430621-0000C002", "李小禾", "桃源村"] in missed
    zh = run("--lang", "zh", "--root", str(repo), "report", "activities", "--year", "2026", "--format", "csv").output
    assert "集体活动" in zh and "活动次数" in zh
    table = aimama(repo, "report", "activities", "--year", "2026").output
    assert "1 of 2 registered children reached (50.0%)" in table and "Total" in table
    village = aimama(repo, "report", "activities", "--year", "2026", "--region", TAOYUAN, "--format", "json").json()
    assert village["teams"] == [] and village["total"]["children_registered"] == 1
    assert [c["id"] for c in village["children_not_reached"]] == ["C430621-0000C002"]
    assert aimama(repo, "report", "activities", "--region", "999999").exit_code == 2


def test_each_kind_names_what_it_was_about(repo):
    for args in (["--kind", "safety_education"], ["--kind", "monthly_theme"],
                 ["--kind", "outing", "--topic", "drowning"]):
        result = activity(repo, *args, "--child", CHILD, "--date", "2026-05-01", expect=1)
        assert "AM861" in result.stderr and "nothing was written" in result.stderr
    assert clean(repo)
    activity(repo, "--kind", "主题月活动", "--theme", "五月·感恩母亲", "--child", CHILD, "--date", "2026-05-01")
    assert "theme: 五月·感恩母亲" in (repo / added(repo)).read_text(encoding="utf-8")


def test_unknown_ids_and_values_are_usage_errors(repo):
    assert activity(repo, "--kind", "outing", "--child", "C430621-NOSUCH01", expect=2)
    assert activity(repo, "--kind", "party", "--child", CHILD, expect=2)
    assert activity(repo, "--kind", "outing", "--child", CHILD, "--hours", "25", expect=2)
    assert clean(repo)


def test_a_child_from_outside_the_team_region_is_a_warning(repo):
    other = write_child(repo, "C430621-0000C002", "李小禾", TAOYUAN)
    activity(repo, "--kind", "outing", "--child", CHILD, "--child", other, "--date", "2026-08-01")
    code, report = check_json(repo)
    assert code == 0
    [warning] = [p for p in report["problems"] if p["code"] == "AM862"]
    assert warning["severity"] == "warning" and warning["field"] == "children[1]" and other in warning["message"]


def test_hand_written_references_and_year_folder_are_checked(repo):
    folder = repo / "records/team_activities/2025"
    folder.mkdir(parents=True)
    (folder / "A430621-0000A001.yaml").write_text(
        f"id: A430621-0000A001\nteam: {TEAM}\ndate: '2026-03-01'\nkind: outing\n"
        f"volunteers: [V430621-0000V009]\nchildren: [{CHILD}]\n", encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1
    found = {(p["code"], p["field"]) for p in report["problems"]}
    assert ("AM305", "date") in found and ("AM401", "volunteers[0]") in found


def test_history_of_a_team_activity(repo):
    activity(repo, "--kind", "outing", "--child", CHILD, "--date", "2026-08-01")
    path = added(repo)
    rid = Path(path).stem
    text = (repo / path).read_text(encoding="utf-8")
    (repo / path).write_text(text.replace("kind: outing", "kind: group_activity"), encoding="utf-8")
    git(repo, "commit", "-qam", "the kind corrected")
    history = aimama(repo, "history", rid, "--format", "json")
    assert history.exit_code == 0, history.stderr
    changes = [c for commit in history.json()["commits"] for c in commit["changes"]]
    assert {"field": "kind", "old": "outing", "new": "group_activity"} in [
        {k: c.get(k) for k in ("field", "old", "new")} for c in changes]

"""Batches through the CLI: child confirm --region, volunteer vet ID…, pledge sign --team and
pledge print --team — one commit each, all or nothing, listing what was done and skipped.

The records: the base set (李秀兰 of team T430621-0000T001, approved, signed for 2026) plus, added
through the CLI, children not yet confirmed in 湖滨村 and 桃源村 of 青松镇 (one of them taken off
the roster, one born only in October 2026) and three volunteers of the same team awaiting vetting
(陈小妹 is 16).
"""

from __future__ import annotations

import pytest
from conftest import AS_OF, check_json, copy_repository, derived_template, git, run

TEAM = "T430621-0000T001"
COORDINATOR = "U430600-0000C001"
CLEAR = ["--check", "criminal_record=clear:岳公（刑）证字〔2026〕0101号",
         "--check", "administrative_sanction=clear", "--check", "administrative_penalty=clear"]
HUBIN, TAOYUAN, TOWNSHIP = "430621101201", "430621101202", "430621101"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def _added(repo, result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.output.split()[1]  # "added C430621-…"


def _child(repo, name, village, birth="2016-05-01", consent="2026-01-02") -> str:
    return _added(repo, aimama(repo, "child", "add", "--name", name, "--gender", "女", "--birth-date", birth,
                               "--category", "留守儿童", "--village", village, "--guardian-name", "李奶奶",
                               "--guardian-relation", "祖母", "--consent-date", consent,
                               "--source", "village", "--on", AS_OF))


def _volunteer(repo, name, birth) -> str:
    return _added(repo, aimama(repo, "volunteer", "add", "--name", name, "--gender", "女", "--birth-date", birth,
                               "--phone", "13900007777", "--kind", "local", "--team", TEAM, "--village", HUBIN, "--skill", "cooking",
                               "--capacity", "1", "--on", "2025-01-05"))


def _build(repo) -> None:
    ids = {"李小花": _child(repo, "李小花", HUBIN), "赵小树": _child(repo, "赵小树", HUBIN),
           "王小草": _child(repo, "王小草", TAOYUAN),
           "周新生": _child(repo, "周新生", TAOYUAN, birth="2026-10-20", consent="2026-10-25"),
           "孙小河": _child(repo, "孙小河", HUBIN)}
    assert aimama(repo, "child", "close", ids["孙小河"], "--reason", "moved_away", "--on", AS_OF).exit_code == 0
    for name, birth in (("周敏", "1980-03-01"), ("吴兰", "1985-04-02"), ("陈小妹", "2010-01-01")):
        ids[name] = _volunteer(repo, name, birth)
    (repo / "ids.txt").write_text("\n".join(f"{k} {v}" for k, v in ids.items()), encoding="utf-8")
    git(repo, "add", "ids.txt")
    git(repo, "commit", "-qm", "ids of the records the tests added")


@pytest.fixture(scope="module")
def batch_template(tmp_path_factory, repo_template):
    return derived_template(tmp_path_factory, repo_template, "batches", _build)


@pytest.fixture
def records(tmp_path, batch_template):
    root = copy_repository(batch_template, tmp_path / "batches")
    ids = dict(line.split() for line in (root / "ids.txt").read_text(encoding="utf-8").splitlines())
    return root, ids


def head(repo) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def committed(repo) -> str:
    return git(repo, "log", "-1", "--format=%B")


def text(repo, folder, rid) -> str:
    return (repo / "records" / folder / f"{rid}.yaml").read_text(encoding="utf-8")


def nothing_written(repo, before: str) -> bool:
    return head(repo) == before and git(repo, "status", "--porcelain") == ""


# --- child confirm --region ---------------------------------------------------------------------

def test_confirm_a_village_confirms_its_unconfirmed_children_in_one_commit(records):
    repo, ids = records
    before = head(repo)
    result = aimama(repo, "child", "confirm", "--region", HUBIN, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "roster confirmed in 湖滨村: 2" in result.output
    assert ids["李小花"] in result.output and ids["赵小树"] in result.output and ids["王小草"] not in result.output
    assert f"{ids['孙小河']}  孙小河: not on the roster any more (closed)" in result.output  # skipped, and why
    for name in ("李小花", "赵小树"):
        assert f"confirmed_by: {COORDINATOR}" in text(repo, "children", ids[name])
        assert f"confirmed_on: '{AS_OF}'" in text(repo, "children", ids[name])
    assert "confirmed_on" not in text(repo, "children", ids["王小草"])
    assert git(repo, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    message = committed(repo)
    assert "Aimama-Command: child confirm" in message
    assert f"Aimama-Record: {ids['李小花']}" in message and f"Aimama-Record: {ids['赵小树']}" in message
    assert ids["孙小河"] not in message
    assert check_json(repo)[0] == 0


def test_confirm_a_township_takes_its_villages_and_the_full_code_works_too(records):
    repo, ids = records
    result = aimama(repo, "child", "confirm", "--region", "430621101000", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "roster confirmed in 青松镇: 4" in result.output
    again = aimama(repo, "child", "confirm", "--region", TOWNSHIP, "--on", AS_OF)
    assert again.exit_code == 0 and "nothing to do" in again.output and "committed" not in again.output


def test_confirm_a_region_is_all_or_nothing(records):
    repo, ids = records
    before = head(repo)
    # 周新生 was born on 2026-10-20: confirming the township's roster on 10 October is refused for
    # him, and so nothing is written for the others either
    result = aimama(repo, "child", "confirm", "--region", TOWNSHIP, "--on", "2026-10-10")
    assert result.exit_code == 1
    assert ids["周新生"] in result.stderr and "nothing was written" in result.stderr
    assert nothing_written(repo, before)
    assert "confirmed_on" not in text(repo, "children", ids["李小花"])


def test_a_hand_edit_not_committed_stops_the_batch(records):
    repo, ids = records
    before = head(repo)
    path = repo / "records" / "children" / f"{ids['赵小树']}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 待核实\n", encoding="utf-8")
    result = aimama(repo, "child", "confirm", "--region", HUBIN, "--on", AS_OF)
    assert result.exit_code == 1 and f"records/children/{ids['赵小树']}.yaml" in result.stderr
    assert head(repo) == before and "confirmed_on" not in text(repo, "children", ids["李小花"])


def test_confirm_takes_one_child_or_a_region(records):
    repo, ids = records
    assert aimama(repo, "child", "confirm", ids["王小草"], "--on", AS_OF).exit_code == 0
    assert f"confirmed_on: '{AS_OF}'" in text(repo, "children", ids["王小草"])
    both = aimama(repo, "child", "confirm", ids["李小花"], "--region", HUBIN, "--on", AS_OF)
    assert both.exit_code == 2 and "--region" in both.stderr
    assert aimama(repo, "child", "confirm", "--on", AS_OF).exit_code == 2
    unknown = aimama(repo, "child", "confirm", "--region", "430621999", "--on", AS_OF)
    assert unknown.exit_code == 2 and "430621999" in unknown.stderr


def test_confirm_takes_a_region_by_its_name(records):
    repo, ids = records
    village = aimama(repo, "child", "confirm", "--region", "湖滨村", "--on", AS_OF)
    assert village.exit_code == 0, village.stderr
    assert "roster confirmed in 湖滨村: 2" in village.output and ids["王小草"] not in village.output
    township = aimama(repo, "child", "confirm", "--region", "青松镇", "--on", AS_OF)
    assert township.exit_code == 0, township.stderr
    assert "roster confirmed in 青松镇: 2" in township.output and ids["王小草"] in township.output
    unknown = aimama(repo, "child", "confirm", "--region", "无此村", "--on", AS_OF)
    assert unknown.exit_code == 2 and "无此村" in unknown.stderr


def test_confirm_a_village_name_two_townships_share_is_exit_2_listing_both(records):
    repo, ids = records
    for code, name in (("430621102000", "白云镇"), ("430621102201", "湖滨村")):
        assert aimama(repo, "region", "add", code, name).exit_code == 0
    before = head(repo)
    shared = aimama(repo, "child", "confirm", "--region", "湖滨村", "--on", AS_OF)
    assert shared.exit_code == 2
    assert "430621101201" in shared.stderr and "430621102201" in shared.stderr and "青松镇" in shared.stderr
    assert nothing_written(repo, before)
    told = aimama(repo, "child", "confirm", "--region", "青松镇湖滨村", "--on", AS_OF)
    assert told.exit_code == 0, told.stderr
    assert "roster confirmed in 湖滨村: 2" in told.output and ids["李小花"] in told.output


def test_confirm_dry_run_lists_and_writes_nothing(records):
    repo, ids = records
    before = head(repo)
    result = aimama(repo, "child", "confirm", "--region", HUBIN, "--on", AS_OF, "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output and ids["李小花"] in result.output
    assert nothing_written(repo, before)


# --- volunteer vet ID… --------------------------------------------------------------------------

def test_vet_several_volunteers_in_one_commit(records):
    repo, ids = records
    before = head(repo)
    result = aimama(repo, "volunteer", "vet", ids["周敏"], ids["吴兰"], ids["周敏"], "--approve", *CLEAR, "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "approved: 2" in result.output and f"{ids['周敏']}  周敏: listed twice" in result.output
    for name in ("周敏", "吴兰"):
        assert "status: approved" in text(repo, "volunteers", ids[name])
    assert git(repo, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert f"Aimama-Record: {ids['吴兰']}" in committed(repo)
    # approving them again changes nothing: the decision on record is kept, and said so
    again = aimama(repo, "volunteer", "vet", ids["周敏"], ids["吴兰"], "--approve", "--on", "2026-11-02")
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert f"already approved on {AS_OF} by {COORDINATOR}" in again.output
    assert f"decided_on: '{AS_OF}'" in text(repo, "volunteers", ids["周敏"])


def test_vet_is_all_or_nothing_when_one_volunteer_is_refused(records):
    repo, ids = records
    before = head(repo)
    result = aimama(repo, "volunteer", "vet", ids["周敏"], ids["陈小妹"], ids["吴兰"], "--approve", *CLEAR,
                    "--on", AS_OF)
    assert result.exit_code == 1
    assert "AM703" in result.stderr and ids["陈小妹"] in result.stderr
    assert nothing_written(repo, before)
    assert "status: pending" in text(repo, "volunteers", ids["周敏"])


def test_vet_one_volunteer_reads_as_before(records):
    repo, ids = records
    result = aimama(repo, "volunteer", "vet", ids["吴兰"], "--reject", "--reason", "面谈未通过", "--on", AS_OF)
    assert result.exit_code == 0 and f"{ids['吴兰']}: rejected" in result.output
    assert aimama(repo, "volunteer", "vet", ids["吴兰"], ids["周敏"], "--reject", "--on", AS_OF).exit_code == 2


# --- pledge sign --team -------------------------------------------------------------------------

def _approve(repo, ids, *names):
    result = aimama(repo, "volunteer", "vet", *(ids[n] for n in names), "--approve", *CLEAR, "--on", "2025-01-06")
    assert result.exit_code == 0, result.stderr


def test_sign_a_team_signs_every_member_who_can_in_one_commit(records):
    repo, ids = records
    _approve(repo, ids, "周敏", "吴兰")
    before = head(repo)
    result = aimama(repo, "pledge", "sign", "--team", TEAM, "--year", "2026", "--on", "2026-01-10")
    assert result.exit_code == 0, result.stderr
    assert "pledges signed for 2026 with 湖滨村爱心妈妈队: 2" in result.output
    assert "周敏 (" in result.output and "吴兰 (" in result.output
    assert "V430621-0000V001  李秀兰: V430621-0000V001 already signed for 2026" in result.output
    assert f"{ids['陈小妹']}  陈小妹: {ids['陈小妹']} cannot sign: her vetting is pending" in result.output
    added = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert len(added) == 2 and all(p.startswith("records/pledges/2026/S430621-") for p in added)
    assert git(repo, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert "Aimama-Command: pledge sign" in committed(repo)
    assert check_json(repo)[0] == 0
    again = aimama(repo, "pledge", "sign", "--team", TEAM, "--year", "2026", "--on", "2026-01-10")
    assert again.exit_code == 0 and "nothing to do" in again.output and head(repo) != before


def test_sign_a_team_is_all_or_nothing(records):
    repo, ids = records
    _approve(repo, ids, "周敏", "吴兰")
    before = head(repo)
    # signed on a day outside the year: every pledge is refused, none is written
    result = aimama(repo, "pledge", "sign", "--team", TEAM, "--year", "2026", "--on", "2025-06-01")
    assert result.exit_code == 1 and "AM804" in result.stderr
    assert nothing_written(repo, before)
    assert len(list((repo / "records/pledges/2026").glob("*.yaml"))) == 1


def test_sign_takes_a_volunteer_or_a_team(records):
    repo, _ids = records
    both = aimama(repo, "pledge", "sign", "V430621-0000V001", "--team", TEAM, "--year", "2026")
    assert both.exit_code == 2
    assert aimama(repo, "pledge", "sign", "--team", "T430621-NOPE0000", "--year", "2026").exit_code == 2


# --- pledge print --team ------------------------------------------------------------------------

def test_print_a_team_gives_one_file_with_a_page_per_volunteer(records, tmp_path):
    repo, ids = records
    _approve(repo, ids, "周敏")
    assert aimama(repo, "pledge", "sign", "--team", TEAM, "--year", "2026", "--on", "2026-01-10").exit_code == 0
    out = tmp_path / "承诺书.html"
    result = aimama(repo, "pledge", "print", "--team", TEAM, "--year", "2026", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"written to {out}: 2" in result.output and "李秀兰" in result.output and "周敏" in result.output
    assert "not yet" not in result.output and "吴兰: no pledge for 2026" in result.output  # not printed, and why
    html = out.read_text(encoding="utf-8")
    assert html.count("<!DOCTYPE html>") == 1 and html.count('<section class="page">') == 2
    assert "break-after: page" in html and "page-break-after: always" in html
    assert html.index("周敏") > html.index("<section") and "李秀兰" in html
    assert "430621198506159942" not in html and "4306**********9942" in html


def test_print_a_team_as_markdown_to_standard_output(records):
    repo, _ids = records
    result = aimama(repo, "pledge", "print", "--team", TEAM, "--year", "2026", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("# 结对关爱承诺书") and "李秀兰" in result.output
    assert "written to standard output: 1" in result.stderr  # the listing stays off the document
    assert "周敏: no pledge for 2026" in result.stderr


def test_print_a_team_needs_a_year_and_pledges(records):
    repo, _ids = records
    assert aimama(repo, "pledge", "print", "--team", TEAM).exit_code == 2
    none = aimama(repo, "pledge", "print", "--team", TEAM, "--year", "2023")
    assert none.exit_code == 2 and "nothing to print" in none.stderr
    assert aimama(repo, "pledge", "print", "S430621-0000S001", "--team", TEAM, "--year", "2026").exit_code == 2


def test_print_leaves_out_a_voided_pledge_and_refuses_to_print_one_alone(records, tmp_path):
    repo, ids = records
    _approve(repo, ids, "周敏")
    assert aimama(repo, "pledge", "sign", "--team", TEAM, "--year", "2026", "--on", "2026-01-10").exit_code == 0
    voided = aimama(repo, "pledge", "void", "S430621-0000S001", "--reason", "签错队伍", "--on", AS_OF)
    assert voided.exit_code == 0, voided.stderr
    out = tmp_path / "承诺书.html"
    team = aimama(repo, "pledge", "print", "--team", TEAM, "--year", "2026", "--output", str(out))
    assert team.exit_code == 0, team.stderr
    assert f"written to {out}: 1" in team.output and "skipped: 3" in team.output
    assert f"S430621-0000S001  李秀兰: voided on {AS_OF} (签错队伍): not printed" in team.output
    assert "李秀兰: no pledge" not in team.output  # said once, as voided
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="page">') == 1 and "周敏" in html and "李秀兰" not in html
    alone = tmp_path / "one.html"
    refused = aimama(repo, "pledge", "print", "S430621-0000S001", "--output", str(alone))
    assert refused.exit_code == 2 and not alone.exists()
    assert f"S430621-0000S001 was voided on {AS_OF} (签错队伍)" in refused.stderr
    # signed again for the year: the team's book prints the new one, and the refusal names it
    assert aimama(repo, "pledge", "sign", "V430621-0000V001", "--year", "2026", "--on", AS_OF).exit_code == 0
    again = aimama(repo, "pledge", "print", "S430621-0000S001", "--format", "md")
    standing = git(repo, "show", "--name-only", "--format=", "HEAD").split()[0].rsplit("/", 1)[1][:-5]
    assert again.exit_code == 2 and f"the pledge for 2026 that stands is {standing}" in again.stderr
    assert again.output == ""
    book = aimama(repo, "pledge", "print", "--team", TEAM, "--year", "2026", "--output", str(out))
    assert book.exit_code == 0 and f"written to {out}: 2" in book.output and "voided on" in book.output
    assert out.read_text(encoding="utf-8").count('<section class="page">') == 2

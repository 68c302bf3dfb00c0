"""Names wherever ids, places by name, forgiving labels (issue 20 items 1-3) — through the CLI,
on real git repositories."""

from __future__ import annotations

import pytest
from conftest import AS_OF, git, run

CHILD = "C430621-0000C001"  # 王小雨, 湖滨村 of 青松镇
VOLUNTEER = "V430621-0000V001"  # 李秀兰
TEAM = "T430621-0000T001"  # 湖滨村爱心妈妈队
REGIONS = """regions:
  - {code: '430621000000', name: 岳阳县, level: county}
  - {code: '430621101000', name: 青松镇, level: township}
  - {code: '430621101201', name: 湖滨村, level: village}
  - {code: '430621101202', name: 桃源村, level: village}
  - {code: '430621101203', name: 东塘村, level: village}
  - {code: '430621102000', name: 白云镇, level: township}
  - {code: '430621102201', name: 湖滨村, level: village}
"""


def aimama(repo, *args, **kwargs):
    return run("--root", str(repo), *args, **kwargs)


def add_child(repo, name: str, village: str, birth: str = "2016-05-01", *extra):
    result = aimama(repo, "child", "add", "--name", name, "--gender", "女", "--birth-date", birth,
                    "--category", "留守儿童", "--village", village, "--guardian-name", "李奶奶",
                    "--guardian-relation", "祖母", "--consent-date", "2026-01-02", "--source", "village",
                    "--on", AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    added = _last_id(repo)
    confirmed = aimama(repo, "child", "confirm", added, "--by", "测试员", "--on", AS_OF)  # a coordinator by name
    assert confirmed.exit_code == 0, confirmed.stderr
    return added


def _last_id(repo) -> str:
    return git(repo, "log", "-1", "--format=%B").split("Aimama-Record: ")[1].strip()


@pytest.fixture
def places(repo):
    """The test repository with two villages named 湖滨村 (in 青松镇 and 白云镇) and 东塘村."""
    (repo / "records" / "regions.yaml").write_text(REGIONS, encoding="utf-8")
    git(repo, "commit", "-qam", "regions")
    return repo


@pytest.fixture
def twins(places):
    """Two children named 周小满: one in 东塘村 (青松镇), one in 湖滨村 of 白云镇."""
    first = add_child(places, "周小满", "东塘村", "2016-05-01")
    second = add_child(places, "周小满", "白云镇湖滨村", "2018-03-02")
    return places, first, second


# --- names wherever ids ------------------------------------------------------------------------

def test_show_edit_and_history_take_the_exact_name(repo):
    shown = aimama(repo, "child", "show", " 王小雨 ", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["record"]["id"] == CHILD
    edited = aimama(repo, "child", "edit", "王小雨", "--set", "school.name=青松小学")
    assert edited.exit_code == 0, edited.stderr
    assert f"Aimama-Record: {CHILD}" in git(repo, "log", "-1", "--format=%B")  # the id, not the name
    assert "青松小学" in (repo / "records" / "children" / f"{CHILD}.yaml").read_text(encoding="utf-8")
    history = aimama(repo, "history", "王小雨")
    assert history.exit_code == 0 and CHILD in history.output


def test_pair_create_by_names_writes_ids(repo):
    added = add_child(repo, "赵小燕", "430621101201")
    created = aimama(repo, "pair", "create", "赵小燕", "李秀兰", "--on", AS_OF, "--role", "本地")
    assert created.exit_code == 0, created.stderr
    pairing = git(repo, "show", "--name-only", "--format=", "HEAD").split()[0]
    text = (repo / pairing).read_text(encoding="utf-8")
    assert f"child: {added}" in text and f"volunteer: {VOLUNTEER}" in text


def test_unknown_name_is_exit_2_pointing_at_find(repo):
    result = aimama(repo, "child", "show", "无此人")
    assert result.exit_code == 2
    assert "无此人" in result.stderr and "aimama find" in result.stderr


def test_a_shared_name_is_exit_2_listing_the_candidates_and_nothing_is_written(twins):
    repo, first, second = twins
    before = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "child", "edit", "周小满", "--set", "school.name=东塘小学")
    assert result.exit_code == 2
    assert first in result.stderr and second in result.stderr
    assert "东塘村" in result.stderr and "2016" in result.stderr and "2018" in result.stderr
    assert "--in" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == before


def test_in_narrows_by_region_code_or_name_anywhere_on_the_line(twins):
    repo, first, second = twins
    by_name = aimama(repo, "child", "show", "周小满", "--in", "东塘村", "--format", "json")
    assert by_name.exit_code == 0, by_name.stderr
    assert by_name.json()["record"]["id"] == first
    by_code = run("--in", "430621102", "--root", str(repo), "child", "show", "周小满", "--format", "json")
    assert by_code.exit_code == 0 and by_code.json()["record"]["id"] == second
    township = aimama(repo, "pair", "create", "周小满", "李秀兰", "--in", "白云镇", "--on", AS_OF)
    assert township.exit_code == 0, township.stderr
    assert "pair create: P430621-" in git(repo, "log", "-1", "--format=%B") and second in git(repo, "log", "-1", "--format=%B")


def test_in_an_unknown_region_is_exit_2(twins):
    repo, _first, _second = twins
    result = aimama(repo, "child", "show", "周小满", "--in", "火星村")
    assert result.exit_code == 2 and "火星村" in result.stderr


def test_messages_in_chinese(twins):
    repo, _first, _second = twins
    result = run("--lang", "zh", "--root", str(repo), "child", "show", "周小满")
    assert result.exit_code == 2 and "请写编号" in result.stderr


# --- find ----------------------------------------------------------------------------------

def find(repo, *args):
    result = aimama(repo, "find", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()["found"]


def test_find_by_name_pinyin_initials_id_prefix_and_village(twins):
    repo, first, second = twins
    assert {f["id"] for f in find(repo, "周小满")} == {first, second}
    assert {f["id"] for f in find(repo, "zhouxiaoman")} == {first, second}
    assert {f["id"] for f in find(repo, "zxm")} == {first, second}
    assert {f["id"] for f in find(repo, "xiaoman")} == {first, second}
    assert [f["id"] for f in find(repo, first[:12].lower(), "--kind", "child")] == [first]
    in_village = find(repo, "东塘村")
    assert [f["id"] for f in in_village] == [first] and in_village[0]["village_name"] == "岳阳县青松镇东塘村"
    assert {f["kind"] for f in find(repo, "lxl")} == {"volunteer"}  # 李秀兰
    assert [f["id"] for f in find(repo, "测试员", "--kind", "coordinator")] == ["U430600-0000C001"]


def test_find_table_kind_filter_and_nothing_found(twins):
    repo, first, _second = twins
    table = aimama(repo, "find", "zxm", "--in", "青松镇")
    assert table.exit_code == 0 and first in table.output and "周小满" in table.output
    assert find(repo, "zxm", "--kind", "volunteer") == []
    none = aimama(repo, "find", "qqqq")
    assert none.exit_code == 0 and "nothing found" in none.output
    bad = aimama(repo, "find", "zxm", "--kind", "dog")
    assert bad.exit_code == 2


def test_list_name_filters_by_name_pinyin_and_initials(twins):
    repo, first, second = twins
    for text in ("周小满", "zxm", "zhouxiao"):
        listed = aimama(repo, "child", "list", "--name", text, "--format", "json")
        assert listed.exit_code == 0, listed.stderr
        assert {r["id"] for r in listed.json()} == {first, second}
    volunteers = aimama(repo, "volunteer", "list", "--name", "秀兰", "--format", "json")
    assert [r["id"] for r in volunteers.json()] == [VOLUNTEER]
    teams = aimama(repo, "team", "list", "--name", "湖滨", "--all", "--format", "json")
    assert [r["id"] for r in teams.json()] == [TEAM]


# --- places by name --------------------------------------------------------------------------

def test_child_add_takes_a_village_name_or_township_and_village(twins):
    repo, first, second = twins
    assert (repo / "records" / "children" / f"{first}.yaml").read_text(encoding="utf-8").count("430621101203") == 1
    assert "430621102201" in (repo / "records" / "children" / f"{second}.yaml").read_text(encoding="utf-8")


def test_a_village_name_two_townships_share_is_exit_2_with_the_codes(places):
    result = aimama(places, "child", "add", "--name", "钱多多", "--gender", "女", "--birth-date", "2016-05-01",
                    "--category", "留守儿童", "--village", "湖滨村", "--guardian-name", "李奶奶",
                    "--guardian-relation", "祖母", "--source", "village", "--on", AS_OF)
    assert result.exit_code == 2
    assert "430621101201" in result.stderr and "430621102201" in result.stderr


def test_edit_and_list_region_take_names(twins):
    repo, first, second = twins
    moved = aimama(repo, "child", "edit", first, "--set", "village=桃源村")
    assert moved.exit_code == 0, moved.stderr
    assert "430621101202" in (repo / "records" / "children" / f"{first}.yaml").read_text(encoding="utf-8")
    listed = aimama(repo, "child", "list", "--region", "白云镇", "--format", "json")
    assert [r["id"] for r in listed.json()] == [second]
    unknown = aimama(repo, "child", "list", "--region", "火星镇")
    assert unknown.exit_code == 2 and "火星镇" in unknown.stderr


def test_volunteer_add_takes_the_team_name(places):
    result = aimama(places, "volunteer", "add", "--name", "刘梅", "--gender", "女", "--birth-date", "1980-01-01",
                    "--phone", "13900001234", "--kind", "本地", "--team", "湖滨村爱心妈妈队",
                    "--village", "青松镇湖滨村", "--skill", "烹饪", "--capacity", "2", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    new = _last_id(places)
    text = (places / "records" / "volunteers" / f"{new}.yaml").read_text(encoding="utf-8")
    assert f"team: {TEAM}" in text and "430621101201" in text


# --- labels forgiving, never guessing --------------------------------------------------------

def test_a_label_prefix_or_the_only_label_holding_the_text_is_taken(repo):
    added = add_child(repo, "孙小美", "430621101201", "2016-05-01", "--need", "学业", "--risk", "橙")
    text = (repo / "records" / "children" / f"{added}.yaml").read_text(encoding="utf-8")
    assert "study" in text and "orange" in text
    edited = aimama(repo, "child", "edit", added, "--set", "guardian.relation=外祖母")
    assert edited.exit_code == 0, edited.stderr


def test_a_label_several_hold_is_exit_2_with_did_you_mean(repo):
    result = aimama(repo, "child", "edit", CHILD, "--set", "guardian.relation=祖")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr
    for code in ("grandfather", "grandmother", "maternal_grandfather", "maternal_grandmother"):
        assert code in result.stderr
    assert "father (" not in result.stderr.replace("grandfather (", "")  # only those holding 祖
    zh = run("--lang", "zh", "--root", str(repo), "child", "edit", CHILD, "--set", "guardian.relation=祖")
    assert zh.exit_code == 2 and "是不是" in zh.stderr


def test_help_lists_every_code_with_its_label(repo):
    result = aimama(repo, "child", "add", "--help")
    flat = " ".join(result.output.split())
    for code, label in (("left_behind", "留守儿童"), ("single_parent", "单亲家庭儿童"),
                        ("psychological", "心理疏导"), ("maternal_grandmother", "外祖母")):
        assert f"{code}（{label}）" in flat
    assert " …" not in flat


# --- speed: the benchmark script, tiny (the figures at 100,000 children: docs/performance.md) ---

def test_names_benchmark_runs(tmp_path):
    import subprocess
    import sys

    from conftest import PROJECT

    root = tmp_path / "bench"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root),
                    "--children", "40", "--git", "--jobs", "1"], check=True, capture_output=True)
    out = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "names.py"), str(root), "--runs", "1"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(pinyin initials) |" in out.stdout and "(a name one child has) |" in out.stdout


def test_as_takes_the_coordinators_name(repo):
    result = run("--root", str(repo), "--as", "测试员", "child", "edit", "王小雨", "--set", "school.name=青松小学")
    assert result.exit_code == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == "测试员 <tester@example.org>"


def test_a_case_goes_by_its_childs_name(demo):
    shown = run("--root", str(demo), "case", "show", "朱晨曦")
    assert shown.exit_code == 0, shown.stderr
    assert "K430621-161ZAJEK" in shown.output
    cases = run("--root", str(demo), "find", "zcx", "--kind", "case", "--format", "json")
    assert [f["id"] for f in cases.json()["found"]] == ["K430621-161ZAJEK"]

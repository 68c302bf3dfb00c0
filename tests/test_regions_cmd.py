"""`aimama region add|list|import`: records/regions.yaml by command, each change one commit or
nothing; the codes' shape and hierarchy held by AM406/AM407 for hand edits too."""

from __future__ import annotations

from pathlib import Path

from conftest import check_json, git, run

REGIONS = "records/regions.yaml"


def aimama(repo: Path, *args):
    return run("--root", str(repo), *args)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def changed_in_head(repo: Path) -> list[str]:
    return git(repo, "show", "--name-only", "--format=", "HEAD").split()


def regions_text(repo: Path) -> str:
    return (repo / REGIONS).read_text(encoding="utf-8")


def listed(repo: Path, *args) -> dict[str, dict]:
    result = aimama(repo, "region", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {r["code"]: r for r in result.json()}


def assert_clean(repo: Path) -> None:
    code, report = check_json(repo)
    assert code == 0, report["problems"]


def test_add_a_township_and_a_village_by_its_own_digits(repo):
    added = aimama(repo, "region", "add", "430621102", "新开镇")
    assert added.exit_code == 0, added.stderr
    assert "added township 430621102000 新开镇" in added.output
    assert changed_in_head(repo) == [REGIONS]
    assert "aimama region add: 430621102000 新开镇" in git(repo, "log", "-1", "--format=%B")
    village = aimama(repo, "region", "add", "201", "东塘村委会", "--parent", "430621102")
    assert village.exit_code == 0, village.stderr
    assert "430621102201 东塘村" in village.output  # the bureau's committee name made the village's
    # one line each, where the code sorts, as the file is written by hand
    lines = regions_text(repo).splitlines()
    assert lines[-2:] == ["  - {code: '430621102000', name: 新开镇, level: township}",
                          "  - {code: '430621102201', name: 东塘村, level: village}"]
    rows = listed(repo, "--under", "430621102")
    assert list(rows) == ["430621102000", "430621102201"]
    assert rows["430621102000"] == {"code": "430621102000", "name": "新开镇", "level": "township",
                                    "parent": "430621000000", "children": 1}
    csv_rows = aimama(repo, "region", "list", "--format", "csv").output.splitlines()
    assert csv_rows[0] == "code,name,level,parent,children"
    assert "430621101000,青松镇,township,430621000000,2" in csv_rows
    table = aimama(repo, "--lang", "zh", "region", "list").output
    assert "乡镇（街道）" in table and "东塘村" in table
    assert_clean(repo)
    # the village can be named by a record now
    child = aimama(repo, "child", "edit", "C430621-0000C001", "--set", "village=430621102201")
    assert child.exit_code == 0, child.stderr


def test_refused_regions_write_nothing(repo):
    before = head(repo)
    cases = [
        (["430621103201", "孤村"], 1, "township 430621103000 listed first"),
        (["430626101000", "外县镇"], 1, "outside the repository's region 430621"),
        (["430621101201", "湖滨"], 1, "already listed, as 湖滨村"),
        (["430621101203", "湖滨村"], 1, "already called 湖滨村"),  # same name under the same township
        (["4306211", "七位"], 2, "is not a division code"),
        (["430621102201", "东塘村", "--parent", "430621101"], 2, "its parent is 430621102000"),
        (["201", "东塘村", "--parent", "430621109"], 2, "not listed"),
        (["430621101209", "\u200b"], 2, "cannot be a region's name"),
    ]
    for args, code, words in cases:
        result = aimama(repo, "region", "add", *args)
        assert result.exit_code == code, (args, result.output, result.stderr)
        assert words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert head(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_dry_run_and_no_commit(repo):
    dry = aimama(repo, "region", "add", "430621102", "新开镇", "--dry-run")
    assert dry.exit_code == 0 and "would be added" in dry.output
    assert git(repo, "status", "--porcelain") == ""
    before = head(repo)
    kept = aimama(repo, "region", "add", "430621102", "新开镇", "--no-commit")
    assert kept.exit_code == 0 and head(repo) == before
    assert git(repo, "status", "--porcelain") == f" M {REGIONS}\n"


BUREAU_CSV = """\
2023年统计用区划代码和城乡划分代码（节选）
统计用区划代码,城乡分类代码,名称
430000000000,,湖南省
430621000000,,岳阳县
430621101000,,青松镇
430621101201,220,湖滨村委会
430621101205,220,东塘村委会
430621102000,,新开镇
430621102201,111,新开社区居民委员会
430621102202,220,白石村民委员会
430626000000,,平江县
430626205000,,梅岭乡
430626205201,220,竹山村委会
"""


def test_import_the_bureau_csv_takes_the_county_and_counts_the_rest(repo, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_bytes(BUREAU_CSV.encode("gbk"))  # as downloaded: GBK, a title line first
    dry = aimama(repo, "region", "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "4 region(s) would be added" in dry.output
    assert git(repo, "status", "--porcelain") == ""
    before = int(git(repo, "rev-list", "--count", "HEAD"))
    done = aimama(repo, "region", "import", str(path))
    assert done.exit_code == 0, done.stderr
    # 湖南省 is above the county and not listed: elsewhere, like 平江县's three rows
    assert "added 4 region(s) from codes.csv; 3 already listed, 4 outside" in done.output
    assert int(git(repo, "rev-list", "--count", "HEAD")) == before + 1
    assert changed_in_head(repo) == [REGIONS]
    rows = listed(repo)
    assert {c: rows[c]["name"] for c in ("430621101205", "430621102000", "430621102201", "430621102202")} == \
        {"430621101205": "东塘村", "430621102000": "新开镇", "430621102201": "新开社区", "430621102202": "白石村"}
    assert "430626205201" not in rows
    assert_clean(repo)
    again = aimama(repo, "region", "import", str(path))
    assert again.exit_code == 0 and "added 0 region(s)" in again.output and "7 already listed" in again.output
    assert int(git(repo, "rev-list", "--count", "HEAD")) == before + 1


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["岳阳县区划代码"])
    ws.merge_cells("A1:D1")
    ws.append(["区划代码", "区划名称", "层级", "上级代码"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_import_xlsx_with_level_and_parent_columns(repo, tmp_path):
    path = write_xlsx(tmp_path / "codes.xlsx", [
        [430621103000, "三江镇", "乡镇", 430621000000],  # numbers, as Excel keeps codes
        [],
        ["430621103201", "三江村", "village", "430621103000"],
        ["430621103202", "河口村", 5, "430621103"],
    ])
    done = aimama(repo, "region", "import", str(path))
    assert done.exit_code == 0, done.stderr
    assert "added 3 region(s)" in done.output
    assert listed(repo, "--under", "430621103")["430621103202"]["name"] == "河口村"
    assert_clean(repo)


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(repo, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [
        ["430621103000", "三江镇", "乡镇", "430621000000"],
        ["43062110320X", "坏码村", "村", "430621103000"],
        ["430621103202", "错级村", "乡镇", "430621103000"],
        ["430621103203", "错上级", "村", "430621101000"],
        ["430621104201", "孤村", "村", ""],
        ["430621103204", "", "村", ""],
        ["430621101201", "改名村", "村", ""],
    ])
    before = head(repo)
    result = aimama(repo, "region", "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:6] == [
        "row 4 (坏码村), column 区划代码: '43062110320X' is not a division code (12 digits)",
        "row 5 (错级村), column 层级: level '乡镇' does not agree with the code, which is a village's",
        "row 6 (错上级), column 上级代码: parent '430621101000' does not agree with the code, whose parent is 430621103000",
        "row 7 (孤村), column 区划代码: village 430621104201 needs its township 430621104000 listed first "
        "(aimama region add 430621104000 NAME)",
        "row 8 (-), column 区划名称: '-' cannot be a region's name (empty, or with a control or invisible character)",
        "row 9 (改名村), column 区划代码: 430621101201 is already listed, as 湖滨村",
    ]
    assert "refused: 6 row(s) cannot be imported" in result.stderr and "nothing was written" in result.stderr
    assert head(repo) == before and git(repo, "status", "--porcelain") == ""


def test_a_file_without_code_and_name_columns_is_a_usage_error(repo, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    result = aimama(repo, "region", "import", str(path))
    assert result.exit_code == 2 and "no header row with a code column" in result.stderr
    missing = aimama(repo, "region", "import", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and "cannot be read" in missing.stderr


def test_check_holds_hand_edits_to_the_codes(repo):
    text = regions_text(repo)
    (repo / REGIONS).write_text(
        text.replace("name: 青松镇, level: township", "name: 青松镇, level: village")
        + "  - {code: '430621105201', name: 飞地村, level: village}\n", encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1
    found = {(p["code"], p["field"]) for p in report["problems"] if p["code"] in ("AM406", "AM407")}
    assert ("AM406", "regions[1].level") in found
    assert ("AM407", "regions[4].code") in found
    assert any("township 430621105000" in p["message"] for p in report["problems"] if p["code"] == "AM407")


def test_a_region_is_written_in_the_style_of_its_neighbours(repo):
    """A regions.yaml written one key a line (as generators write it) gets its new region so too."""
    (repo / REGIONS).write_text(
        "regions:\n  - code: '430621000000'\n    name: 岳阳县\n    level: county\n"
        "  - code: '430621101000'  # 青松镇\n    name: 青松镇\n    level: township\n"
        "  - code: '430621101201'\n    name: 湖滨村\n    level: village\n"
        "  - code: '430621101202'\n    name: 桃源村\n    level: village\n", encoding="utf-8")
    git(repo, "commit", "-qam", "regions one key a line")
    assert aimama(repo, "region", "add", "430621101200", "前进村").exit_code == 0
    assert regions_text(repo).split("430621101000'  # 青松镇\n")[1].startswith(
        "    name: 青松镇\n    level: township\n"
        "  - code: '430621101200'\n    name: 前进村\n    level: village\n"
        "  - code: '430621101201'\n")

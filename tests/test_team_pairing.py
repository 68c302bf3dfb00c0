"""Team pairings (组团结对, 个人结对): a remote team or a person supporting a village team."""

from __future__ import annotations

from conftest import AS_OF, check_json, git, run

VILLAGE_TEAM = "T430621-0000T001"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def added(repo, folder):
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return [n.rsplit("/", 1)[1][:-5] for n in names if n.startswith(f"records/{folder}/")][0]


def add_team(repo, level, region="430621000000", name="岳阳县县直机关爱心妈妈队"):
    result = aimama(repo, "team", "add", "--name", name, "--level", level, "--kind", level if level != "village" else "village",
                    "--region", region, "--leader", "李四", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    return added(repo, "teams")


def test_agency_team_supports_a_village_team(repo):
    agency = add_team(repo, "agency")
    result = aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-team", agency, "--on", AS_OF,
                    "--plan", "每季度一次集中关爱活动")
    assert result.exit_code == 0, result.stderr
    gid = added(repo, "team_pairings")
    assert gid.startswith("G430621-")
    text = (repo / f"records/team_pairings/{gid}.yaml").read_text(encoding="utf-8")
    assert f"team: {VILLAGE_TEAM}" in text and f"by_team: {agency}" in text
    assert check_json(repo)[0] == 0
    rows = aimama(repo, "pair", "team", "list", "--format", "json", "--as-of", AS_OF).json()
    assert [(r["id"], r["active"]) for r in rows] == [(gid, True)]
    table = aimama(repo, "pair", "team", "list", "--as-of", AS_OF).output
    assert "湖滨村爱心妈妈队" in table and "岳阳县县直机关爱心妈妈队" in table


def test_a_village_team_cannot_be_the_supporter_nor_support_itself(repo):
    other_village = add_team(repo, "village", "430621101202", "桃源村爱心妈妈队")
    for supporter in (other_village, VILLAGE_TEAM):
        result = aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-team", supporter, "--on", AS_OF)
        assert result.exit_code == 1 and "AM714" in result.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_an_agency_team_is_not_supported(repo):
    agency = add_team(repo, "agency")
    result = aimama(repo, "pair", "team", "create", agency, "--by-person", "王五", "--on", AS_OF)
    assert result.exit_code == 1 and "AM714" in result.stderr


def test_the_same_supporter_twice_is_refused(repo):
    first = aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-person", "谭志强",
                   "--unit", "某合作社", "--on", AS_OF)
    assert first.exit_code == 0, first.stderr
    again = aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-person", "谭志强", "--on", AS_OF)
    assert again.exit_code == 1 and "AM715" in again.stderr


def test_one_supporter_only(repo):
    result = aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-person", "甲",
                    "--by-volunteer", "V430621-0000V001", "--on", AS_OF)
    assert result.exit_code == 2
    assert aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--on", AS_OF).exit_code == 2


def test_individual_volunteer_pairing_ends(repo):
    assert aimama(repo, "pair", "team", "create", VILLAGE_TEAM, "--by-volunteer", "V430621-0000V001",
                  "--on", "2026-01-01").exit_code == 0
    gid = added(repo, "team_pairings")
    result = aimama(repo, "pair", "team", "end", gid, "--reason", "服务期满", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (repo / f"records/team_pairings/{gid}.yaml").read_text(encoding="utf-8")
    assert "end_reason: term_ended" in text
    rows = aimama(repo, "pair", "team", "list", "--format", "json", "--as-of", AS_OF).json()
    assert rows[0]["active"] is False


def test_a_team_pairing_names_exactly_one_supporter(repo):
    path = repo / "records/team_pairings/G430621-0000G001.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"id: G430621-0000G001\nteam: {VILLAGE_TEAM}\nstarted_on: '2026-01-01'\n", encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1
    assert [p["code"] for p in report["problems"] if p["file"].endswith("G430621-0000G001.yaml")] == ["AM209"]

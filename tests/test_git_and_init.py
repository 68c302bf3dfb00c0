"""`aimama init` makes a working repository; `check --changed-since` looks at what changed."""

from __future__ import annotations

from conftest import AS_OF, check_json, git, run

PAIRING = "records/pairings/P430621-0000P001.yaml"


def test_init_makes_a_committed_repository_that_checks(tmp_path):
    root = tmp_path / "new"
    result = run("init", str(root), "--region", "430626", "--name", "平江县妇联")
    assert result.exit_code == 0
    assert "1" == git(root, "rev-list", "--count", "HEAD").strip()
    assert git(root, "status", "--porcelain") == ""
    for name in ("aimama.yaml", "records/regions.yaml", "records/coordinators.yaml",
                 ".pre-commit-config.yaml", ".github/workflows/aimama.yml",
                 "records/programmes/yueyang-village.yaml"):
        assert (root / name).is_file(), name
    workflow = (root / ".github/workflows/aimama.yml").read_text(encoding="utf-8")
    assert "--changed-since" in workflow and "aimama diff" in workflow and "codeowners --check" in workflow
    assert (root / ".github/CODEOWNERS").is_file()
    assert run("--root", str(root), "codeowners", "--check").exit_code == 0  # what CI runs passes
    assert "aimama check" in (root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "'430626'" in (root / "aimama.yaml").read_text(encoding="utf-8")
    code, report = check_json(root)
    assert code == 0, report["problems"]


def test_init_sets_gits_settings_for_many_files_keeping_the_users_own(tmp_path):
    root = tmp_path / "new"
    assert run("init", str(root), "--region", "430626", "--name", "平江县妇联").exit_code == 0
    assert git(root, "config", "--get", "feature.manyFiles").strip() == "true"
    assert git(root, "config", "--get", "core.splitIndex").strip() == "true"
    assert (root / ".git" / "index").read_bytes()[4:8] == (4).to_bytes(4, "big")  # index v4
    own = tmp_path / "own"
    own.mkdir()
    git(own, "init", "-q")
    git(own, "config", "core.splitIndex", "false")
    assert run("init", str(own), "--region", "430626", "--name", "平江县妇联").exit_code == 0
    assert git(own, "config", "--get", "core.splitIndex").strip() == "false"
    assert git(own, "status", "--porcelain") == ""


def test_init_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("init", str(tmp_path / "used"), "--region", "430621")
    assert result.exit_code == 2
    assert not (tmp_path / "used" / "aimama.yaml").exists()


def test_init_refuses_a_bad_region(tmp_path):
    result = run("init", str(tmp_path / "x"), "--region", "4306211")
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_changed_since_reports_changed_and_linked_records(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    # a problem in an unchanged file, which a --changed-since run must not report
    team = repo / "records/teams/T430621-0000T001.yaml"
    team.write_text(team.read_text(encoding="utf-8") + "motto: 爱\n", encoding="utf-8")
    git(repo, "commit", "-qam", "team motto")
    middle = git(repo, "rev-parse", "HEAD").strip()
    # now delete the volunteer: the pairing that still names her is linked, and broken
    git(repo, "rm", "-q", "records/volunteers/V430621-0000V001.yaml")
    code, report = check_json(repo, "--changed-since", middle)
    assert code == 1
    files = {p["file"] for p in report["problems"]}
    assert PAIRING in files
    assert "records/teams/T430621-0000T001.yaml" not in files
    code, report = check_json(repo, "--changed-since", base)
    assert "records/teams/T430621-0000T001.yaml" in {p["file"] for p in report["problems"]}


def test_changed_since_nothing_changed_is_ok(repo):
    code, report = check_json(repo, "--changed-since", "HEAD")
    assert code == 0 and report["files"] == 0


def test_changed_since_unknown_revision_is_a_usage_error(repo):
    result = run("--root", str(repo), "check", "--changed-since", "no-such-branch", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "no-such-branch" in result.stderr


def test_changed_since_agrees_with_a_full_check_on_the_files_it_looks_at(demo):
    """A pull request's check (--changed-since BASE) reports, for the records it looks at, what
    the full check reports for them — and nothing about records the change did not touch."""
    base = git(demo, "rev-parse", "HEAD").strip()
    child = sorted((demo / "records/children").iterdir())[0]
    child.write_text(child.read_text(encoding="utf-8").replace("gender:", "gender: x\nunknown_field: 1\ngender_old:", 1),
                     encoding="utf-8")  # broken on purpose: several problems in one changed file
    team = sorted((demo / "records/teams").iterdir())[0]
    git(demo, "commit", "-qam", "a broken child")
    git(demo, "checkout", "-q", "-b", "later")
    team.write_text(team.read_text(encoding="utf-8") + "motto: 爱\n", encoding="utf-8")
    git(demo, "commit", "-qam", "a broken team, not part of the change judged")
    _code, full = check_json(demo)
    _code, changed = check_json(demo, "--changed-since", "HEAD~1")
    _code, since_base = check_json(demo, "--changed-since", base)

    def keys(report, files=None):
        return {(p["file"], p["line"], p["code"], p["field"]) for p in report["problems"]
                if files is None or p["file"] in files}

    child_path, team_path = str(child.relative_to(demo)), str(team.relative_to(demo))
    assert keys(since_base) <= keys(full) and keys(changed) <= keys(full)
    assert keys(since_base, {child_path}) == keys(full, {child_path}) != set()
    assert keys(changed, {team_path}) == keys(full, {team_path}) != set()
    assert keys(since_base, {team_path}) == keys(full, {team_path})  # both changes since base
    assert not keys(changed, {child_path})  # the child changed before HEAD~1

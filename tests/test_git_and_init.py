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
    assert "--changed-since" in (root / ".github/workflows/aimama.yml").read_text(encoding="utf-8")
    assert "aimama check" in (root / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "'430626'" in (root / "aimama.yaml").read_text(encoding="utf-8")
    code, report = check_json(root)
    assert code == 0, report["problems"]


def test_init_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("init", str(tmp_path / "used"))
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

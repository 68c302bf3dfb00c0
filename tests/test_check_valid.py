"""A sound repository passes, and the output shapes are the documented contract."""

from __future__ import annotations

import re

from conftest import AS_OF, PROJECT, check_json, run


def test_base_repository_passes(repo):
    code, report = check_json(repo)
    assert code == 0, report["problems"]
    assert report["ok"] is True
    assert report["problems"] == []
    assert report["records"] >= 6  # team, volunteer, child, pairing, pledge, activity log
    assert report["files"] >= report["records"]


def test_demo_records_pass():
    code, report = check_json(PROJECT)
    assert code == 0, [p for p in report["problems"] if p["severity"] == "error"]
    assert report["records"] > 50


def test_text_format_names_file_line_and_code(repo):
    path = repo / "records/children/C430621-0000C001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("village: '430621101201'",
                                                            "village: '430621101299'"),
                    encoding="utf-8")
    result = run("--root", str(repo), "check", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert re.search(r"^records/children/C430621-0000C001\.yaml:8:\d+: AM402 error: ", result.output,
                     re.M)
    assert "1 errors" in result.output.splitlines()[-1]


def test_the_line_quoted_is_the_files_line_of_now(repo):
    """The index keeps the lines a report quoted; after an edit of that very line that leaves
    the problem where it was, the report quotes the new line, as a check without the index."""
    path = repo / "records/children/C430621-0000C001.yaml"
    original = path.read_text(encoding="utf-8")
    for village in ("430621101299", "430621101298", "430621101299"):
        path.write_text(original.replace("village: '430621101201'", f"village: '{village}'"), encoding="utf-8")
        for _ in range(2):  # the second quotes what the first kept
            result = run("--root", str(repo), "check", "--as-of", AS_OF)
            assert f"   8 | village: '{village}'" in result.output
            assert result.output == run("--root", str(repo), "check", "--as-of", AS_OF, "--no-cache").output


def test_github_format_annotates_the_line(repo):
    path = repo / "records/pairings/P430621-0000P001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("V430621-0000V001", "V430621-0000V999"),
                    encoding="utf-8")
    result = run("--root", str(repo), "check", "--format", "github", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "::error file=records/pairings/P430621-0000P001.yaml,line=3,col=12,title=AM401::" \
        in result.output


def test_json_problem_has_every_field(repo):
    (repo / "records/teams/T430621-0000T001.yaml").write_text(
        "id: T430621-0000T001\nname: x\nlevel: village\nkind: village\nregion: '430621101201'\n"
        "leader: 甲\ncolour: red\n", encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1 and report["ok"] is False
    [problem] = report["problems"]
    assert set(problem) >= {"code", "severity", "file", "line", "column", "record", "field", "message"}
    assert problem["record"] == "T430621-0000T001"
    assert problem["field"] == "colour"


def test_list_rules_lists_every_code_once():
    result = run("check", "--list-rules")
    assert result.exit_code == 0
    codes = re.findall(r"^(AM\d{3})\b", result.output, re.M)
    assert len(codes) == len(set(codes)) > 25
    assert "AM501" in codes and "AM601" in codes


def test_docs_rules_is_up_to_date():
    """docs/rules.md is generated from the registry: regenerate with `python -m aimama_cli.reports.docs`."""
    from aimama_cli.reports.docs import records_markdown, rules_markdown

    assert (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()
    assert (PROJECT / "docs" / "records.md").read_text(encoding="utf-8") == records_markdown()


def test_chinese_messages(repo):
    path = repo / "records/children/C430621-0000C001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("'2015-03-08'", "'2015-02-30'"),
                    encoding="utf-8")
    result = run("--lang", "zh", "--root", str(repo), "check", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "不是真实存在的日期" in result.output


def test_root_found_from_a_subfolder_and_from_env(repo, monkeypatch):
    assert run("check", "--as-of", AS_OF, cwd=repo / "records" / "children").exit_code == 0
    monkeypatch.setenv("AIMAMA_ROOT", str(repo))
    assert run("check", "--as-of", AS_OF, cwd=repo.parent).exit_code == 0


def test_no_repository_is_a_usage_error(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no records repository" in result.stderr


def test_bad_as_of_is_a_usage_error(repo):
    result = run("--root", str(repo), "check", "--as-of", "2025-13-01")
    assert result.exit_code == 2
    assert "2025-13-01" in result.stderr


def test_unknown_option_is_a_usage_error(repo):
    assert run("--root", str(repo), "check", "--colour").exit_code == 2


def test_paths_limit_the_report(repo):
    child = repo / "records/children/C430621-0000C001.yaml"
    child.write_text(child.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    code, report = check_json(repo, str(repo / "records/teams"))
    assert code == 0 and report["problems"] == []
    code, report = check_json(repo, str(child))
    assert code == 1 and report["files"] == 1

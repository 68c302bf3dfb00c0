"""A whole check's report is kept in the index and printed again while no file has changed:
it is always the report a check without the index gives, whatever changed in between."""

from __future__ import annotations

from conftest import AS_OF, run

import aimama_cli.cli.check as check_cli

CHILD = "records/children/C430621-0000C001.yaml"


def report(root, *args, lang="en", monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setenv("AIMAMA_LANG", lang)
    result = run("--root", str(root), "check", *args)
    return result.exit_code, result.output


def same_as_uncached(root, *args, **kwargs):
    found = report(root, *args, **kwargs)
    assert found == report(root, *args, "--no-cache", **kwargs)
    return found


def test_the_report_kept_is_the_one_judged_anew(repo, monkeypatch):
    first = same_as_uncached(repo, "--as-of", AS_OF)
    assert first[0] == 0
    later = same_as_uncached(repo, "--as-of", "2040-01-01")  # another day: the calendar's findings
    assert later != first and "warning" in later[1]
    assert report(repo, "--as-of", "2040-01-01", "--strict")[0] == 1  # --strict: those are errors
    assert report(repo, "--as-of", "2040-01-01")[0] == 0
    chinese = same_as_uncached(repo, "--as-of", "2040-01-01", lang="zh", monkeypatch=monkeypatch)
    assert chinese[1] != later[1] and "警告" in chinese[1]
    monkeypatch.setenv("AIMAMA_LANG", "en")
    json_report = same_as_uncached(repo, "--as-of", AS_OF, "--format", "json")
    assert json_report[1].lstrip().startswith("{")

    assert report(repo, "--as-of", AS_OF) == first  # kept, for the same check as the next one
    child = repo / CHILD  # edited by hand: the kept report is not the one printed
    child.write_text(child.read_text(encoding="utf-8").replace("birth_date: '2015-03-08'", "birth_date: '2015-02-30'"),
                     encoding="utf-8")
    broken = same_as_uncached(repo, "--as-of", AS_OF)
    assert broken[0] == 1 and CHILD in broken[1]
    assert report(repo, "--as-of", AS_OF) == broken  # kept: exit 1 all the same
    (repo / "keys.yaml").write_text("not: the keys\n", encoding="utf-8")  # outside the index
    assert same_as_uncached(repo, "--as-of", AS_OF) != broken


def test_a_check_with_nothing_changed_judges_nothing_again(repo, monkeypatch):
    first = report(repo, "--as-of", AS_OF)

    def judged(*_args, **_kwargs):
        raise AssertionError("judged again")
    monkeypatch.setattr(check_cli, "check", judged)
    assert report(repo, "--as-of", AS_OF) == first

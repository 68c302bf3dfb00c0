"""A command never commits what `check` rejects (issue 17): a date it writes is judged as
`check` judges it, so a date still to come is refused (AM505), exit 1, nothing written; and the
changing commands of the README's tour leave the demo with no error `check` did not have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PROJECT, git, run

FUTURE = "2099-01-01"

# (command, the fields refused): each writes FUTURE somewhere, as --on or --date asks
COMMANDS = [
    (["pair", "create", "C430621-0000C001", "V430621-0000V001", "--role", "remote", "--on", FUTURE],
     ["started_on"]),
    (["pair", "end", "P430621-0000P001", "--reason", "moved_away", "--on", FUTURE], ["ended_on"]),
    (["child", "close", "C430621-0000C001", "--reason", "moved_away", "--on", FUTURE],
     ["closed.on", "ended_on"]),  # and its pairing ends that day
    (["child", "confirm", "C430621-0000C001", "--by", "U430600-0000C001", "--on", FUTURE],
     ["roster.confirmed_on"]),
    (["pledge", "sign", "V430621-0000V001", "--year", "2099", "--on", FUTURE], ["signed_on"]),
    (["volunteer", "close", "V430621-0000V001", "--reason", "other", "--on", FUTURE],
     ["closed.on", "ended_on"]),
    (["log", "add", "V430621-0000V001", "--kind", "home_visit", "--child", "C430621-0000C001",
      "--date", FUTURE, "--hours", "1"], ["entries[0].date"]),
]


@pytest.mark.parametrize("args,fields", COMMANDS, ids=[" ".join(args[:2]) for args, _ in COMMANDS])
def test_a_date_still_to_come_is_refused_and_nothing_is_written(repo, args, fields):
    head = git(repo, "rev-parse", "HEAD")
    result = run("--root", str(repo), *args)
    assert result.exit_code == 1, result.stderr
    found = re.findall(r": AM505 error: the date 2099-01-01 is after \d{4}-\d\d-\d\d \[(.+)\]$", result.stderr,
                       re.MULTILINE)
    assert sorted(found) == sorted(fields) and "nothing was written" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""


def test_a_past_date_is_written_as_before(repo):
    result = run("--root", str(repo), "pair", "end", "P430621-0000P001", "--reason", "moved_away",
                 "--on", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    assert "ended_on: '2026-10-01'" in (repo / "records/pairings/P430621-0000P001.yaml").read_text(encoding="utf-8")


# --- the README's tour -----------------------------------------------------------------------

# Every changing command of the tour (README.md, "A short tour"), in its order, as written there
# (continuation lines joined), with the exit code it has. Ids the tour's commands make are
# found in their output and put in place of the ones the README shows.
TOUR = [
    ("child add --name 周小满 --gender 女 --birth-date 2017-04-09 --category 留守儿童 "
     "--village 430621101204 --guardian-name 周奶奶 --guardian-relation 祖母 "
     "--consent-date 2026-11-20 --source 村（社区） --risk 橙色", 0),
    ("child confirm C430621-4DK0W7XN", 0),
    ("volunteer vet V430681-N4ZKVMEB --approve --by U430600-CQK7RC7K "
     "--check administrative_penalty=clear:汨罗市公安局查询回执No.2026118", 1),  # refused, as shown
    ("volunteer vet V430681-N4ZKVMEB --approve --by U430600-CQK7RC7K "
     "--check criminal_record=clear:汨公（刑）证字〔2026〕0412号 "
     "--check administrative_penalty=clear:汨罗市公安局查询回执No.2026118", 0),
    ("import children demo/samples/children-roster-gbk.csv", 1),  # a bad row: nothing imported
    ("import children demo/samples/children-roster.xlsx --dry-run", 0),
    ("pair create C430621-NPQHPAJ1 V430621-ZFN9P29B", 0),
    ("pair end P430621-0BRXJNW7 --reason reassigned", 0),
    ("pair plan --region 430621", 0),  # on a branch of its own
    ("pledge sign V430621-6EWXMFTT --year 2027 --on 2026-12-01", 0),
    ("log add V430621-6EWXMFTT --kind insurance --child C430621-7EBVH5KN --date 2026-10-30 "
     "--insurer 示例保险公司 --policy-no DEMO-2026-031 --from 2026-10-08 --to 2027-10-07 --hours 0.5", 0),
    ("log add V430626-EK5VZ863 --kind 入户走访 --child C430626-RXRG0QR6 --date 2026-11-02 "
     "--check all --concern 近来常哭、睡不好 --risk high", 0),
    ("refer C430626-RXRG0QR6 --to 心理健康 --from-log V430626-EK5VZ863:2026-11-02 --on 2026-11-03", 0),
    ("case add K430626-7C2QM0WX --step 心理干预 --date 2026-11-10 --by V430621-8A4JPTKM --hours 2 --notes …", 0),
    ("case close K430626-7C2QM0WX --outcome 情绪稳定，转为常规关爱 --date 2026-12-01", 0),
    ("refer C430681-35Q85AQX --to legal_aid --applicant guardian", 0),
    ("refer C430626-56AX3T1Z --to family_education", 0),
    ("codeowners", 0),
    ("team activity add T430621-B0WNJXQM --kind 安全教育 --topic 防溺水,防意外伤害 --date 2026-06-20 "
     "--hours 2 --volunteer V430621-ZFN9P29B --child C430621-TRTGBFZR --child C430621-NPQHPAJ1", 0),
    ("training add --topic 儿童心理健康基础 --hours 3 --date 2026-03-14 --volunteer V430621-6EWXMFTT", 0),
    ("support add T430621-B0WNJXQM --kind 物资 --by-unit 示例爱心企业 --description 学习用品30套 "
     "--pledged 900 --pledged-on 2026-05-20 --received 600 --received-on 2026-06-01", 0),
    ("support receive D430621-2C5X7FE3 --amount 300 --on 2026-07-01 --evidence 收据0042", 0),
]
MADE = re.compile(r"\b(?:added|opened case|recorded support) ([A-Z]\d{6}-[0-9A-Z]{8})")


def _tour_text() -> str:
    """The README's console lines, continuations joined and spaces collapsed."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    return re.sub(r"[ \t]+", " ", text)


def test_the_tour_lists_the_readmes_commands():
    readme = _tour_text()
    missing = [command for command, _ in TOUR if f"aimama {command}" not in readme]
    assert not missing, missing


def _errors(root: Path) -> set:
    result = run("--root", str(root), "check", "--format", "json")  # as CI does: today
    return {(p["file"], p["code"], p["record"], p["field"]) for p in result.json()["problems"]
            if p["severity"] == "error"}


def test_the_tours_changes_leave_no_error_check_did_not_have(demo, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "zhoulihua@example.org")  # U430600-CQK7RC7K confirms
    git(demo, "config", "user.email", "zhoulihua@example.org")
    monkeypatch.chdir(PROJECT)  # the samples' paths are the README's
    before = _errors(demo)
    made: dict[str, str] = {}
    readme_ids = {"C430621-4DK0W7XN": "child add", "K430626-7C2QM0WX": "refer C430626-RXRG0QR6",
                  "D430621-2C5X7FE3": "support add"}
    for command, expected in TOUR:
        for shown, maker in readme_ids.items():
            command = command.replace(shown, made.get(maker, shown))
        args = [a.replace("demo/samples/", f"{PROJECT}/demo/samples/") for a in command.split(" ")]
        result = run("--root", str(demo), *args)
        assert result.exit_code == expected, (command, result.stderr)
        for maker in readme_ids.values():
            if command.startswith(maker) and MADE.search(result.output):
                made[maker] = MADE.search(result.output).group(1)
    assert set(made) == set(readme_ids.values())
    assert _errors(demo) - before == set()

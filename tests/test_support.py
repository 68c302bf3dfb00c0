"""The support ledger (帮扶台账): exact amounts pledged and received for a village team, its
rules (AM881-AM885) and ``report support`` adding up to the cent."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from conftest import AS_OF, check_json, git, run

TEAM = "T430621-0000T001"  # 湖滨村, a village team
VOLUNTEER = "V430621-0000V001"
CHILD = "C430621-0000C001"
FOLDER = "records/support/2026"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def support(repo, *args, team=TEAM, expect: int = 0):
    result = aimama(repo, "support", "add", team, "--as-of", AS_OF, *args)
    assert result.exit_code == expect, result.output + result.stderr
    return result


def last(repo) -> str:
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return Path([n for n in names if n.startswith("records/support/")][0]).stem


def add_agency_team(repo) -> str:
    result = aimama(repo, "team", "add", "--name", "岳阳县县直机关爱心妈妈队", "--level", "agency",
                    "--kind", "agency", "--region", "430621000000", "--leader", "李四", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return Path([n for n in names if n.startswith("records/teams/")][0]).stem


def test_an_entry_is_written_with_exact_amounts(repo):
    agency = add_agency_team(repo)
    support(repo, "--kind", "资金", "--by-team", agency, "--pledged", "1,200.5", "--pledged-on", "2026-03-01",
            "--received", "1200.50", "--received-on", "2026-03-20", "--child", CHILD, "--description", "助学金")
    text = (repo / FOLDER / f"{last(repo)}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"id: {last(repo)}\nteam: {TEAM}  # 湖滨村爱心妈妈队\nby_team: {agency}")
    assert "kind: funds\ndescription: 助学金\npledged_amount: '1200.50'\npledged_on: '2026-03-01'\n" in text
    assert "receipts:\n  - date: '2026-03-20'\n    amount: '1200.50'\n" in text  # the first receipt
    assert f"children: [{CHILD}]  # 王小雨" in text
    assert check_json(repo)[0] == 0


def test_the_report_adds_up_to_the_cent(repo):
    support(repo, "--kind", "micro_wish", "--by-volunteer", VOLUNTEER, "--pledged", "0.10",
            "--pledged-on", "2026-05-01", "--child", CHILD)
    support(repo, "--kind", "goods", "--by-unit", "示例爱心企业", "--pledged", "0.20", "--pledged-on", "2026-05-02",
            "--received", "0.20", "--received-on", "2026-05-03")
    support(repo, "--kind", "funds", "--by-unit", "示例基金会", "--pledged", "1000.70", "--pledged-on", "2026-06-01")
    partly = last(repo)
    result = aimama(repo, "support", "receive", partly, "--amount", "0.3", "--on", "2026-06-15", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    support(repo, "--kind", "venue", "--by-unit", "村委会", "--pledged-on", "2025-09-01")  # no money, last year

    report = aimama(repo, "report", "support", "--year", "2026", "--format", "json").json()
    [team] = report["teams"]
    assert (team["entries"], team["pledged"], team["received"], team["outstanding"]) == \
        (3, "1001.00", "0.50", "1000.50")
    assert team["children"] == [{"id": CHILD, "name": "王小雨"}] and team["for_team"] == 2
    assert report["total"] == {"entries": 3, "pledged": "1001.00", "received": "0.50", "outstanding": "1000.50"}
    entries = report["entries"]
    assert sum(Decimal(e["pledged"]) for e in entries) == Decimal(report["total"]["pledged"])
    assert sum(Decimal(e["outstanding"]) for e in entries) == Decimal(report["total"]["outstanding"])
    assert [e["outstanding"] for e in entries] == ["0.10", "0.00", "1000.40"]

    every_year = aimama(repo, "report", "support", "--format", "json").json()
    assert [(g["year"], g["entries"]) for g in every_year["teams"]] == [(2025, 1), (2026, 3)]
    assert aimama(repo, "report", "support", "--team", "T430621-0000T009", "--format", "json").json()["teams"] == []

    rows = list(csv.reader(io.StringIO(aimama(repo, "report", "support", "--year", "2026", "--format", "csv").output)))
    assert rows[0] == ["team", "name", "year", "entries", "pledged", "received", "outstanding", "for_whom"]
    assert rows[1] == [TEAM, "湖滨村爱心妈妈队", "2026", "3", "1001.00", "0.50", "1000.50", "the team、王小雨"]
    assert rows[2][3:7] == ["3", "1001.00", "0.50", "1000.50"]
    assert "1000.50" in aimama(repo, "report", "support", "--year", "2026").output


def test_received_more_than_pledged_or_before_it_is_refused(repo):
    more = support(repo, "--kind", "funds", "--by-unit", "甲", "--pledged", "100", "--pledged-on", "2026-03-01",
                   "--received", "100.01", "--received-on", "2026-03-02", expect=1)
    assert "AM881" in more.stderr and "received 100.01, more than the 100.00 pledged" in more.stderr
    early = support(repo, "--kind", "funds", "--by-unit", "甲", "--pledged", "100", "--pledged-on", "2026-03-01",
                    "--received", "100", "--received-on", "2026-02-28", expect=1)
    assert "AM882" in early.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_amounts_and_givers_are_read_strictly(repo):
    for amount in ("12.345", "-1", "十元", "nan"):
        support(repo, "--kind", "funds", "--by-unit", "甲", "--pledged", amount, "--pledged-on", "2026-03-01", expect=2)
    support(repo, "--kind", "funds", "--pledged", "1", "--pledged-on", "2026-03-01", expect=2)  # no giver
    support(repo, "--kind", "funds", "--by-unit", "甲", "--by-volunteer", VOLUNTEER, "--pledged-on", "2026-03-01",
            expect=2)
    support(repo, "--kind", "funds", "--by-unit", "甲", "--received", "1", "--pledged-on", "2026-03-01", expect=2)
    assert git(repo, "status", "--porcelain") == ""


def test_support_goes_to_a_village_team_from_someone_else(repo):
    agency = add_agency_team(repo)
    to_agency = support(repo, "--kind", "goods", "--by-unit", "甲", "--pledged-on", "2026-03-01", team=agency,
                        expect=1)
    assert "AM884" in to_agency.stderr
    itself = support(repo, "--kind", "goods", "--by-team", TEAM, "--pledged-on", "2026-03-01", expect=1)
    assert "AM885" in itself.stderr


def test_hand_written_amounts_are_checked(repo):
    (repo / FOLDER).mkdir(parents=True)
    (repo / FOLDER / "D430621-0000D001.yaml").write_text(
        f"id: D430621-0000D001\nteam: {TEAM}\nby_unit: 甲\nkind: funds\npledged_amount: 1200.5\n"
        "pledged_on: '2026-03-01'\nreceived_amount: '1.234'\n", encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1
    found = {(p["code"], p["field"]) for p in report["problems"]}
    assert {("AM204", "pledged_amount"), ("AM206", "received_amount"), ("AM883", "received_amount")} <= found

"""Training (培训赋能): sessions with their attendance, a programme asking for training hours
before a volunteer is paired (AM871, and ``pair create`` refusing), and ``report training``."""

from __future__ import annotations

import csv
import io

from conftest import AS_OF, check_json, git, run
from test_pairing import add_child, add_volunteer

TEAM = "T430621-0000T001"
VOLUNTEER = "V430621-0000V001"  # paired since 2024-04-10 (P430621-0000P001)
PROGRAMME = "records/programmes/yueyang-village.yaml"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def train(repo, day: str, hours: str, *volunteers: str, expect: int = 0):
    args = [a for v in volunteers for a in ("--volunteer", v)]
    result = aimama(repo, "training", "add", "--topic", "岗前培训", "--hours", hours, "--date", day,
                    "--trainer", "县妇联", "--team", TEAM, "--as-of", AS_OF, *args)
    assert result.exit_code == expect, result.output + result.stderr
    return result


def require_training(repo, rule: str) -> None:
    path = repo / PROGRAMME
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("duties:\n", f"pairing_requires: {rule}\nduties:\n", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "the programme asks for training before pairing")


def test_a_session_is_recorded_with_who_attended(repo):
    train(repo, "2026-03-14", "3", VOLUNTEER)
    [path] = [n for n in git(repo, "show", "--name-only", "--format=", "HEAD").split()
              if n.startswith("records/trainings/2026/R430621-")]
    text = (repo / path).read_text(encoding="utf-8")
    assert "topic: 岗前培训\ndate: '2026-03-14'\nhours: 3\ntrainer: 县妇联\n" in text
    assert f"attendance: [{VOLUNTEER}]  # 李秀兰" in text
    assert check_json(repo)[0] == 0
    assert train(repo, "2026-03-15", "2", "V430621-NOSUCH01", expect=2)
    assert train(repo, "2026-03-15", "0", VOLUNTEER, expect=1)  # no session lasts no time


def test_a_volunteer_without_the_training_asked_for_is_not_paired(repo):
    require_training(repo, "{training_hours: 4}")
    child, volunteer = add_child(repo), add_volunteer(repo, capacity=2)
    refused = aimama(repo, "pair", "create", child, volunteer, "--on", "2026-10-01")
    assert refused.exit_code == 1
    assert "AM871" in refused.stderr and "had 0 of the 4 training hours" in refused.stderr
    assert "4 short" in refused.stderr and "nothing was written" in refused.stderr
    assert git(repo, "status", "--porcelain") == ""

    train(repo, "2026-09-20", "2.5", volunteer)
    train(repo, "2026-10-15", "8", volunteer)  # after the day of the pairing: does not count
    refused = aimama(repo, "pair", "create", child, volunteer, "--on", "2026-10-01")
    assert refused.exit_code == 1 and "had 2.5 of the 4" in refused.stderr and "1.5 short" in refused.stderr

    train(repo, "2026-09-25", "1.5", volunteer)
    paired = aimama(repo, "pair", "create", child, volunteer, "--on", "2026-10-01")
    assert paired.exit_code == 0, paired.stderr


def test_suggestions_and_plans_leave_out_volunteers_short_of_training(repo):
    require_training(repo, "{training_hours: 4}")
    child, volunteer = add_child(repo), add_volunteer(repo, capacity=2)

    def suggested():
        result = aimama(repo, "pair", "suggest", child, "--format", "json", "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        return [c["volunteer"] for c in result.json()["candidates"]]

    assert volunteer not in suggested()
    plan = aimama(repo, "pair", "plan", "--dry-run", "--format", "json", "--on", AS_OF)
    assert plan.exit_code == 0, plan.stderr
    assert volunteer not in plan.output
    train(repo, "2026-09-20", "4", volunteer)
    assert volunteer in suggested()


def test_check_reports_a_pairing_made_without_the_training(repo):
    require_training(repo, "{training_hours: 4}")
    code, report = check_json(repo)
    assert code == 1
    [problem] = [p for p in report["problems"] if p["code"] == "AM871"]
    assert problem["file"] == "records/pairings/P430621-0000P001.yaml" and problem["field"] == "volunteer"
    assert problem["severity"] == "error" and "yueyang-village" in problem["message"]
    train(repo, "2024-04-01", "4", VOLUNTEER)  # trained before the pairing started
    assert check_json(repo)[0] == 0


def test_pairings_before_the_rule_began_are_not_judged(repo):
    require_training(repo, "{training_hours: 4, since: '2025-01-01'}")
    assert check_json(repo)[0] == 0


def test_report_training_by_team(repo):
    other = add_volunteer(repo, capacity=1)
    train(repo, "2026-03-14", "3", VOLUNTEER, other)
    train(repo, "2026-05-09", "1.5", VOLUNTEER)
    train(repo, "2025-05-09", "9", other)  # another year
    report = aimama(repo, "report", "training", "--year", "2026", "--format", "json").json()
    assert report["teams"] == [{"team": TEAM, "name": "湖滨村爱心妈妈队", "volunteers": 2, "trained": 2,
                                "sessions": 2, "hours": 7.5, "share": 100.0}]
    assert report["total"] == {"volunteers": 2, "trained": 2, "share": 100.0, "sessions": 2, "hours": 7.5}
    rows = list(csv.reader(io.StringIO(aimama(repo, "report", "training", "--year", "2025",
                                              "--format", "csv").output)))
    assert rows[0] == ["team", "name", "volunteers", "trained", "share", "sessions", "hours"]
    assert rows[1] == [TEAM, "湖滨村爱心妈妈队", "2", "1", "50.0", "1", "9"]
    assert "Trained %" in aimama(repo, "report", "training", "--year", "2026").output

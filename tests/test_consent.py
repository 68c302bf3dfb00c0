"""``aimama child consent`` through the CLI, and the consent rules of check (AM602 with a
withdrawal, AM606, AM607).

The base records have one child (王小雨, consent given 2024-04-01) paired with one local volunteer
(李秀兰) since 2024-04-10.
"""

from __future__ import annotations

from conftest import AS_OF, check_json, git, run

CHILD = "C430621-0000C001"
CHILD_FILE = "records/children/C430621-0000C001.yaml"
PAIRING_FILE = "records/pairings/P430621-0000P001.yaml"


def aimama(repo, *args):
    return run("--root", str(repo), *args)


def codes(repo) -> list[str]:
    return [p["code"] for p in check_json(repo)[1]["problems"]]


def unconsent(repo, consent: str) -> None:
    """The child's consent line replaced by hand, the pairing ended, committed."""
    path = repo / CHILD_FILE
    text = path.read_text(encoding="utf-8")
    old = "consent: {given: true, date: '2024-04-01', evidence: 同意书 2024-001}"
    assert old in text
    path.write_text(text.replace(old, f"consent: {consent}"), encoding="utf-8")
    pairing = repo / PAIRING_FILE
    pairing.write_text(pairing.read_text(encoding="utf-8") + "ended_on: '2024-05-01'\nend_reason: other\n",
                       encoding="utf-8")
    git(repo, "commit", "-qam", "by hand")


def test_consent_given_writes_date_and_evidence_and_commits(repo):
    unconsent(repo, "{given: false}")
    result = aimama(repo, "child", "consent", CHILD, "--given", "--on", "2026-03-01", "--evidence", "同意书2026-007")
    assert result.exit_code == 0, result.stderr
    assert f"{CHILD}: guardian's consent recorded (given on 2026-03-01)" in result.output
    text = (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert "consent: {given: true, date: '2026-03-01', evidence: 同意书2026-007}" in text
    message = git(repo, "log", "-1", "--format=%B")
    assert "Aimama-Command: child consent" in message and f"Aimama-Record: {CHILD}" in message
    assert git(repo, "status", "--porcelain") == ""
    assert check_json(repo)[0] == 0


def test_withdrawal_with_pairings_is_refused_and_lists_them(repo):
    head = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "child", "consent", CHILD, "--withdrawn", "--on", AS_OF, "--reason", "监护人不再同意")
    assert result.exit_code == 1
    assert "1 pairing(s) still running: P430621-0000P001" in result.stderr and "--end-pairings" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""


def test_withdrawal_with_end_pairings_ends_them_in_one_commit(repo):
    head = git(repo, "rev-parse", "HEAD")
    result = aimama(repo, "child", "consent", CHILD, "--withdrawn", "--on", AS_OF, "--reason", "监护人不再同意",
                    "--end-pairings")
    assert result.exit_code == 0, result.stderr
    assert "consent withdrawn on 2026-11-01; 1 pairing(s) ended" in result.output
    assert git(repo, "rev-list", "--count", f"{head.strip()}..HEAD").strip() == "1"
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == [CHILD_FILE, PAIRING_FILE]
    child = (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert "given: false" in child and "withdrawn: {on: '2026-11-01', reason: 监护人不再同意}" in child
    assert "date: '2024-04-01'" in child  # the consent that was given stays, as history
    pairing = (repo / PAIRING_FILE).read_text(encoding="utf-8")
    assert "ended_on: '2026-11-01'" in pairing and "end_reason: consent_withdrawn" in pairing
    status, report = check_json(repo)
    assert status == 0 and not [p for p in report["problems"] if p["code"] in ("AM602", "AM713", "AM606")]


def test_consent_given_again_clears_the_withdrawal(repo):
    assert aimama(repo, "child", "consent", CHILD, "--withdrawn", "--on", "2026-10-01", "--reason", "外出",
                  "--end-pairings").exit_code == 0
    result = aimama(repo, "child", "consent", CHILD, "--given", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    child = (repo / CHILD_FILE).read_text(encoding="utf-8")
    assert "consent: {given: true, date: '2026-11-01'}" in child and "withdrawn" not in child


def test_withdrawing_a_consent_never_given_is_a_usage_error(repo):
    unconsent(repo, "{given: false}")
    result = aimama(repo, "child", "consent", CHILD, "--withdrawn", "--on", AS_OF, "--reason", "x")
    assert result.exit_code == 2 and "nothing to withdraw" in result.stderr


def test_given_and_withdrawn_together_or_neither_is_a_usage_error(repo):
    for flags in (["--given", "--withdrawn"], []):
        result = aimama(repo, "child", "consent", CHILD, *flags, "--on", AS_OF, "--reason", "x")
        assert result.exit_code == 2 and "exactly one of --given and --withdrawn" in result.stderr


def test_withdrawal_needs_a_reason(repo):
    result = aimama(repo, "child", "consent", CHILD, "--withdrawn", "--on", AS_OF)
    assert result.exit_code == 2 and "--reason" in result.stderr


def test_check_warns_about_a_consent_date_without_consent(repo):
    unconsent(repo, "{given: false, date: '2024-04-01'}")
    status, report = check_json(repo)
    [problem] = [p for p in report["problems"] if p["code"] == "AM606"]
    assert status == 0 and problem["severity"] == "warning" and problem["field"] == "guardian.consent.date"
    assert "2024-04-01" in problem["message"] and problem["line"] == 13


def test_check_warns_about_evidence_without_consent(repo):
    unconsent(repo, "{given: false, evidence: 同意书 2024-001}")
    assert "AM606" in codes(repo)


def test_a_withdrawn_consent_still_marked_given_is_no_consent(repo):
    # by hand: a withdrawal dated after the consent, and given left true; the pairing still running
    path = repo / CHILD_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("evidence: 同意书 2024-001}", "evidence: 同意书 2024-001, withdrawn: {on: '2026-06-01', "
                                 "reason: 搬走}}"), encoding="utf-8")
    git(repo, "commit", "-qam", "by hand")
    found = codes(repo)
    assert "AM607" in found and "AM602" in found  # the pairing runs without consent


def test_consent_messages_in_chinese(repo):
    result = run("--lang", "zh", "--root", str(repo), "child", "consent", CHILD, "--withdrawn", "--on", AS_OF,
                 "--reason", "监护人不再同意")
    assert result.exit_code == 1 and "仍有 1 个结对" in result.stderr

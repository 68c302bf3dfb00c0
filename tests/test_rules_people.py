"""Vetting and roster rules (AM306, AM307, AM602–AM605, AM701–AM710): each is broken in a copy
of the base fixture and found with its file, line, field and severity; the demo stays clean."""

from __future__ import annotations

import pytest
from conftest import AS_OF, PROJECT, check_json
from test_check_problems import edit

CHILD = "records/children/C430621-0000C001.yaml"
VOLUNTEER = "records/volunteers/V430621-0000V001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"
COORDINATORS = "records/coordinators.yaml"
CONFIG = "aimama.yaml"
MY_CODES = {"AM306", "AM307", "AM602", "AM603", "AM604", "AM605", "AM701", "AM702", "AM703",
            "AM704", "AM705", "AM706", "AM707", "AM708", "AM709", "AM710"}

# a coordinator who may confirm rosters and approve pairings, but not vet volunteers
ROSTER_ONLY = """  - id: U430600-0000C002
    name: 名册员
    email: roster@example.org
    roles: [roster, pairing]
    regions: ['430621']
"""
# and one who may vet, but not confirm rosters
VETTING_ONLY = ROSTER_ONLY.replace("C002", "C003").replace("名册员", "审核员").replace(
    "roster@", "vetting@").replace("[roster, pairing]", "[vetting]")


def copy(root, rel, new_rel, *changes):
    """Write ``new_rel`` as a copy of ``rel`` with (old, new) text ``changes``."""
    text = (root / rel).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    (root / new_rel).write_text(text, encoding="utf-8")


def add_coordinators(root):
    (root / COORDINATORS).write_text((root / COORDINATORS).read_text(encoding="utf-8")
                                     + ROSTER_ONLY + VETTING_ONLY, encoding="utf-8")


def add_child(root, number):
    """Another consenting, confirmed child in the same village (different name and ID)."""
    rid = f"C430621-0000C00{number}"
    copy(root, CHILD, f"records/children/{rid}.yaml", ("C430621-0000C001", rid),
         ("王小雨", f"王小{number}"), ("id_number: '430621201503089920'\n", ""))
    return rid


def add_pairing(root, number, child="C430621-0000C001", volunteer="V430621-0000V001"):
    rid = f"P430621-0000P00{number}"
    copy(root, PAIRING, f"records/pairings/{rid}.yaml", ("P430621-0000P001", rid),
         ("C430621-0000C001", child), ("V430621-0000V001", volunteer))
    return rid


def problems_of(report, code, rel=None):
    return [p for p in report["problems"] if p["code"] == code and (rel is None or p["file"] == rel)]


def assert_found(root, rel, code, line, field, severity="error", *args):
    exit_code, report = check_json(root, *args)
    matches = problems_of(report, code, rel)
    assert matches, report["problems"]
    assert (matches[0]["line"], matches[0]["field"], matches[0]["severity"]) == (line, field, severity)
    assert exit_code == (1 if severity == "error" else exit_code)
    return matches[0], report


# --- the clean repositories ---------------------------------------------------------------------

def test_base_fixture_has_none_of_these_problems(repo):
    exit_code, report = check_json(repo)
    assert exit_code == 0 and report["problems"] == []
    exit_code, report = check_json(repo, "--strict")
    assert exit_code == 0 and report["problems"] == []


def test_demo_has_no_errors_and_no_unintended_warnings():
    exit_code, report = check_json(PROJECT)
    assert exit_code == 0, [p for p in report["problems"] if p["severity"] == "error"]
    assert [p for p in report["problems"] if p["code"] in MY_CODES] == []


# --- AM306, AM307: one record per person --------------------------------------------------------

def test_same_id_number_on_two_children(repo):
    copy(repo, CHILD, "records/children/C430621-0000C002.yaml",
         ("C430621-0000C001", "C430621-0000C002"), ("王小雨", "王晓雨"))
    problem, report = assert_found(repo, "records/children/C430621-0000C002.yaml", "AM306", 6,
                                   "id_number")
    assert CHILD in problem["message"]
    assert problems_of(report, "AM306", CHILD) == []  # the first in path order is not reported
    assert problems_of(report, "AM301") == [] and problems_of(report, "AM307") == []
    assert "430621201503089920" not in problem["message"]  # sensitive: not in CI logs


def test_same_id_number_reported_after_the_first_in_path_order(repo):
    copy(repo, CHILD, "records/children/C430621-0000C000.yaml",
         ("C430621-0000C001", "C430621-0000C000"), ("王小雨", "王晓雨"))
    problem, _ = assert_found(repo, CHILD, "AM306", 6, "id_number")
    assert "records/children/C430621-0000C000.yaml" in problem["message"]


def test_same_id_number_on_a_child_and_a_volunteer(repo):
    edit(repo, CHILD, "'430621201503089920'", "'430621198506159942'")  # the volunteer's
    _, report = assert_found(repo, VOLUNTEER, "AM306", 6, "id_number")
    assert problems_of(report, "AM306", CHILD) == []


def test_same_id_number_on_two_volunteers(repo):
    copy(repo, VOLUNTEER, "records/volunteers/V430621-0000V002.yaml",
         ("V430621-0000V001", "V430621-0000V002"))
    problem, _ = assert_found(repo, "records/volunteers/V430621-0000V002.yaml", "AM306", 6,
                              "id_number")
    assert VOLUNTEER in problem["message"]


def test_same_child_entered_twice_is_a_warning(repo):
    copy(repo, CHILD, "records/children/C430621-0000C002.yaml",
         ("C430621-0000C001", "C430621-0000C002"), ("id_number: '430621201503089920'\n", ""),
         ("village: '430621101201'", "village: '430621101202'"),  # another village, same county
         ("name: 王小雨", "name: 王 小雨"))  # a stray space does not hide her
    problem, _ = assert_found(repo, "records/children/C430621-0000C002.yaml", "AM307", 3, "name",
                              "warning")
    assert CHILD in problem["message"]


def test_children_told_apart_by_id_number_or_county_are_not_the_same(repo):
    copy(repo, CHILD, "records/children/C430621-0000C002.yaml",
         ("C430621-0000C001", "C430621-0000C002"),  # a different, valid ID number
         ("'430621201503089920'", "'430621201503089947'"))
    copy(repo, CHILD, "records/children/C430621-0000C003.yaml",
         ("C430621-0000C001", "C430621-0000C003"), ("id_number: '430621201503089920'\n", ""),
         ("village: '430621101201'", "village: '430626205201'"))  # another county
    _, report = check_json(repo)
    assert problems_of(report, "AM307") == [] and problems_of(report, "AM306") == []


# --- AM602–AM605: the roster --------------------------------------------------------------------

ROSTER_EDITS = [
    # (id, file, old, new, code, problem file, line, field, severity)
    ("no-consent", CHILD, "given: true", "given: false", "AM602", PAIRING, 2, "child", "error"),
    ("paired-before-consent", CHILD, "date: '2024-04-01'", "date: '2024-05-01'", "AM602", PAIRING, 5,
     "started_on", "error"),
    ("roster-not-confirmed", CHILD, "confirmed_by: U430600-0000C001, ", "", "AM602", PAIRING, 2,
     "child", "error"),
    ("closed-child-still-paired", CHILD, "status: active",
     "status: closed\nclosed: {on: '2026-06-01', reason: moved_away}", "AM603", PAIRING, 2, "child",
     "warning"),
    ("orphan-unpaired", PAIRING, "started_on: '2024-04-10'",
     "started_on: '2024-04-10'\nended_on: '2026-01-01'\nend_reason: reassigned", "AM604", CHILD, 7,
     "categories", "warning"),
]


@pytest.mark.parametrize("name,rel,old,new,code,where,line,field,severity", ROSTER_EDITS,
                         ids=[e[0] for e in ROSTER_EDITS])
def test_roster_rules(repo, name, rel, old, new, code, where, line, field, severity):
    if code == "AM604":
        edit(repo, CHILD, "categories: [left_behind]", "categories: [scattered_orphan, left_behind]")
    edit(repo, rel, old, new)
    assert_found(repo, where, code, line, field, severity)


def test_missing_consent_message_shows_what_is_missing(repo):
    edit(repo, CHILD, "given: true", "given: false")
    problem, _ = assert_found(repo, PAIRING, "AM602", 2, "child")
    assert "consent: ✗" in problem["message"] and "roster confirmed: ✓ 2024-03-20" in problem["message"]


def test_ended_pairing_of_a_child_without_consent_is_fine(repo):
    edit(repo, CHILD, "given: true", "given: false")
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2025-01-01'\nend_reason: other")
    _, report = check_json(repo)
    assert problems_of(report, "AM602") == []


@pytest.mark.parametrize("old,new,field", [
    ("categories: [left_behind]", "categories: [left_behind]\nguardianship: inadequate",
     "guardianship"),
    ("risk_level: yellow", "risk_level: red", "risk_level"),
    ("categories: [left_behind]", "categories: [unsupported]", "categories"),
])
def test_priority_children_must_be_paired(repo, old, new, field):
    edit(repo, CHILD, old, new)
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2026-10-31'\nend_reason: reassigned")
    problem, _ = assert_found(repo, CHILD, "AM604", 7 if field == "categories" else
                              (8 if field == "guardianship" else 14), field, "warning")
    assert problem["message"].startswith("priority child (")


def test_pairing_that_ends_after_the_day_judged_still_counts(repo):
    edit(repo, CHILD, "categories: [left_behind]", "categories: [scattered_orphan]")
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2026-10-31'\nend_reason: reassigned")
    _, report = check_json(repo, "--as-of", "2026-10-30")
    assert problems_of(report, "AM604") == []
    _, report = check_json(repo, "--as-of", "2026-10-31")  # ended that day: no longer paired
    assert problems_of(report, "AM604", CHILD)


def test_pairing_not_yet_started_does_not_count(repo):
    edit(repo, CHILD, "categories: [left_behind]", "categories: [scattered_orphan]")
    _, report = check_json(repo, "--as-of", "2024-04-09")
    assert problems_of(report, "AM604", CHILD)
    _, report = check_json(repo, "--as-of", "2024-04-10")
    assert problems_of(report, "AM604") == []


def test_closed_or_non_priority_children_need_no_pairing(repo):
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2026-01-01'\nend_reason: child_closed")
    _, report = check_json(repo)  # left-behind, adequately cared for, yellow: not a priority
    assert problems_of(report, "AM604") == []
    edit(repo, CHILD, "categories: [left_behind]", "categories: [scattered_orphan]")
    edit(repo, CHILD, "status: active", "status: closed\nclosed: {on: '2026-06-01', reason: moved_away}")
    _, report = check_json(repo)
    assert problems_of(report, "AM604") == []


def test_roster_confirmed_by_someone_without_the_role(repo):
    add_coordinators(repo)
    edit(repo, CHILD, "confirmed_by: U430600-0000C001", "confirmed_by: U430600-0000C003")
    problem, _ = assert_found(repo, CHILD, "AM605", 16, "roster.confirmed_by")
    assert "U430600-0000C003" in problem["message"] and "vetting" in problem["message"]


def test_unknown_roster_coordinator_is_only_an_unknown_reference(repo):
    edit(repo, CHILD, "confirmed_by: U430600-0000C001", "confirmed_by: U430600-0000C009")
    _, report = check_json(repo)
    assert problems_of(report, "AM401", CHILD) and problems_of(report, "AM605") == []


# --- AM701–AM710: vetting -----------------------------------------------------------------------

CHECK_LINE = "    - {kind: administrative_penalty, result: clear, checked_on: '2024-03-05'}\n"
VETTING_EDITS = [
    # (id, old, new, code, problem file, line, field, severity)
    ("required-check-missing", CHECK_LINE, "", "AM701", VOLUNTEER, 17, "vetting.checks", "error"),
    ("penalty-found", "administrative_penalty, result: clear", "administrative_penalty, result: found",
     "AM702", VOLUNTEER, 19, "vetting.checks[2].result", "error"),
    ("check-pending", "administrative_sanction, result: clear",
     "administrative_sanction, result: pending", "AM702", VOLUNTEER, 18, "vetting.checks[1].result",
     "error"),
    ("seventeen", "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
     "birth_date: '2006-03-11'", "AM703", VOLUNTEER, 5, "birth_date", "error"),
    ("seventy-one", "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
     "birth_date: '1953-03-09'", "AM703", VOLUNTEER, 5, "birth_date", "error"),
    ("no-decider", "  decided_by: U430600-0000C001\n", "", "AM704", VOLUNTEER, 15, "vetting", "error"),
    ("no-decision-date", "  decided_on: '2024-03-10'\n", "", "AM704", VOLUNTEER, 15, "vetting", "error"),
    ("decider-without-the-role", "decided_by: U430600-0000C001", "decided_by: U430600-0000C002",
     "AM704", VOLUNTEER, 20, "vetting.decided_by", "error"),
    ("rejected-without-reason", "status: approved", "status: rejected", "AM705", VOLUNTEER, 15,
     "vetting.status", "error"),
    ("suspended-without-reason", "status: approved", "status: suspended", "AM705", VOLUNTEER, 15,
     "vetting.status", "error"),
    ("pending-volunteer-paired", "status: approved", "status: pending", "AM708", PAIRING, 3,
     "volunteer", "error"),
    ("rejected-volunteer-paired", "status: approved", "status: rejected\n  reason: 不符合条件",
     "AM708", PAIRING, 3, "volunteer", "error"),
    ("suspended-volunteer-paired", "status: approved", "status: suspended\n  reason: 调查中",
     "AM709", PAIRING, 3, "volunteer", "warning"),
    ("withdrawn-volunteer-paired", "status: active",
     "status: withdrawn\nclosed: {on: '2026-06-01', reason: moved_away}", "AM709", PAIRING, 3,
     "volunteer", "warning"),
]


@pytest.mark.parametrize("name,old,new,code,where,line,field,severity", VETTING_EDITS,
                         ids=[e[0] for e in VETTING_EDITS])
def test_vetting_rules(repo, name, old, new, code, where, line, field, severity):
    add_coordinators(repo)
    edit(repo, VOLUNTEER, old, new)
    _, report = assert_found(repo, where, code, line, field, severity)
    if code != "AM704":
        assert problems_of(report, "AM704") == []


@pytest.mark.parametrize("birth", ["2006-03-10", "1953-03-11"])  # 18 and 70 on the decision day
def test_ages_at_the_limits_are_fine(repo, birth):
    edit(repo, VOLUNTEER, "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
         f"birth_date: '{birth}'")
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


def test_age_is_taken_on_joining_when_there_is_no_decision_date(repo):
    add_coordinators(repo)
    edit(repo, VOLUNTEER, "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
         "birth_date: '2006-03-02'")  # 18 on 2024-03-10, 17 when she joined on 2024-03-01
    edit(repo, VOLUNTEER, "  decided_on: '2024-03-10'\n", "")
    _, report = check_json(repo)
    [problem] = problems_of(report, "AM703")
    assert "2024-03-01" in problem["message"] and "17" in problem["message"]


def test_age_limits_by_team_level_override(repo):
    edit(repo, CONFIG, "  check_valid_days: 1095\n",
         "  check_valid_days: 1095\n  by_level:\n    village: {min_age: 20, max_age: 60}\n")
    edit(repo, VOLUNTEER, "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
         "birth_date: '2005-03-01'")  # 19
    problem, _ = assert_found(repo, VOLUNTEER, "AM703", 5, "birth_date")
    assert "20 to 60" in problem["message"]
    edit(repo, "records/teams/T430621-0000T001.yaml", "level: village", "level: township")
    exit_code, report = check_json(repo)
    assert problems_of(report, "AM703") == [], report["problems"]


def test_required_checks_come_from_the_configuration(repo):
    edit(repo, CONFIG, "required_checks: [criminal_record, administrative_sanction, administrative_penalty]",
         "required_checks: [criminal_record, training]")
    edit(repo, VOLUNTEER, CHECK_LINE, "")  # no longer required
    problem, report = assert_found(repo, VOLUNTEER, "AM701", 17, "vetting.checks")
    assert "training" in problem["message"] and "administrative" not in problem["message"]


def test_defaults_apply_when_the_configuration_says_nothing(repo):
    edit(repo, CONFIG, "vetting:\n", "vetting_defaults_removed:\n")  # now an unknown key ...
    text = (repo / CONFIG).read_text(encoding="utf-8")
    start = text.index("vetting_defaults_removed:")
    end = text.index("pledge:")
    (repo / CONFIG).write_text(text[:start] + text[end:], encoding="utf-8")  # ... and gone
    edit(repo, VOLUNTEER, "birth_date: '1985-06-15'\nid_number: '430621198506159942'",
         "birth_date: '1953-03-09'")
    edit(repo, VOLUNTEER, CHECK_LINE, "")
    exit_code, report = check_json(repo)
    assert {p["code"] for p in report["problems"]} == {"AM701", "AM703"}, report["problems"]


def test_a_newer_clear_check_replaces_an_older_finding(repo):
    edit(repo, VOLUNTEER, CHECK_LINE, CHECK_LINE.replace("clear", "found").replace("2024-03-05", "2023-01-05")
         + CHECK_LINE)
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


def test_a_problem_found_in_an_optional_check_still_counts(repo):
    edit(repo, VOLUNTEER, CHECK_LINE, CHECK_LINE + "    - {kind: interview, result: found, checked_on: '2024-03-06'}\n")
    assert_found(repo, VOLUNTEER, "AM702", 20, "vetting.checks[3].result")


def test_an_optional_check_may_still_be_pending(repo):
    edit(repo, VOLUNTEER, CHECK_LINE, CHECK_LINE + "    - {kind: training, result: pending, checked_on: '2024-03-06'}\n")
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


def test_unknown_decider_is_only_an_unknown_reference(repo):
    edit(repo, VOLUNTEER, "decided_by: U430600-0000C001", "decided_by: U430600-0000C009")
    _, report = check_json(repo)
    assert problems_of(report, "AM401", VOLUNTEER) and problems_of(report, "AM704") == []


def test_pending_volunteer_needs_no_decider(repo):
    edit(repo, VOLUNTEER, "status: approved", "status: pending")
    edit(repo, VOLUNTEER, "  decided_by: U430600-0000C001\n  decided_on: '2024-03-10'\n", "")
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2024-05-01'\nend_reason: other")
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


def test_check_expiring_soon_is_a_timed_warning(repo):
    # the checks of 2024-03-05 are valid for 1,095 days: until 2027-03-05
    problem, _ = assert_found(repo, VOLUNTEER, "AM706", 17, "vetting.checks[0].checked_on",
                              "warning", "--as-of", "2027-01-04")
    assert "2027-03-05" in problem["message"] and "criminal_record" in problem["message"]
    assert_found(repo, VOLUNTEER, "AM706", 17, "vetting.checks[0].checked_on", "error",
                 "--as-of", "2027-01-04", "--strict")
    _, report = check_json(repo, "--as-of", "2027-01-03")  # 61 days ahead: not yet
    assert problems_of(report, "AM706") == []


def test_expired_check_is_a_timed_warning_naming_her_pairings(repo):
    problem, report = assert_found(repo, VOLUNTEER, "AM707", 17, "vetting.checks[0].checked_on",
                                   "warning", "--as-of", "2027-03-05")
    assert "1 active pairings" in problem["message"]
    assert problems_of(report, "AM706") == []
    exit_code, _ = check_json(repo, "--as-of", "2027-03-05")
    assert exit_code == 0
    assert_found(repo, VOLUNTEER, "AM707", 17, "vetting.checks[0].checked_on", "error",
                 "--as-of", "2027-03-05", "--strict")


def test_renewed_check_and_configured_periods(repo):
    edit(repo, CONFIG, "  check_valid_days: 1095\n", "  check_valid_days: 365\n  expiring_days: 10\n")
    edit(repo, VOLUNTEER, "{kind: administrative_sanction, result: clear, checked_on: '2024-03-05'}",
         "{kind: administrative_sanction, result: clear, checked_on: '2024-03-05'}\n"
         "    - {kind: administrative_sanction, result: clear, checked_on: '2025-02-20'}")
    _, report = check_json(repo, "--as-of", "2025-02-22")  # 11 days ahead: not yet
    assert problems_of(report, "AM706") == []
    _, report = check_json(repo, "--as-of", "2025-02-24")
    [expiring] = problems_of(report, "AM706")  # the sanction check was renewed
    assert expiring["message"] == "vetting checks criminal_record, administrative_penalty expire on 2025-03-05"
    _, report = check_json(repo, "--as-of", "2025-03-06")
    [expired] = problems_of(report, "AM707")
    assert "criminal_record, administrative_penalty expired on 2025-03-05" in expired["message"]
    assert expired["field"] == "vetting.checks[0].checked_on"


def test_withdrawn_volunteer_checks_need_no_renewal(repo):
    edit(repo, VOLUNTEER, "status: active",
         "status: withdrawn\nclosed: {on: '2026-06-01', reason: moved_away}")
    edit(repo, PAIRING, "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2026-06-01'\nend_reason: volunteer_withdrew")
    _, report = check_json(repo, "--as-of", "2027-06-01")
    assert problems_of(report, "AM707") == [] and problems_of(report, "AM709") == []


def test_more_pairings_than_capacity(repo):
    add_pairing(repo, 2, add_child(repo, 2))
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]  # capacity 2
    add_pairing(repo, 3, add_child(repo, 3))
    problem, _ = assert_found(repo, VOLUNTEER, "AM710", 12, "capacity")
    assert "3 active pairings" in problem["message"]
    edit(repo, "records/pairings/P430621-0000P003.yaml", "started_on: '2024-04-10'",
         "started_on: '2024-04-10'\nended_on: '2025-04-10'\nend_reason: reassigned")
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


def test_messages_in_chinese(repo):
    from conftest import run

    edit(repo, VOLUNTEER, "status: approved", "status: pending")
    result = run("--lang", "zh", "--root", str(repo), "check", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "未通过资格审核" in result.output and "只有资格审核通过的志愿者才能结对" in result.output


def test_every_new_code_has_messages_in_both_languages():
    from aimama_cli.messages import MESSAGES
    from aimama_cli.rules import REGISTRY

    assert MY_CODES <= set(REGISTRY)
    for code in MY_CODES:
        for key in (code, code + ".rule"):
            english, chinese = MESSAGES[key]
            assert english and chinese and english != chinese


# --- incremental checks ---------------------------------------------------------------------------

def test_incremental_check_equals_a_full_check(repo):
    """After each edit, a check that reuses the last results agrees with one from scratch."""
    steps = [
        lambda: edit(repo, VOLUNTEER, "status: approved", "status: pending"),  # AM708 on the pairing
        lambda: edit(repo, VOLUNTEER, "status: pending", "status: approved"),
        lambda: edit(repo, CHILD, "status: active",  # AM603 on the pairing
                     "status: closed\nclosed: {on: '2026-06-01', reason: moved_away}"),
        lambda: edit(repo, CHILD, "status: closed\nclosed: {on: '2026-06-01', reason: moved_away}",
                     "status: active"),
        lambda: (add_pairing(repo, 2, add_child(repo, 2)), add_pairing(repo, 3, add_child(repo, 3))),
        lambda: edit(repo, "records/pairings/P430621-0000P003.yaml", "started_on: '2024-04-10'",
                     "started_on: '2024-04-10'\nended_on: '2025-04-10'\nend_reason: reassigned"),
        lambda: edit(repo, CHILD, "categories: [left_behind]", "categories: [scattered_orphan]"),
        lambda: edit(repo, PAIRING, "started_on: '2024-04-10'",  # AM604 on the child
                     "started_on: '2024-04-10'\nended_on: '2026-01-01'\nend_reason: reassigned"),
        lambda: add_coordinators(repo),
        lambda: edit(repo, COORDINATORS, "roles: [vetting, roster]", "roles: [roster]"),  # AM704
        lambda: edit(repo, CONFIG, "max_age: 70", "max_age: 30"),  # AM703
        lambda: copy(repo, CHILD, "records/children/C430621-0000C009.yaml",  # AM306 and AM307
                     ("C430621-0000C001", "C430621-0000C009")),
    ]
    check_json(repo)
    seen = set()
    for step in steps:
        step()
        incremental = check_json(repo)
        scratch = check_json(repo, "--no-cache")
        assert incremental == scratch
        seen |= {p["code"] for p in incremental[1]["problems"]}
    assert {"AM603", "AM604", "AM703", "AM704", "AM708", "AM710", "AM306"} <= seen


def test_incremental_check_sees_a_duplicate_added_before_the_original(repo):
    check_json(repo)
    copy(repo, CHILD, "records/children/C430621-0000C000.yaml",
         ("C430621-0000C001", "C430621-0000C000"), ("王小雨", "王晓雨"))
    assert check_json(repo) == check_json(repo, "--no-cache")


def test_incremental_check_follows_a_duplicate_as_it_changes_and_goes(repo):
    """The original's AM306/AM307 comes and goes with the duplicate that sorts before it."""
    early = "records/children/C430621-0000C000.yaml"
    steps = [
        lambda: copy(repo, CHILD, early, ("C430621-0000C001", "C430621-0000C000")),  # AM306
        lambda: edit(repo, early, "id_number: '430621201503089920'\n", ""),  # now AM307
        lambda: edit(repo, early, "name: 王小雨", "name: 王晓雨"),  # someone else
        lambda: edit(repo, early, "name: 王晓雨", "name: 王小雨\nid_number: '430621201503089920'"),
        lambda: (repo / early).unlink(),  # gone: C001 is alone again
    ]
    check_json(repo)
    seen = []
    for step in steps:
        step()
        incremental = check_json(repo)
        assert incremental == check_json(repo, "--no-cache")
        seen.append(sorted(p["code"] for p in incremental[1]["problems"] if p["file"] == CHILD))
    assert seen == [["AM306"], ["AM307"], [], ["AM306"], []]

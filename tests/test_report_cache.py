"""The reports' figures kept in the record index (judged duties, issue 23) never change an answer:
each report run with what the index keeps equals the same report with ``--no-cache``, on a
generated county with a year of logs and on the demo, after the changes a coordinator makes
(a log added, a pairing ended, a programme edited, a file removed, the day moved)."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
import sys

import pytest
import yaml
from conftest import AS_OF, PROJECT, copy_repository, git, run

REPORTS = ("duties", "volunteers", "coverage")


@pytest.fixture(scope="module")
def generated_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("cache-generated") / "repo"
    subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), str(root), "--children", "120",
                    "--git", "--activities", "--jobs", "1"], check=True, capture_output=True)
    return root


@pytest.fixture
def generated(generated_template, tmp_path):
    return copy_repository(generated_template, tmp_path / "repo")


def _report(root, kind, *args, cache=True) -> dict:
    result = run("--root", str(root), "report", kind, "--format", "json", *args,
                 *(() if cache else ("--no-cache",)))
    assert result.exit_code == 0, result.stderr
    return result.json()


def same_either_way(root, *args) -> dict:
    """Every report, run twice with the index's figures (filled, then used) and once without:
    all three equal.  Returns the duty reports' JSON."""
    found = {}
    for kind in REPORTS:
        first = _report(root, kind, *args)
        assert _report(root, kind, *args) == first
        assert _report(root, kind, *args, cache=False) == first, (kind, args)
        found[kind] = first
    return found


def same_page(root, *args) -> None:
    """The dashboard — the three reports and the months from git history — alike either way."""
    pages = []
    for n, cache in enumerate((True, True, False)):
        folder = root.parent / f"page-{n}"
        result = run("--root", str(root), "report", "html", str(folder), *args, *(() if cache else ("--no-cache",)))
        assert result.exit_code == 0, result.stderr
        pages.append((folder / "index.html").read_text("utf-8"))
    assert pages[0] == pages[1] == pages[2]


def _records(root, folder):
    return {p: yaml.safe_load(p.read_text("utf-8")) for p in sorted((root / "records" / folder).glob("*.yaml"))}


def test_the_index_figures_equal_a_fresh_judgement_after_every_change(generated):
    day = ("--as-of", "2026-10-31")
    before = same_either_way(generated, *day)
    assert before["duties"]["total"]["met"] > 0 and before["duties"]["total"]["overdue"] > 0
    same_either_way(generated, *day, "--level", "village", "--region", "430602")
    same_either_way(generated, "--as-of", "2026-06-30")  # the day moved: another scope
    same_page(generated, *day)
    pairing = next(p for p in _records(generated, "pairings").values() if not p.get("ended_on"))

    # a log entry added (one volunteer's pairings judged again)
    result = run("--root", str(generated), "log", "add", pairing["volunteer"], "--kind", "home_visit",
                 "--child", pairing["child"], "--date", "2026-10-30", "--contact", "made", "--hours", "2",
                 "--check", "all", "--details", "入户走访")
    assert result.exit_code == 0, result.stderr
    after_log = same_either_way(generated, *day)
    assert after_log["volunteers"]["total"]["hours"] == before["volunteers"]["total"]["hours"] + 2

    # a pairing ended
    result = run("--root", str(generated), "pair", "end", pairing["id"], "--reason", "reassigned",
                 "--on", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    after_end = same_either_way(generated, *day)
    assert after_end["duties"]["total"] != after_log["duties"]["total"]
    same_page(generated, *day, "--months", "3")

    # a volunteer withdrawn by hand: the figures kept apart from the hours are counted again
    volunteer = next(path for path, data in _records(generated, "volunteers").items() if data["id"] == pairing["volunteer"])
    text = volunteer.read_text("utf-8")
    assert "\nstatus: active\n" in text
    volunteer.write_text(text.replace("\nstatus: active\n", "\nstatus: withdrawn\n"), "utf-8")
    after_withdrawn = same_either_way(generated, *day)
    assert after_withdrawn["volunteers"]["total"]["withdrawn"] == after_end["volunteers"]["total"]["withdrawn"] + 1

    # a programme's duty made stricter, by hand
    programme = next(p for p, data in _records(generated, "programmes").items() if data["id"] == "yueyang-village")
    text = programme.read_text("utf-8")
    assert "count: 1" in text
    programme.write_text(text.replace("count: 1", "count: 3"), "utf-8")
    git(generated, "commit", "-qam", "stricter")
    after_programme = same_either_way(generated, *day)
    assert after_programme["duties"]["total"] != after_end["duties"]["total"]

    # a log and a pairing removed from the work tree (not committed: the index sees the files)
    logs = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))
    logs[0].unlink()
    next(p for p in sorted((generated / "records" / "pairings").glob("*.yaml"))).unlink()
    same_either_way(generated, *day)
    same_either_way(generated, *day, "--level", "village", "--region", "430602")
    same_page(generated, *day)


def test_the_index_figures_equal_a_fresh_judgement_on_the_demo(demo):
    same_either_way(demo, "--as-of", AS_OF)
    same_either_way(demo, "--as-of", "2025-12-31")
    same_either_way(demo, "--as-of", AS_OF, "--level", "village")
    same_page(demo, "--as-of", AS_OF)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lists_are_laid_out_as_tabulate_lays_them_out(generated, lang):
    """`child list` and `volunteer list` lay their tables out without tabulate (a province's
    100,000 rows took it seconds): line for line what tabulate's "simple" layout gives."""
    from tabulate import tabulate

    from aimama_cli.core import i18n
    from aimama_cli.reports.views import headers

    for kind in ("child", "volunteer"):
        rows = run("--root", str(generated), "--lang", lang, kind, "list", "--all", "--format", "csv").output
        listed = run("--root", str(generated), "--lang", lang, kind, "list", "--all").output.rstrip("\n").splitlines()
        cells = list(csv.reader(io.StringIO(rows)))[1:]
        before = i18n.language()
        i18n.set_language(lang)
        try:
            header = headers(kind)
        finally:
            i18n.set_language(before)
        assert len(cells) > 100
        assert listed[:-1] == tabulate(cells, headers=header, tablefmt="simple", disable_numparse=True).splitlines()


def test_a_province_judged_in_worker_processes_keeps_the_same_verdicts(generated, monkeypatch):
    """A province's first report of a day judges in forked workers (duties.in_parts) and stores
    what they send back: the same figures as judging in one process without the index."""
    from aimama_cli.model import duties

    broken = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))[5]
    broken.write_text(broken.read_text("utf-8") + "  - date: [\n", "utf-8")  # the command finds it, not a worker
    alone = _report(generated, "duties", "--as-of", "2026-10-31", cache=False)
    assert alone["unreadable_logs"] == [broken.relative_to(generated).as_posix()]
    monkeypatch.setattr(duties, "PARALLEL_FROM", 10)
    assert _report(generated, "duties", "--as-of", "2026-10-31") == alone
    assert _report(generated, "duties", "--as-of", "2026-10-31", "--level", "village", "--region", "430602") == \
        _report(generated, "duties", "--as-of", "2026-10-31", "--level", "village", "--region", "430602", cache=False)


# Days on which verdicts turn: months begin and close, Spring Festival 2026 (17 February) and
# Children's Day pass, a year's last day; then back to a day before some were judged.
DAYS = ("2026-01-05", "2026-01-31", "2026-02-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-03-31",
        "2026-04-01", "2026-05-31", "2026-06-01", "2026-06-02", "2026-07-15", "2026-09-30", "2026-10-01",
        "2026-10-02", "2026-10-31", "2026-11-01", "2026-12-31", "2026-06-01")


def test_a_verdict_kept_from_an_earlier_day_is_the_one_each_later_day_gives(generated):
    """The first report of a new day keeps yesterday's verdicts that cannot have turned (no
    deadline passed, no month begun, no cover run out, no entry logged ahead come due) and
    judges the rest: day after day its figures equal a fresh judgement's."""
    kept_from_before = 0
    region = ("--level", "village", "--region", "430602")
    for n, day in enumerate(DAYS):
        kept = _report(generated, "duties", "--as-of", day)
        assert kept == _report(generated, "duties", "--as-of", day, cache=False), day
        kept_from_before += _verdicts_judged_before(generated, day)
        if n % 3 == 0:  # a region's report keeps and judges its own pairings alike
            assert _report(generated, "duties", "--as-of", day, *region) == \
                _report(generated, "duties", "--as-of", day, *region, cache=False), day
    assert kept_from_before > 0  # the days did keep verdicts: what the comparison tests


def test_texts_no_verdict_names_are_removed_and_the_figures_hold(generated, monkeypatch):
    """Each distinct list of statuses (of deadlines) is kept once and named by number; beyond a
    number of texts those no kept verdict names are removed, and every day's figures still equal a
    fresh judgement's."""
    from aimama_cli.store import duty_cache

    monkeypatch.setattr(duty_cache, "TEXTS_KEPT", 0)  # every report removes what it left unnamed
    for day in ("2026-03-31", "2026-04-01", "2026-06-02", "2026-10-31"):
        assert _report(generated, "duties", "--as-of", day) == \
            _report(generated, "duties", "--as-of", day, cache=False), day
        facts = run("--root", str(generated), "export", "facts", "--output", str(generated.parent / f"facts-{day}"),
                    "--as-of", day)  # reads every kept verdict's statuses and deadlines by number
        assert facts.exit_code == 0, facts.stderr
        db = sqlite3.connect(generated / ".aimama" / "index.sqlite")
        try:
            kept, named = db.execute(
                "SELECT (SELECT count(*) FROM duty_text), (SELECT count(*) FROM (SELECT statuses FROM duty_pairing "
                "UNION SELECT deadlines FROM duty_pairing))").fetchone()
        finally:
            db.close()
        assert kept == named > 0, day


def test_cover_that_runs_out_mid_month_turns_a_kept_verdict_overdue(generated):
    """Insurance that runs out on 20 December: due on the 2nd (renew by the 20th), overdue on the
    28th, though no month began between — the verdict kept from the 2nd is not reused."""
    logs = [log for log in sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))
            if "insurance:" in log.read_text("utf-8")]
    assert logs
    for log in logs[:3]:
        log.write_text(re.sub(r"( +to: )'202[67]-\d\d-\d\d'", r"\1'2026-12-20'", log.read_text("utf-8")), "utf-8")
    due = _report(generated, "duties", "--as-of", "2026-12-02")
    assert due == _report(generated, "duties", "--as-of", "2026-12-02", cache=False)
    overdue = _report(generated, "duties", "--as-of", "2026-12-28")
    assert overdue == _report(generated, "duties", "--as-of", "2026-12-28", cache=False)
    assert overdue["total"]["overdue"] > due["total"]["overdue"]


def _verdicts_judged_before(root, day: str) -> int:
    import sqlite3
    db = sqlite3.connect(root / ".aimama" / "index.sqlite")
    try:
        return db.execute("SELECT count(*) FROM duty_pairing WHERE judged_on < ?", (day,)).fetchone()[0]
    finally:
        db.close()


def _keys_made(monkeypatch) -> list[int]:
    """How many pairings each making of keys covers (every record's files digested: -1)."""
    from aimama_cli.model import kept_duties

    made, keys = [], kept_duties._keys
    monkeypatch.setattr(kept_duties, "_keys", lambda index, year, pairings, everyone, read=None: (
        made.append(-1 if everyone else len(pairings)), keys(index, year, pairings, everyone, read))[1])
    return made


def _edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_after_a_few_files_change_only_their_pairings_are_judged_again(generated, monkeypatch):
    """The index's journal of changed files tells which pairings a change may touch: a log
    edited, a child moved into the region asked for (her pairing never judged there), a pairing
    handed to another volunteer, a log naming someone else. The next report of the day, or of
    a later one, makes only their keys, and its figures equal a fresh judgement's."""
    made = _keys_made(monkeypatch)
    region = ("--level", "village", "--region", "430602")
    day = ("--as-of", "2026-10-31")
    _report(generated, "duties", *day, *region)
    assert made == [-1]
    children = _records(generated, "children")
    pairings = _records(generated, "pairings")
    moved = next(path for path, data in children.items() if data["village"].startswith("430603"))
    _edit(moved, "village: '430603", "village: '430602")
    handed = next(path for path, data in pairings.items()
                  if children_of(children, data["child"])["village"].startswith("430602"))
    other = next(data["volunteer"] for data in pairings.values() if data["volunteer"] != pairings[handed]["volunteer"])
    _edit(handed, f"volunteer: {pairings[handed]['volunteer']}", f"volunteer: {other}")
    log = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))[3]
    _edit(log, "contact: made", "contact: attempted")
    made.clear()
    for args in (day, ("--as-of", "2026-11-02")):  # the same day, then a later one
        assert _report(generated, "duties", *args, *region) == _report(generated, "duties", *args, *region,
                                                                        cache=False)
    assert made and -1 not in made and max(made) < 20, made
    # a log whose volunteer is written as another's, and a pairing file removed
    renamed = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))[5]
    data = yaml.safe_load(renamed.read_text("utf-8"))
    _edit(renamed, f"volunteer: {data['volunteer']}", f"volunteer: {other}")
    next(path for path in pairings if path != handed).unlink()
    made.clear()
    assert _report(generated, "duties", *day) == _report(generated, "duties", *day, cache=False)
    assert _report(generated, "duties", *day, *region) == _report(generated, "duties", *day, *region, cache=False)
    _edit(renamed, f"volunteer: {other}", f"volunteer: {data['volunteer']}")  # only the journal knows `other`
    made.clear()
    assert _report(generated, "duties", *day) == _report(generated, "duties", *day, cache=False)
    assert made and -1 not in made, made


def children_of(children: dict, child: str) -> dict:
    return next(data for data in children.values() if data["id"] == child)


def test_a_change_the_journal_cannot_tell_makes_every_key_again(generated, monkeypatch):
    """A team's level (which programme applies), a change of more files than the journal lists,
    or one further back than it keeps: every pairing's key is made again."""
    from aimama_cli.store import index as index_module

    made = _keys_made(monkeypatch)
    day = ("--as-of", "2026-10-31")
    _report(generated, "duties", *day)
    team = next(path for path, data in _records(generated, "teams").items() if data.get("level") == "village")
    _edit(team, "level: village", "level: township")
    made.clear()
    assert _report(generated, "duties", *day) == _report(generated, "duties", *day, cache=False)
    assert made == [-1]
    logs = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))
    monkeypatch.setattr(index_module, "JOURNAL_LIMIT", 1)  # two files: too many to list
    for log in logs[:2]:
        _edit(log, "contact: made", "contact: attempted")
    made.clear()
    assert _report(generated, "duties", *day) == _report(generated, "duties", *day, cache=False)
    assert made == [-1]
    monkeypatch.setattr(index_module, "JOURNAL_LIMIT", 2000)
    monkeypatch.setattr(index_module, "JOURNAL_KEEP", 1)  # two changes, the journal keeps one
    for log in logs[2:4]:
        _edit(log, "contact: made", "contact: attempted")
        run("--root", str(generated), "report", "coverage", "--as-of", "2026-10-31")  # the index brought up to date
    made.clear()
    assert _report(generated, "duties", *day) == _report(generated, "duties", *day, cache=False)
    assert made == [-1]


def test_verdicts_judged_again_in_workers_drop_a_removed_pairing_and_keep_true_keys(generated, monkeypatch):
    """When most kept verdicts turn (a new month, an earlier day), every pairing is judged again
    in worker processes and this process learns the pairings from their verdicts: one whose
    file was removed is dropped, and the keys kept are what judging reads, so that after a
    change the journal cannot place only the pairings it touched are judged again."""
    from aimama_cli.model import duties

    monkeypatch.setattr(duties, "PARALLEL_FROM", 10)
    judged = []
    check = duties.check
    monkeypatch.setattr(duties, "check", lambda book, pairings=None: (
        judged.append(len(book.pairings if pairings is None else pairings)), check(book, pairings))[1])
    _report(generated, "duties", "--as-of", "2026-10-31")
    pairings = _records(generated, "pairings")
    removed = sorted(pairings)[0]
    removed.unlink()
    earlier = ("--as-of", "2026-09-30")  # every kept verdict was judged after it: all are judged again
    assert _report(generated, "duties", *earlier) == _report(generated, "duties", *earlier, cache=False)
    # a log edited by hand alongside a team's level: the journal cannot tell which pairings a
    # level touches, so every key is made again and compared with the kept ones
    team = next(path for path, data in _records(generated, "teams").items() if data.get("level") == "village")
    text = team.read_text("utf-8")
    _edit(team, "level: village", "level: township")
    run("--root", str(generated), "report", "coverage", *earlier)  # (the change seen, and put back)
    team.write_text(text, "utf-8")
    log = sorted((generated / "records" / "activities" / "2026").glob("*.yaml"))[3]
    volunteer = yaml.safe_load(log.read_text("utf-8"))["volunteer"]
    _edit(log, "contact: made", "contact: attempted")
    judged.clear()
    assert _report(generated, "duties", *earlier) == _report(generated, "duties", *earlier, cache=False)
    hers = sum(data["volunteer"] == volunteer for path, data in pairings.items() if path != removed)
    assert judged[0] == hers, (judged, hers)


def test_coverage_moved_from_one_day_to_another_is_the_day_counted_afresh(generated, monkeypatch):
    """A day's coverage starts from the last day counted (no file changed, the same year): only
    the children and volunteers of pairings begun or ended between are counted again. Day after
    day, back again, into another year, and after a change, it equals a count from nothing."""
    from aimama_cli.reports import coverage

    moved, move = [], coverage._moved
    monkeypatch.setattr(coverage, "_moved", lambda index, report, as_of: (moved.append(as_of), move(index, report, as_of))[1])
    levels = (("--level", "county"), ("--level", "village"), ("--level", "village", "--region", "430602"))
    days = [day for day in DAYS if day.startswith("2026")] + ["2025-06-30", "2025-03-01", "2026-03-01"]
    # first, by hand: a child of 430602 paired on Spring Festival with a volunteer of the other
    # county (no local volunteer from that day), and a pairing ended on Children's Day
    pairings = _records(generated, "pairings")
    volunteers = _records(generated, "volunteers").values()
    far = next(v["id"] for v in volunteers if v["village"].startswith("430603"))
    crossed, ended = [path for path, data in pairings.items() if data["child"].startswith("C430602")
                      and not data.get("ended_on")][:2]
    _edit(crossed, f"volunteer: {pairings[crossed]['volunteer']}", f"volunteer: {far}")
    _edit(crossed, f"started_on: '{pairings[crossed]['started_on']}'", "started_on: '2026-02-17'")
    ended.write_text(ended.read_text("utf-8") + "ended_on: '2026-06-01'\nend_reason: moved_away\n", "utf-8")
    expected, counted, last = 0, set(), None
    for n, day in enumerate(days):
        if n == len(days) - 2:  # a pairing ended by hand: a file changed, counted from nothing
            path = sorted((generated / "records" / "pairings").glob("*.yaml"))[2]
            path.write_text(path.read_text("utf-8") + "ended_on: '2025-04-01'\nend_reason: moved_away\n", "utf-8")
            counted, last = set(), None
        if day not in counted:
            expected += last is not None and last[:4] == day[:4]
            counted.add(day)
            last = day
        for level in levels:
            kept = _report(generated, "coverage", "--as-of", day, *level)
            assert kept == _report(generated, "coverage", "--as-of", day, *level, cache=False), (day, level)
    assert expected > 10 and len(moved) == 3 * expected

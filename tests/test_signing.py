"""Signed commits (issue 18): ``audit`` verifies each commit's SSH signature against the
coordinators' ``signing_keys`` as of the range's base, ``--as`` refuses a key not the
coordinator's, ``history`` marks who signed, and ``init``'s workflow audits every pull request.

Real keys (``ssh-keygen -t ed25519``), real signed commits (``git commit -S``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git, run
from test_audit import CHILD, CHILD_FILE, COORDINATOR_FILE, VOLUNTEER_FILE, replace

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")

TESTER = "测试员 <tester@example.org>"  # U430600-0000C001: vetting and roster in 430621
ZHAOMIN = "赵敏 <zhaomin@example.org>"  # U430600-0000C002: roster only
CONFIG = "aimama.yaml"


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    """A private key (its .pub beside it) for the tester, 赵敏 and a stranger."""
    folder = tmp_path_factory.mktemp("ssh-keys")
    found = {}
    for who in ("tester", "zhaomin", "stranger"):
        path = folder / who
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{who}@laptop",
                        "-f", str(path)], check=True)
        found[who] = path
    return found


def public(key: Path) -> str:
    return key.with_name(key.name + ".pub").read_text(encoding="utf-8").strip()


def coordinators(keys: dict[str, Path], zhaomin_keys: tuple[str, ...] = ()) -> str:
    zhaomin = "".join(f"\n      - {k}" for k in (public(keys["zhaomin"]), *zhaomin_keys))
    return f"""\
coordinators:
  - id: U430600-0000C001
    name: 测试员
    email: tester@example.org
    roles: [vetting, roster]
    regions: ['430621']
    signing_keys:
      - {public(keys["tester"])}
  - id: U430600-0000C002
    name: 赵敏
    email: zhaomin@example.org
    roles: [roster]
    regions: ['430621']
    signing_keys:{zhaomin}
"""


def commit(root: Path, author: str, key: Path | None, *paths: str, message: str = "edit") -> str:
    """Commit ``paths`` by ``author``, signed with ``key`` (None: unsigned); its short sha."""
    git(root, "add", "-A", "--", *paths)
    signed = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
    git(root, *signed, "commit", "-q", *(["-S"] if key else []), "-m", message, f"--author={author}")
    return git(root, "rev-parse", "--short", "HEAD").strip()


def require_signing(root: Path) -> None:
    replace(root, CONFIG, "require_signed_commits: false", "require_signed_commits: true")


@pytest.fixture
def signed(repo: Path, keys) -> Path:
    """The ``repo`` fixture requiring signed commits, with two coordinators and their keys,
    committed (signed) by the tester: the base of every range below is HEAD."""
    (repo / COORDINATOR_FILE).write_text(coordinators(keys), encoding="utf-8")
    require_signing(repo)
    commit(repo, TESTER, keys["tester"], COORDINATOR_FILE, CONFIG, message="keys")
    git(repo, "branch", "base")
    return repo


def audit(root: Path, *args: str):
    result = run("--root", str(root), "audit", "--format", "json", "--since", "base", *args)
    return result.exit_code, result.json()


def findings(report: dict) -> list[tuple[str, str]]:
    return [(f["kind"], f["commit"]) for f in report["findings"]]


def test_a_range_signed_by_its_authors_passes(signed, keys):
    replace(signed, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    commit(signed, TESTER, keys["tester"], CHILD_FILE)
    replace(signed, CHILD_FILE, "needs: [emotional, study]", "needs: [emotional]")
    commit(signed, ZHAOMIN, keys["zhaomin"], CHILD_FILE)
    (signed / "README.md").write_text("说明\n", encoding="utf-8")
    commit(signed, TESTER, keys["tester"], "README.md")  # not a record, verified all the same
    code, report = audit(signed)
    assert code == 0, report
    assert report["signatures"] == {"commits": 3, "keys_from": "base"}
    assert (report["commits"], report["findings"]) == (2, [])
    table = run("--root", str(signed), "audit", "--since", "base")
    assert table.exit_code == 0
    assert "signatures of 3 commit(s) verified against the coordinators' signing_keys as of base" \
        in table.output


def test_unsigned_spoofed_and_foreign_signatures_are_flagged(signed, keys):
    (signed / "README.md").write_text("说明\n", encoding="utf-8")
    unsigned = commit(signed, TESTER, None, "README.md")
    replace(signed, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    spoofed = commit(signed, ZHAOMIN, None, CHILD_FILE)  # the tester commits in 赵敏's name
    replace(signed, CHILD_FILE, "risk_level: orange", "risk_level: red")
    other_key = commit(signed, ZHAOMIN, keys["tester"], CHILD_FILE)  # ... and signs with her own key
    replace(signed, CHILD_FILE, "risk_level: red", "risk_level: yellow")
    stranger = commit(signed, TESTER, keys["stranger"], CHILD_FILE)
    code, report = audit(signed)
    assert code == 1
    assert findings(report) == [("unsigned", unsigned), ("committer_not_author", spoofed),
                                ("signer_not_author", other_key), ("bad_signature", stranger)]
    by_kind = {f["kind"]: f for f in report["findings"]}
    assert by_kind["unsigned"]["path"] is None and by_kind["unsigned"]["email"] == "tester@example.org"
    assert "committed by 测试员 <tester@example.org> in the name of zhaomin@example.org" in \
        by_kind["committer_not_author"]["message"]
    assert by_kind["signer_not_author"]["message"] == (
        "signed with the key of coordinator U430600-0000C001, but authored as zhaomin@example.org "
        "(coordinator: U430600-0000C002)")
    assert "which no coordinator lists in signing_keys of records/coordinators.yaml as of base" in \
        by_kind["bad_signature"]["message"]
    table = run("--root", str(signed), "audit", "--since", "base")
    assert table.exit_code == 1
    assert f"offending commits: {unsigned} {spoofed} {other_key} {stranger}" in table.output


def test_a_commit_changed_after_it_was_signed(signed, keys):
    replace(signed, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    commit(signed, TESTER, keys["tester"], CHILD_FILE, message="risk orange")
    body = git(signed, "cat-file", "commit", "HEAD").replace("risk orange", "risk yellow")
    forged = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=signed,
                            input=body, capture_output=True, text=True, check=True).stdout.strip()
    git(signed, "update-ref", "HEAD", forged)
    code, report = audit(signed)
    assert code == 1
    assert findings(report) == [("bad_signature", git(signed, "rev-parse", "--short", forged).strip())]
    assert "the signature does not verify" in report["findings"][0]["message"]


def test_a_key_added_on_the_branch_itself_is_not_trusted(signed, keys):
    # someone with the stranger's key adds it to 赵敏's keys, signed with it, then confirms
    (signed / COORDINATOR_FILE).write_text(coordinators(keys, (public(keys["stranger"]),)),
                                           encoding="utf-8")
    added = commit(signed, ZHAOMIN, keys["stranger"], COORDINATOR_FILE)
    replace(signed, CHILD_FILE, "confirmed_on: '2024-03-20'", "confirmed_on: '2024-03-21'")
    confirmed = commit(signed, ZHAOMIN, keys["stranger"], CHILD_FILE)
    code, report = audit(signed)
    assert code == 1
    assert findings(report) == [("bad_signature", added), ("bad_signature", confirmed)]
    # once the key is on main (reviewed and merged), a range from there trusts it
    git(signed, "branch", "-f", "base", added)
    code, report = audit(signed)
    assert (code, findings(report)) == (0, [])


def test_a_branch_cannot_drop_the_requirement(signed, keys):
    replace(signed, CONFIG, "require_signed_commits: true\n", "")
    dropped = commit(signed, TESTER, None, CONFIG)
    code, report = audit(signed)
    assert (code, findings(report)) == (1, [("unsigned", dropped)])


def test_a_merge_is_audited_for_what_it_did_itself(signed, keys):
    git(signed, "checkout", "-qb", "side")
    replace(signed, CHILD_FILE, "needs: [emotional, study]", "needs: [emotional]")
    commit(signed, ZHAOMIN, keys["zhaomin"], CHILD_FILE)
    git(signed, "checkout", "-q", "main")
    replace(signed, CHILD_FILE, "phone: '13900002001'", "phone: '13900002009'")
    commit(signed, TESTER, keys["tester"], CHILD_FILE)
    # git merges the two edits of the child's file: the merge, unsigned and by no coordinator
    # (a forge's merge button), did nothing of its own
    git(signed, "merge", "-q", "--no-ff", "--no-edit", "side")
    git(signed, "commit", "-q", "--amend", "--no-edit", "--author=GitHub <noreply@github.com>")
    merged = (signed / CHILD_FILE).read_text(encoding="utf-8")
    assert "'13900002009'" in merged and "needs: [emotional]\n" in merged
    code, report = audit(signed)
    assert (code, findings(report)) == (0, [])

    git(signed, "checkout", "-q", "side")
    replace(signed, VOLUNTEER_FILE, "phone: '13900002000'", "phone: '13900002999'")
    commit(signed, ZHAOMIN, keys["zhaomin"], VOLUNTEER_FILE)
    git(signed, "checkout", "-q", "main")
    git(signed, "merge", "-q", "--no-ff", "--no-commit", "side")
    replace(signed, VOLUNTEER_FILE, "status: approved", "status: suspended")  # slipped in
    evil = commit(signed, ZHAOMIN, None, VOLUNTEER_FILE, message="Merge branch 'side'")
    assert len(git(signed, "log", "-1", "--format=%P").split()) == 2
    code, report = audit(signed)
    assert code == 1
    assert findings(report) == [("committer_not_author", evil), ("vetting_not_allowed", evil)]
    assert "approved → suspended" in report["findings"][1]["message"]


def test_as_needs_her_signing_key_where_signed_commits_are_required(signed, keys):
    head = git(signed, "rev-parse", "HEAD")
    confirm = ("--root", str(signed), "--as", "U430600-0000C002", "child", "confirm", CHILD,
               "--on", "2026-01-05")
    refused = run(*confirm)
    assert refused.exit_code == 2 and "git config gpg.format ssh" in refused.stderr
    git(signed, "config", "gpg.format", "ssh")
    refused = run(*confirm)
    assert refused.exit_code == 2 and "git config commit.gpgsign true" in refused.stderr
    git(signed, "config", "commit.gpgsign", "true")
    refused = run(*confirm)
    assert refused.exit_code == 2 and "git config user.signingkey" in refused.stderr
    git(signed, "config", "user.signingkey", str(keys["tester"]))  # her own key, not 赵敏's
    refused = run(*confirm)
    assert refused.exit_code == 2
    assert "is not one of her 1 signing_keys in records/coordinators.yaml" in refused.stderr
    assert git(signed, "rev-parse", "HEAD") == head  # nothing written
    assert "confirmed_on: '2024-03-20'" in (signed / CHILD_FILE).read_text(encoding="utf-8")

    git(signed, "config", "user.signingkey", str(keys["zhaomin"]))  # at 赵敏's own laptop
    done = run(*confirm)
    assert done.exit_code == 0, done.stderr
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(signed, "cat-file", "commit", "HEAD")
    assert git(signed, "log", "-1", "--format=%an|%ce").strip() == "赵敏|tester@example.org"
    code, report = audit(signed)
    assert (code, findings(report), report["signatures"]["commits"]) == (0, [], 1)
    # a literal key in user.signingkey is compared as well
    git(signed, "config", "user.signingkey", "key::" + public(keys["tester"]))
    assert run(*confirm).exit_code == 2


def test_an_unsigned_as_commit_is_flagged_once_signing_is_required(repo, keys):
    (repo / COORDINATOR_FILE).write_text(coordinators(keys), encoding="utf-8")
    commit(repo, TESTER, None, COORDINATOR_FILE)
    git(repo, "branch", "base")
    done = run("--root", str(repo), "--as", "U430600-0000C002", "child", "confirm", CHILD,
               "--on", "2026-01-05")  # not required yet: today's behaviour, unsigned
    assert done.exit_code == 0, done.stderr
    as_commit = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert audit(repo)[0] == 0  # signing not required: nothing to say
    require_signing(repo)
    required = commit(repo, TESTER, keys["tester"], CONFIG)
    code, report = audit(repo)
    assert code == 1 and required not in {c for _, c in findings(report)}
    assert findings(report) == [("committer_not_author", as_commit)]


def test_history_marks_the_signer_and_a_forged_trailer(signed, keys):
    replace(signed, CHILD_FILE, "risk_level: yellow", "risk_level: orange")
    commit(signed, TESTER, keys["tester"], CHILD_FILE,
           message="aimama child edit\n\nAimama-Command: child edit")
    replace(signed, CHILD_FILE, "risk_level: orange", "risk_level: red")
    commit(signed, ZHAOMIN, None, CHILD_FILE, message="aimama child edit\n\nAimama-Command: child edit")
    replace(signed, CHILD_FILE, "risk_level: red", "risk_level: yellow")
    commit(signed, TESTER, keys["stranger"], CHILD_FILE)
    result = run("--root", str(signed), "history", CHILD, "--format", "json")
    assert result.exit_code == 0, result.stderr
    newest = result.json()["commits"][:3]
    assert [(c["signed"], c["command"], c["command_verified"]) for c in newest] == [
        ("bad", "", False), ("no", "child edit", False), ("yes", "child edit", True)]
    table = run("--root", str(signed), "history", CHILD).output
    assert "[child edit (unverified)] aimama child edit" in table
    assert "signed: yes" in table and "signed: no" in table and "signed: bad" in table


def test_init_writes_a_workflow_that_audits_every_pull_request(tmp_path):
    assert run("init", str(tmp_path / "new"), "--region", "430621").exit_code == 0
    workflow = (tmp_path / "new" / ".github" / "workflows" / "aimama.yml").read_text(encoding="utf-8")
    assert 'aimama audit --since "origin/${{ github.base_ref }}"' in workflow

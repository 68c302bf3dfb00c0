"""`aimama coordinator add|list|edit|retire`: records/coordinators.yaml by command, with
.github/CODEOWNERS rewritten in the same commit; bad input refused with nothing written."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import check_json, git, run

from aimama_cli.store.yamlio import decode, parse

COORDINATORS = "records/coordinators.yaml"
OWNERS = ".github/CODEOWNERS"
ID = re.compile(r"^U[0-9]{6}-[0-9A-HJKMNP-TV-Z]{4,10}$")
FIXTURE = "U430600-0000C001"  # the fixture's coordinator, tester@example.org, county 430621
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf4kC2ZbvT0dPcl3gyFQv0X6cJm0aQ8YbJp7p3Qe6Xk wangfang@laptop"


def aimama(repo: Path, *args):
    return run("--root", str(repo), *args)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def changed_in_head(repo: Path) -> list[str]:
    return sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split())


def owners(repo: Path) -> str:
    return (repo / OWNERS).read_text(encoding="utf-8")


def entry(repo: Path, rid: str) -> dict:
    data = parse(decode((repo / COORDINATORS).read_bytes())).data
    return next(c for c in data["coordinators"] if c["id"] == rid)


def add_wang(repo: Path, *extra) -> str:
    result = aimama(repo, "coordinator", "add", "--name", "王芳", "--email", "wangfang@example.org",
                    "--role", "资格审核", "--role", "roster", "--region", "430621101", *extra)
    assert result.exit_code == 0, result.stderr
    return re.search(r"added coordinator (\S+)", result.output).group(1)


def assert_clean(repo: Path) -> None:
    code, report = check_json(repo)
    assert code == 0, report["problems"]
    assert aimama(repo, "codeowners", "--check").exit_code == 0


def test_add_gives_an_id_and_updates_codeowners_in_the_same_commit(repo):
    rid = add_wang(repo, "--signing-key", KEY)
    assert ID.match(rid) and rid.startswith("U430621-")  # the county of her region
    assert changed_in_head(repo) == [OWNERS, COORDINATORS]
    message = git(repo, "log", "-1", "--format=%B")
    assert f"aimama coordinator add: {rid} 王芳" in message and f"Aimama-Record: {rid}" in message
    assert entry(repo, rid) == {"id": rid, "name": "王芳", "email": "wangfang@example.org",
                                "roles": ["vetting", "roster"], "regions": ["430621101"],
                                "signing_keys": [KEY]}
    assert "# 王芳 <wangfang@example.org>: township 430621101 cannot be told from a file name" in owners(repo)
    assert "/records/children/C430621-* tester@example.org wangfang@example.org" in owners(repo).splitlines()
    listed = aimama(repo, "coordinator", "list", "--format", "json").json()
    assert [c["id"] for c in listed] == [FIXTURE, rid]
    assert listed[1]["signing_keys"] == 1 and listed[1]["retired"] is None
    csv_lines = aimama(repo, "coordinator", "list", "--format", "csv").output.splitlines()
    assert csv_lines[0] == "id,name,email,roles,regions,signing_keys,retired"
    assert f"{rid},王芳,wangfang@example.org,\"vetting,roster\",430621101,1," in csv_lines
    assert "资格审核、名册确认" in aimama(repo, "--lang", "zh", "coordinator", "list").output
    assert_clean(repo)


def test_bad_input_is_refused_and_nothing_written(repo):
    before = head(repo)
    base = ["--name", "李娟", "--role", "roster"]
    cases = [
        (["--email", "lijuan.example.org", "--region", "430621"], 2, "--email"),
        (["--email", "lijuan@example.org", "--region", "430626"], 2, "region 430626 is not listed"),
        (["--email", "lijuan@example.org", "--region", "4306211"], 2, "is not a division code"),
        (["--email", "lijuan@example.org", "--region", "430621", "--role", "boss"], 2, "boss"),
        (["--email", "lijuan@example.org", "--region", "430621", "--signing-key", "not a key"], 2,
         "--signing-key"),
        (["--email", "Tester@Example.org", "--region", "430621"], 1, "already the e-mail of coordinator"),
    ]
    for args, code, words in cases:
        result = aimama(repo, "coordinator", "add", *base, *args)
        assert result.exit_code == code, (args, result.output, result.stderr)
        assert words in result.stderr, (args, result.stderr)
    missing = aimama(repo, "coordinator", "add", "--name", "李娟", "--email", "lijuan@example.org")
    assert missing.exit_code == 2
    assert head(repo) == before and git(repo, "status", "--porcelain") == ""


def test_edit_changes_fields_and_codeowners_together(repo):
    rid = add_wang(repo)
    edited = aimama(repo, "coordinator", "edit", rid, "--set", "regions=430621", "--set",
                    "roles=vetting,roster,结对审批", "--set", f"signing_keys={KEY}")
    assert edited.exit_code == 0, edited.stderr
    assert changed_in_head(repo) == [OWNERS, COORDINATORS]
    assert entry(repo, rid)["roles"] == ["vetting", "roster", "pairing"]
    assert entry(repo, rid)["regions"] == ["430621"]
    assert "cannot be told from a file name" not in owners(repo)  # a county now: no widening
    unset = aimama(repo, "coordinator", "edit", rid, "--unset", "signing_keys")
    assert unset.exit_code == 0 and "signing_keys" not in entry(repo, rid)
    assert_clean(repo)
    before = head(repo)
    for args, code in [(["--set", "id=U430621-AAAAAAAA"], 2), (["--unset", "email"], 2),
                       (["--set", "email=nobody"], 2), (["--set", "email=tester@example.org"], 1), ([], 2)]:
        result = aimama(repo, "coordinator", "edit", rid, *args)
        assert result.exit_code == code, (args, result.stderr)
    assert aimama(repo, "coordinator", "edit", "U430621-NOSUCH00", "--set", "name=某").exit_code == 2
    assert head(repo) == before and git(repo, "status", "--porcelain") == ""


def test_retire_takes_her_out_of_codeowners_and_keeps_her_entry(repo):
    rid = add_wang(repo)
    assert "wangfang@example.org" in owners(repo)
    retired = aimama(repo, "coordinator", "retire", rid, "--on", "2026-10-15", "--reason", "调任")
    assert retired.exit_code == 0, retired.stderr
    assert "retired coordinator" in retired.output
    assert changed_in_head(repo) == [OWNERS, COORDINATORS]
    assert entry(repo, rid)["retired"] == {"on": "2026-10-15", "reason": "调任"}
    assert "wangfang@example.org" not in owners(repo)
    assert [c["id"] for c in aimama(repo, "coordinator", "list", "--format", "json").json()] == [FIXTURE]
    every = aimama(repo, "coordinator", "list", "--all", "--format", "json").json()
    assert every[1]["retired"] == {"on": "2026-10-15", "reason": "调任"}
    assert_clean(repo)
    # `aimama codeowners` by hand agrees: a retired coordinator owns nothing
    assert aimama(repo, "codeowners").exit_code == 0 and "wangfang" not in owners(repo)
    before = head(repo)
    again = aimama(repo, "coordinator", "retire", rid, "--on", "2026-10-20")
    assert again.exit_code == 1 and "retired on 2026-10-15 already" in again.stderr
    acting = aimama(repo, "--as", rid, "region", "add", "430621102", "新开镇")
    assert acting.exit_code == 2 and "retired on 2026-10-15" in acting.stderr
    assert head(repo) == before
    # her e-mail is free for someone serving (a successor re-using a shared mailbox)
    assert aimama(repo, "coordinator", "add", "--name", "赵敏", "--email", "wangfang@example.org",
                  "--role", "roster", "--region", "430621").exit_code == 0


def test_a_new_repository_is_set_up_by_commands_alone(tmp_path):
    """From `init` to a checked repository: a township, its villages from the bureau's table,
    the first coordinator, without editing a YAML file."""
    root = tmp_path / "county"
    assert run("init", str(root), "--region", "430621").exit_code == 0
    table = tmp_path / "codes.csv"
    table.write_text("代码,名称\n430621101000,青松镇\n430621101201,湖滨村委会\n430621101202,桃源村委会\n",
                     encoding="utf-8")
    assert aimama(root, "region", "import", str(table)).exit_code == 0
    added = aimama(root, "coordinator", "add", "--name", "测试员", "--email", "tester@example.org",
                   "--role", "admin", "--region", "430621")
    assert added.exit_code == 0, added.stderr
    text = (root / COORDINATORS).read_text(encoding="utf-8")
    assert "coordinators:\n  - id: U430621-" in text  # `coordinators: []` became a block list
    assert_clean(root)
    assert git(root, "status", "--porcelain") == ""


def test_retiring_before_her_own_decisions_is_refused(repo):
    """AM408: she vetted V430621-0000V001 on 2024-03-10 and confirmed a child on 2024-03-20;
    a retirement dated before them would leave decisions by no one serving."""
    before = head(repo)
    result = aimama(repo, "coordinator", "retire", FIXTURE, "--on", "2024-03-15")
    assert result.exit_code == 1
    assert "AM408" in result.stderr and "C430621-0000C001" in result.stderr  # the confirmation, 03-20
    assert "V430621-0000V001" not in result.stderr  # vetted on 03-10, while serving
    assert head(repo) == before and git(repo, "status", "--porcelain") == ""
    assert aimama(repo, "coordinator", "retire", FIXTURE, "--on", "2024-03-20").exit_code == 0
    # and a decision she is named in after that day is caught by check too
    path = repo / "records" / "volunteers" / "V430621-0000V001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("decided_on: '2024-03-10'",
                                                             "decided_on: '2024-04-01'"), encoding="utf-8")
    code, report = check_json(repo)
    assert code == 1
    assert [(p["record"], p["field"]) for p in report["problems"] if p["code"] == "AM408"] == \
        [("V430621-0000V001", "vetting.decided_by")]

"""Sensitive fields encrypted in git (issue 8): aimama encrypt, keys, transparent reads and
writes, checks with and without the key — through the real CLI, on real git repositories."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import DEMO_IDENTITY, PROJECT, check_json, copy_repository, demo_plain, derived_template, git, run

from aimama_cli.store import schemas
from aimama_cli.store.sealing import crypto, keyring
from aimama_cli.store.sealing.sealed import is_encrypted
from aimama_cli.store.yamlio import decode, parse

ADMIN = "U430600-0000C001"
CHILD = "records/children/C430621-0000C001.yaml"
VOLUNTEER = "records/volunteers/V430621-0000V001.yaml"
PAIRING = "records/pairings/P430621-0000P001.yaml"
TEAM_PAIRING = "records/team_pairings/G430621-0000G001.yaml"
LOG = "records/activities/2026/V430621-0000V001.yaml"
DEMO_CHILD = "records/children/C430621-25AZ81EC.yaml"
CASE = "records/cases/K430621-0000K001.yaml"
TEAM_ACTIVITY = "records/team_activities/2026/A430621-0000A001.yaml"
SUPPORT = "records/support/2026/D430621-0000D001.yaml"
SECOND = """  - id: U430600-0000C002
    name: 测试员二
    email: tester2@example.org
    roles: [vetting]
    regions: ['430621']
"""


def identity(folder: Path, name: str) -> tuple[Path, str]:
    """An age identity file as age-keygen writes it, and its recipient."""
    from pyrage import x25519

    secret = x25519.Identity.generate()
    path = folder / f"{name}.txt"
    path.write_text(f"# created: for a test\n# public key: {secret.to_public()}\n{secret}\n", encoding="utf-8")
    return path, str(secret.to_public())


def read(root: Path, path: str) -> dict:
    return parse(decode((root / path).read_bytes())).data


def sealer_of(root: Path, key: Path) -> crypto.Sealer:
    return crypto.Sealer(keyring.unwrap(keyring.read(root), keyring.load_identity(str(key)), str(key)))


def replace(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert old in text
    (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_sensitive_values(repo: Path) -> None:
    replace(repo, CHILD, "risk_level: yellow", "address: 湖滨村三组 12 号（虚构）\nrisk_level: yellow")
    replace(repo, CHILD, "status: active", "status: active\nnotes: 轻度哮喘，需随身带药（虚构）")
    replace(repo, VOLUNTEER, "status: active", "status: active\nnotes: 夜班护士，周末有空（虚构）")
    (repo / PAIRING).write_text((repo / PAIRING).read_text(encoding="utf-8") + "notes: 孩子怕狗，入户前先打电话\n",
                                encoding="utf-8")
    (repo / TEAM_PAIRING).parent.mkdir(parents=True, exist_ok=True)
    (repo / TEAM_PAIRING).write_text(
        "# 个人资助村队（虚构）\nid: G430621-0000G001\nteam: T430621-0000T001\nby_person:\n  name: 赵建国\n"
        "  phone: '13900002077'\nstarted_on: '2025-06-01'\n", encoding="utf-8")
    replace(repo, LOG, "details: 春节前走访，一起包饺子。", "details: 春节前走访，一起包饺子。\n    concern: 孩子说晚上常做噩梦（虚构）\n"
            "    concern_risk: low")
    (repo / "records/teams/T430621-0000T002.yaml").write_text(
        "id: T430621-0000T002\nname: 县家庭教育服务队\nlevel: professional\nkind: family_education\n"
        "region: '430621101201'\nleader: 刘芳\n", encoding="utf-8")
    (repo / CASE).parent.mkdir(parents=True, exist_ok=True)
    (repo / CASE).write_text(
        "# 家庭教育咨询（虚构）\nid: K430621-0000K001\nkind: family_education\nchild: C430621-0000C001\n"
        "team: T430621-0000T002\nopened_on: '2026-03-10'\nsource:\n  kind: registration\n"
        "summary: 祖母希望学习辅导作业的方法\nsteps:\n  - date: '2026-03-10'\n    kind: consultation\n"
        "    hours: 1\n    notes: 建档咨询\nstatus: closed\nclosed:\n  on: '2026-04-01'\n  reason: resolved\n"
        "  outcome: 祖母已掌握方法\n", encoding="utf-8")
    for path, text in ((TEAM_ACTIVITY, "id: A430621-0000A001\nteam: T430621-0000T001\ndate: '2026-07-20'\n"
                                        "kind: holiday_care\nhours: 3\nvolunteers: [V430621-0000V001]\n"
                                        "children: [C430621-0000C001]\ndetails: 暑期安全课，一名孩子中暑后送医（虚构）\n"),
                       (SUPPORT, "id: D430621-0000D001\nteam: T430621-0000T001\nby_unit: 示例爱心企业（虚构）\n"
                                 "kind: goods\ndescription: 学习用品10套\npledged_amount: '300.00'\n"
                                 "pledged_on: '2026-05-20'\nnotes: 联系人赵先生，电话另存（虚构）\n")):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    (repo / "records/coordinators.yaml").write_text(
        (repo / "records/coordinators.yaml").read_text(encoding="utf-8") + SECOND, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sensitive values")
    exit_code, report = check_json(repo)
    assert exit_code == 0, report["problems"]


# Made once a module and copied for each test (see conftest.py): encrypting costs more than copying.

@pytest.fixture(scope="module")
def plain_template(tmp_path_factory, repo_template) -> Path:
    return derived_template(tmp_path_factory, repo_template, "plain", _add_sensitive_values)


@pytest.fixture(scope="module")
def sealed_template(tmp_path_factory, plain_template):
    key, recipient = identity(tmp_path_factory.mktemp("keys"), "admin")
    before = {}

    def seal(root: Path) -> None:
        before.update({p: read(root, p) for p in (CHILD, VOLUNTEER, PAIRING, TEAM_PAIRING, LOG, CASE, TEAM_ACTIVITY,
                                                   SUPPORT)})
        result = run("--root", str(root), "encrypt", ADMIN, "--recipient", recipient)
        assert result.exit_code == 0, result.stderr

    return derived_template(tmp_path_factory, plain_template, "sealed", seal), key, before


@pytest.fixture
def plain(plain_template, tmp_path) -> Path:
    """The base records with a value in every sensitive field of every kind, and a second coordinator."""
    return copy_repository(plain_template, tmp_path / "records-repo")


@pytest.fixture
def sealed(sealed_template, tmp_path):
    """``plain`` encrypted for ADMIN; returns (root, ADMIN's identity file, the plaintext records)."""
    template, key, before = sealed_template
    return copy_repository(template, tmp_path / "records-repo"), key, copy.deepcopy(before)


# --- encryption -----------------------------------------------------------------------------------

def test_every_sensitive_field_of_every_kind_round_trips(sealed):
    root, key, before = sealed
    sealer = sealer_of(root, key)
    covered = set()
    for path, data in before.items():
        kind = parse_kind(path)
        stored = read(root, path)
        raw = (root / path).read_text(encoding="utf-8")
        for where, value in crypto.sensitive_values(kind, data):
            covered.add((kind, schemas.pattern_of(where)))
            assert is_encrypted(crypto.get(stored, where)), (path, where)
            assert str(value) not in raw, (path, where)  # no plaintext left in the file
        plain_again, failed = sealer.unseal(kind, stored)
        assert failed == []
        plain_again.pop(crypto.BLIND_FIELD, None)
        assert is_encrypted(plain_again.pop(crypto.MAC_FIELD))
        assert plain_again == data
    wanted = {(kind, pattern) for kind in schemas.KINDS for pattern in schemas.info(kind).sensitive}
    assert covered == wanted


def parse_kind(path: str) -> str:
    from aimama_cli.store.layout import classify

    return classify(path)[0]


def test_encrypt_is_one_commit_keeping_comments_and_key_order(sealed):
    root, key, before = sealed
    assert git(root, "log", "-1", "--format=%B").startswith("aimama encrypt:")
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert set(changed) == {"keys.yaml", "aimama.yaml", CHILD, VOLUNTEER, PAIRING, TEAM_PAIRING, LOG, CASE, TEAM_ACTIVITY,
                            SUPPORT}
    assert read(root, "aimama.yaml")["encryption"] == "required"  # CI refuses a change that undoes it
    text = (root / CHILD).read_text(encoding="utf-8")
    assert text.startswith("# 测试用儿童（虚构）\nid: C430621-0000C001\n")
    assert "consent: {given: true, date: '2024-04-01', evidence: 同意书 2024-001}" in text  # flow style kept
    keys = list(read(root, CHILD))
    assert keys[keys.index("id_number") + 1] == "id_number_index"
    assert keys[-1] == "sealed_mac"  # last: the MAC of the encrypted values
    assert [k for k in keys if k not in ("id_number_index", "sealed_mac")] == list(before[CHILD])
    assert (root / TEAM_PAIRING).read_text(encoding="utf-8").startswith("# 个人资助村队（虚构）\n")


def test_keys_yaml_is_readable_and_encrypt_refuses_twice(sealed, tmp_path):
    root, key, _ = sealed
    ring = read(root, "keys.yaml")
    [entry] = ring["recipients"]
    assert entry["coordinator"] == ADMIN and entry["recipient"].startswith("age1")
    assert entry["wrapped"].startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    assert ring["key_id"] == sealer_of(root, key).key_id
    listed = run("--root", str(root), "keys", "list", "--format", "json").json()
    assert listed["recipients"][0]["coordinator"] == ADMIN
    again = run("--root", str(root), "encrypt", ADMIN, "--recipient", entry["recipient"])
    assert again.exit_code == 2 and "already encrypted" in again.stderr


def test_encrypt_refuses_an_unknown_coordinator_or_a_bad_recipient(plain, tmp_path):
    _, recipient = identity(tmp_path, "x")
    unknown = run("--root", str(plain), "encrypt", "U430600-NOBODY01", "--recipient", recipient)
    assert unknown.exit_code == 2 and "U430600-NOBODY01" in unknown.stderr
    bad = run("--root", str(plain), "encrypt", ADMIN, "--recipient", "age1notakey")
    assert bad.exit_code == 2 and "not an age recipient" in bad.stderr
    assert not (plain / "keys.yaml").exists() and git(plain, "status", "--porcelain") == ""


# --- checks with and without the key -------------------------------------------------------------

def test_check_passes_without_a_key_and_with_it(sealed, monkeypatch):
    root, key, _ = sealed
    exit_code, report = check_json(root)
    assert exit_code == 0, report["problems"]
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    exit_code, report = check_json(root)
    assert exit_code == 0, report["problems"]


def test_duplicate_id_number_is_found_without_the_key(sealed):
    """The volunteer is given the child's ID number, encrypted for her record: the ciphertexts
    differ, the blind indexes agree."""
    root, key, before = sealed
    sealer = sealer_of(root, key)
    number = before[CHILD]["id_number"]
    stored = read(root, VOLUNTEER)
    replace(root, VOLUNTEER, stored["id_number"], sealer.encrypt(number, "V430621-0000V001", ("id_number",)))
    replace(root, VOLUNTEER, stored["id_number_index"], sealer.blind(number))
    exit_code, report = check_json(root)
    found = [p for p in report["problems"] if p["code"] == "AM306"]
    assert exit_code == 1 and found
    assert {found[0]["file"], found[0]["field"]} <= {CHILD, VOLUNTEER, "id_number"}


def test_a_duplicate_id_number_written_with_the_key_is_refused(sealed, monkeypatch):
    root, key, before = sealed
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    result = run("--root", str(root), "volunteer", "edit", "V430621-0000V001",
                 "--set", f"id_number={before[CHILD]['id_number']}")
    assert result.exit_code == 1 and "AM306" in result.stderr
    assert git(root, "status", "--porcelain") == ""


def test_blind_index_missing_or_wrong(sealed, monkeypatch):
    root, key, _ = sealed
    index = read(root, CHILD)["id_number_index"]
    replace(root, CHILD, f"id_number_index: {index}\n", "")
    exit_code, report = check_json(root)
    assert exit_code == 1 and [(p["code"], p["field"]) for p in report["problems"]] == [("AM511", "id_number")], report
    replace(root, CHILD, "categories:", f"id_number_index: {'a' * 32}\ncategories:")
    assert check_json(root)[0] == 0  # without the key an index cannot be judged
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    exit_code, report = check_json(root)
    assert [(p["code"], p["field"], p["line"]) for p in report["problems"]] == [("AM512", "id_number_index", 7)]


def test_plaintext_rules_run_with_the_key_and_are_skipped_without(sealed, monkeypatch):
    """A wrong check digit, sealed: only the key holder's check can see it."""
    root, key, before = sealed
    sealer = sealer_of(root, key)
    number = before[CHILD]["id_number"]
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    stored = read(root, CHILD)
    replace(root, CHILD, stored["id_number"], sealer.encrypt(wrong, "C430621-0000C001", ("id_number",)))
    replace(root, CHILD, stored["id_number_index"], sealer.blind(wrong))
    assert check_json(root)[0] == 0
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    exit_code, report = check_json(root)
    assert exit_code == 1 and [p["code"] for p in report["problems"]] == ["AM501", "AM514"]  # a value written by hand


def test_schema_accepts_enc_and_still_explains_bad_values(sealed):
    root, _, _ = sealed
    stored = read(root, VOLUNTEER)
    replace(root, VOLUNTEER, stored["phone"], "ENC[AES256_GCM,data:!!,iv:x,tag:y,type:str]")
    exit_code, report = check_json(root)
    [problem] = [p for p in report["problems"] if p["code"] != "AM911"]  # AM911: not encrypted (the leak scanner)
    assert (problem["code"], problem["field"]) == ("AM206", "phone") and "ENC[AES256_GCM" in problem["message"]
    replace(root, VOLUNTEER, "ENC[AES256_GCM,data:!!,iv:x,tag:y,type:str]", "1390000")
    exit_code, report = check_json(root)
    [problem] = [p for p in report["problems"] if p["code"] != "AM911"]
    assert problem["code"] == "AM206" and "anyOf" not in problem["message"]
    assert "139****" in problem["message"] and "1390000" not in problem["message"]  # masked (issue 19)


# --- tampering, moving, removed keys --------------------------------------------------------------

def test_a_tampered_value_does_not_decrypt(sealed, monkeypatch):
    root, key, _ = sealed
    phone = read(root, CHILD)["guardian"]["phone"]
    data = phone.split("data:")[1].split(",")[0]
    flipped = ("B" if data[0] != "B" else "C") + data[1:]
    replace(root, CHILD, phone, phone.replace(f"data:{data}", f"data:{flipped}"))
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    exit_code, report = check_json(root)
    [problem] = report["problems"]
    assert (problem["code"], problem["file"], problem["field"], problem["line"]) == ("AM110", CHILD, "guardian.phone", 13)
    shown = run("--root", str(root), "child", "show", "C430621-0000C001", "--reveal")
    assert shown.exit_code == 2
    assert f"{CHILD}:13: guardian.phone: the value does not decrypt" in shown.stderr


def test_a_value_moved_to_another_record_or_field_does_not_decrypt(sealed, monkeypatch):
    root, key, _ = sealed
    child, volunteer = read(root, CHILD), read(root, VOLUNTEER)
    replace(root, VOLUNTEER, volunteer["phone"], child["guardian"]["phone"])  # another record
    replace(root, CHILD, child["address"], child["notes"])  # another field
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    exit_code, report = check_json(root)
    assert exit_code == 1
    assert sorted((p["code"], p["file"], p["field"]) for p in report["problems"]) == [
        ("AM110", CHILD, "address"), ("AM110", VOLUNTEER, "phone")]


def test_a_removed_coordinator_cannot_decrypt(sealed, tmp_path, monkeypatch):
    root, admin, _ = sealed
    second, recipient = identity(tmp_path, "second")
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(admin))
    added = run("--root", str(root), "keys", "add", "U430600-0000C002", "--recipient", recipient)
    assert added.exit_code == 0, added.stderr
    assert git(root, "log", "-1", "--format=%s").strip() == "aimama keys add: data key wrapped for U430600-0000C002"
    shown = run("--root", str(root), "--identity", str(second), "child", "show", "C430621-0000C001", "--reveal")
    assert shown.exit_code == 0 and "13900002001" in shown.output
    removed = run("--root", str(root), "keys", "remove", "U430600-0000C002")
    assert removed.exit_code == 0 and "keys rotate" in removed.stderr
    shown = run("--root", str(root), "--identity", str(second), "child", "show", "C430621-0000C001", "--reveal")
    assert shown.exit_code == 2 and "opens none of the keys in keys.yaml" in shown.stderr
    import pyrage

    for entry in keyring.read(root).entries:  # nothing in the new keys.yaml opens with her key
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(keyring._unarmor(entry.wrapped), [keyring.load_identity(str(second))])
    last = run("--root", str(root), "keys", "remove", ADMIN)
    assert last.exit_code == 1 and "last coordinator" in last.stderr


def test_rotate_leaves_nothing_readable_with_the_old_key(sealed, monkeypatch):
    root, key, before = sealed
    old = sealer_of(root, key)
    head = git(root, "rev-parse", "HEAD")
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    result = run("--root", str(root), "keys", "rotate")
    assert result.exit_code == 0, result.stderr
    assert git(root, "rev-list", "--count", f"{head.strip()}..HEAD").strip() == "1"
    new = sealer_of(root, key)
    assert new.key_id != old.key_id
    for path, data in before.items():
        kind = parse_kind(path)
        stored = read(root, path)
        identity_ = crypto.record_identity(kind, stored)
        for where, value in crypto.encrypted_values(kind, stored):
            with pytest.raises(crypto.DecryptFailed):
                old.decrypt(value, identity_, where)
            assert new.decrypt(value, identity_, where) == crypto.get(data, where)
    assert read(root, CHILD)["id_number_index"] == new.blind(before[CHILD]["id_number"])
    assert check_json(root)[0] == 0



def test_rotate_refuses_a_record_with_uncommitted_hand_edits(sealed, monkeypatch):
    """A record edited by hand and not committed would be swept into the rotation's commit:
    refused (exit 1), nothing written, the hand edit and the key as they were."""
    root, key, _before = sealed
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    keys_before = (root / "keys.yaml").read_bytes()
    child = root / CHILD
    child.write_text(child.read_text(encoding="utf-8") + "# 手工备注\n", encoding="utf-8")
    edited = child.read_bytes()
    head = git(root, "rev-parse", "HEAD")
    result = run("--root", str(root), "keys", "rotate")
    assert result.exit_code == 1, result.stderr
    assert CHILD in result.stderr
    assert (root / "keys.yaml").read_bytes() == keys_before and child.read_bytes() == edited
    assert git(root, "rev-parse", "HEAD") == head

# --- writing ---------------------------------------------------------------------------------------

def test_resaving_an_unchanged_value_makes_no_diff(sealed, monkeypatch):
    root, key, before = sealed
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(key))
    head = git(root, "rev-parse", "HEAD")
    same = run("--root", str(root), "child", "edit", "C430621-0000C001",
               "--set", f"guardian.phone={before[CHILD]['guardian']['phone']}")
    assert same.exit_code == 0 and "nothing changed" in same.output
    assert git(root, "status", "--porcelain") == "" and git(root, "rev-parse", "HEAD") == head
    other = run("--root", str(root), "child", "edit", "C430621-0000C001", "--set", "guardian.phone=13900002999",
                "--set", "risk_level=green")
    assert other.exit_code == 0, other.stderr
    diff = [line for line in git(root, "show", "--format=", "-U0", "HEAD").splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(line.split(":")[0] for line in diff) == ["+  phone", "+risk_level", "+sealed_mac", "-  phone", "-risk_level",
                                                           "-sealed_mac"]
    shown = run("--root", str(root), "child", "show", "C430621-0000C001", "--reveal", "--format", "json")
    assert shown.json()["record"]["guardian"]["phone"] == "13900002999"


def test_writing_a_sensitive_value_without_the_key_is_refused(sealed):
    root, _, _ = sealed
    result = run("--root", str(root), "child", "edit", "C430621-0000C001", "--set", "guardian.phone=13900002999")
    assert result.exit_code == 2
    assert f"{CHILD}: guardian.phone: this repository is encrypted" in result.stderr
    assert git(root, "status", "--porcelain") == ""
    other = run("--root", str(root), "child", "edit", "C430621-0000C001", "--set", "risk_level=green")
    assert other.exit_code == 0, other.stderr  # fields that are not sensitive need no key


def test_show_masks_without_reveal_and_refuses_reveal_without_a_key(sealed, monkeypatch):
    root, key, _ = sealed
    masked = run("--root", str(root), "child", "show", "C430621-0000C001", "--format", "json").json()["record"]
    assert masked["guardian"]["phone"] == "[encrypted]" and masked["notes"] == "[encrypted]"
    refused = run("--root", str(root), "child", "show", "C430621-0000C001", "--reveal")
    assert refused.exit_code == 2 and "AIMAMA_AGE_IDENTITY" in refused.stderr
    missing = run("--root", str(root), "--identity", str(root / "nope.txt"), "child", "show", "C430621-0000C001", "--reveal")
    assert missing.exit_code == 2 and "cannot read the age identity" in missing.stderr


# --- the demo ---------------------------------------------------------------------------------------

def test_the_demo_keeps_no_sensitive_value_in_plaintext():
    from aimama_cli.store.layout import classify, scan

    sealed_values = 0
    for path, _ in scan(PROJECT, stat=False):
        kind = classify(path)[0]
        if kind in schemas.KINDS and schemas.info(kind).sensitive:
            data = read(PROJECT, path)
            assert crypto.plaintext_values(kind, data) == [], path
            sealed_values += len(crypto.encrypted_values(kind, data))
    assert sealed_values > 100


def test_the_demo_checks_clean_without_a_key_and_opens_with_the_demo_key(demo, monkeypatch):
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    exit_code, report = check_json(demo)
    assert exit_code == 0 and not [p for p in report["problems"] if p["severity"] == "error"]
    shown = run("--root", str(demo), "child", "show", "C430621-25AZ81EC", "--format", "json").json()["record"]
    assert shown["id_number"] == "[encrypted]"
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(DEMO_IDENTITY))
    shown = run("--root", str(demo), "child", "show", "C430621-25AZ81EC", "--reveal", "--format", "json").json()["record"]
    assert len(shown["id_number"]) == 18 and shown["id_number"] == demo_plain(demo, DEMO_CHILD)["id_number"]
    exit_code, report = check_json(demo)
    assert exit_code == 0 and not [p for p in report["problems"] if p["severity"] == "error"]

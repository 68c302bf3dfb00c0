"""Tamper evidence and no downgrade of encryption (issue 18): a MAC per record over its encrypted
values, ``check --changed-since`` judging a change against its base without a key, identities
given that do not open the key, and no leak finding in what aimama writes itself — through the
real CLI, on a copy of the encrypted demo in a real git repository."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import AS_OF, DEMO_IDENTITY, check_json, git, run

from aimama_cli.rules.leaks import numbers_in_other_fields
from aimama_cli.store.analysis import FileContext
from aimama_cli.store.sealing import crypto, leaks

CHILD = "records/children/C430621-25AZ81EC.yaml"
CHILD_ID = "C430621-25AZ81EC"
LOG = "records/activities/2025/V430621-2G3VKPT8.yaml"
PLAIN_ID_NUMBER = "430621201809140020"  # fictional, valid check character


def text(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def write(root: Path, path: str, content: str) -> None:
    (root / path).write_text(content, encoding="utf-8")


def line_of(root: Path, path: str, key: str) -> str:
    [found] = [line for line in text(root, path).splitlines() if line.lstrip().startswith(f"{key}:")]
    return found


def codes(report: dict) -> list[tuple]:
    return sorted((p["code"], p["file"], p["field"]) for p in report["problems"] if p["severity"] == "error")


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


@pytest.fixture
def keyless(monkeypatch):
    """CI, a reviewer: no identity."""
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY", raising=False)


# --- the MAC, with the key ------------------------------------------------------------------------

def test_the_demo_checks_clean_with_its_macs(demo):
    exit_code, report = check_json(demo)
    assert exit_code == 0 and codes(report) == []
    assert line_of(demo, CHILD, "sealed_mac").startswith("sealed_mac: ENC[AES256_GCM,")


def test_a_value_put_back_from_history_is_found_with_the_key(demo, monkeypatch):
    """The old ciphertext decrypts (same record, same field, same key): only the MAC tells."""
    old = line_of(demo, CHILD, "phone")
    changed = run("--root", str(demo), "child", "edit", CHILD_ID, "--set", "guardian.phone=13900001234")
    assert changed.exit_code == 0, changed.stderr
    assert check_json(demo)[0] == 0
    write(demo, CHILD, text(demo, CHILD).replace(line_of(demo, CHILD, "phone"), old))
    exit_code, report = check_json(demo)
    assert exit_code == 1 and codes(report) == [("AM514", CHILD, "sealed_mac")]
    [problem] = [p for p in report["problems"] if p["severity"] == "error"]
    assert problem["line"] == len(text(demo, CHILD).splitlines())  # sealed_mac: the file's last line
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    assert check_json(demo)[0] == 0  # without the key a replayed value cannot be told


def test_two_log_entries_details_swapped_are_found_with_the_key(demo):
    content = text(demo, LOG)
    first, second = re.findall(r"    details: ENC\[[^\n]*\n", content)[:2]
    write(demo, LOG, content.replace(first, "\0").replace(second, first).replace("\0", second))
    exit_code, report = check_json(demo)
    assert exit_code == 1 and codes(report) == [("AM514", LOG, "sealed_mac")]


def test_an_encrypted_value_deleted_is_found_with_the_key(demo):
    write(demo, CHILD, text(demo, CHILD).replace(line_of(demo, CHILD, "notes") + "\n", ""))
    exit_code, report = check_json(demo)
    assert exit_code == 1 and codes(report) == [("AM514", CHILD, "sealed_mac")]


def test_a_mac_removed_is_found_without_the_key(demo, keyless):
    write(demo, CHILD, text(demo, CHILD).replace(line_of(demo, CHILD, "sealed_mac") + "\n", ""))
    exit_code, report = check_json(demo)
    assert exit_code == 1 and codes(report) == [("AM513", CHILD, None)]


def test_a_tampered_record_is_not_sealed_again(demo):
    """Saving a record whose MAC is wrong would make the tampering vanish: refused, nothing written."""
    write(demo, CHILD, text(demo, CHILD).replace(line_of(demo, CHILD, "notes") + "\n", ""))
    commit_all(demo, "notes deleted by hand")
    before = text(demo, CHILD)
    result = run("--root", str(demo), "child", "edit", CHILD_ID, "--set", "guardian.phone=13900001234")
    assert result.exit_code == 1 and f"{CHILD}: the encrypted values of this record do not match its MAC" in result.stderr
    assert text(demo, CHILD) == before


def test_other_fields_change_without_a_key_and_the_mac_holds(demo, monkeypatch, keyless):
    result = run("--root", str(demo), "child", "edit", CHILD_ID, "--set", "risk_level=red")
    assert result.exit_code == 0, result.stderr
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", str(DEMO_IDENTITY))
    exit_code, report = check_json(demo)
    assert exit_code == 0 and codes(report) == []


# --- a change judged against its base, without a key ------------------------------------------------

def test_the_tester_s_downgrade_fails_ci(demo, keyless):
    """`git rm keys.yaml`, a plaintext ID number in a child, one commit: CI refuses it."""
    git(demo, "rm", "-q", "keys.yaml")
    write(demo, CHILD, re.sub(r"id_number: .*", f"id_number: '{PLAIN_ID_NUMBER}'", text(demo, CHILD), count=1))
    commit_all(demo, "downgrade")
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 1
    assert ("AM515", "keys.yaml", None) in codes(report) and ("AM911", CHILD, "id_number") in codes(report)
    assert PLAIN_ID_NUMBER not in str(report)


def test_encryption_turned_off_with_keys_yaml_fails_ci(demo, keyless):
    git(demo, "rm", "-q", "keys.yaml")
    write(demo, "aimama.yaml", text(demo, "aimama.yaml").replace("encryption: required\n", ""))
    write(demo, CHILD, re.sub(r"id_number: .*", f"id_number: '{PLAIN_ID_NUMBER}'", text(demo, CHILD), count=1))
    commit_all(demo, "encryption off")
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 1
    assert {("AM515", "keys.yaml", None), ("AM517", "aimama.yaml", "encryption"),
            ("AM911", CHILD, "id_number")} <= set(codes(report))
    assert check_json(demo)[0] == 0  # the repository alone looks plaintext: only its base tells


def test_an_older_keys_yaml_put_back_fails_ci(demo, monkeypatch):
    rotated = run("--root", str(demo), "keys", "rotate")
    assert rotated.exit_code == 0, rotated.stderr
    git(demo, "checkout", "HEAD~1", "--", "keys.yaml")
    commit_all(demo, "keys.yaml as it was")
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")  # CI: no key
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 1 and codes(report) == [("AM516", "keys.yaml", "serial")]


def test_an_older_keys_yaml_with_a_higher_serial_fails_ci(demo, monkeypatch):
    """A rotated-away data key is named in keys.yaml: bumping the serial of an old one does not pass."""
    old = text(demo, "keys.yaml")
    assert run("--root", str(demo), "keys", "rotate").exit_code == 0
    write(demo, "keys.yaml", old.replace("version: 1\n", "version: 1\nserial: 7\n"))
    commit_all(demo, "keys.yaml as it was, newer serial")
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 1 and [c for c, _f, _ in codes(report)] == ["AM516"]


def test_a_mac_dropped_with_the_values_fails_ci(demo, keyless):
    content = text(demo, CHILD)
    for key in ("id_number", "id_number_index", "phone", "notes", "sealed_mac"):
        content = content.replace(line_of(demo, CHILD, key) + "\n", "")
    write(demo, CHILD, content)
    commit_all(demo, "values and MAC gone")
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 1 and ("AM513", CHILD, None) in codes(report)


@pytest.mark.parametrize("command", [["keys", "rotate"], ["child", "edit", CHILD_ID, "--set", "guardian.phone=13900004321"]])
def test_changes_made_with_aimama_pass_ci(demo, monkeypatch, command):
    result = run("--root", str(demo), *command)
    assert result.exit_code == 0, result.stderr
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    exit_code, report = check_json(demo, "--changed-since", "HEAD~1")
    assert exit_code == 0, report["problems"]
    assert codes(report) == []


def test_keys_added_and_removed_pass_ci(demo, tmp_path, monkeypatch):
    from pyrage import x25519

    recipient = str(x25519.Identity.generate().to_public())
    added = run("--root", str(demo), "keys", "add", "U430600-TA6M4G7H", "--recipient", recipient)
    assert added.exit_code == 0, added.stderr
    removed = run("--root", str(demo), "keys", "remove", "U430600-TA6M4G7H")
    assert removed.exit_code == 0, removed.stderr
    assert "serial: 2\n" in text(demo, "keys.yaml")
    monkeypatch.delenv("AIMAMA_AGE_IDENTITY")
    for base in ("HEAD~1", "HEAD~2"):
        exit_code, report = check_json(demo, "--changed-since", base)
        assert exit_code == 0 and codes(report) == [], base


def test_rotation_records_the_key_it_replaced(demo):
    before = run("--root", str(demo), "keys", "list", "--format", "json").json()["key_id"]
    assert run("--root", str(demo), "keys", "rotate").exit_code == 0
    keys = text(demo, "keys.yaml")
    assert "serial: 1\n" in keys and f"previous_key_ids:\n  - '{before}'\n" in keys


# --- explicit identities fail loudly ------------------------------------------------------------------

def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.txt"
    path.write_text("not an age identity\n", encoding="utf-8")
    return path


def _stranger(tmp_path: Path) -> Path:
    from pyrage import x25519

    path = tmp_path / "stranger.txt"
    path.write_text(f"{x25519.Identity.generate()}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("identity, says", [
    (lambda tmp: tmp / "missing.txt", "cannot read the age identity"),
    (lambda tmp: tmp, "is not a regular file"),
    (lambda tmp: Path("/dev/zero"), "is not a regular file"),
    (_garbage, "holds no age identity"),
    (_stranger, "opens none of the keys in keys.yaml"),
])
@pytest.mark.parametrize("command", [["check"], ["child", "list"], ["report", "coverage"], ["keys", "list"], ["diff", "HEAD"]])
def test_an_identity_given_that_does_not_open_the_key_is_exit_2(demo, tmp_path, monkeypatch, identity, says, command):
    given = str(identity(tmp_path))
    result = run("--root", str(demo), "--identity", given, *command)
    assert result.exit_code == 2 and says in result.stderr, result.stderr
    monkeypatch.setenv("AIMAMA_AGE_IDENTITY", given)  # the same through the environment
    result = run("--root", str(demo), *command)
    assert result.exit_code == 2 and says in result.stderr, result.stderr


@pytest.mark.parametrize("broken, says", [
    ("key_id: [unclosed\n", "keys.yaml:2: cannot read the keys file"),
    ("version: 1\nrecipients: []\n", "keys.yaml:1: key_id is missing or malformed"),
    ("version: 1\nkey_id: 'ab'\nrecipients: nobody\n", "keys.yaml:3: recipients is missing or malformed"),
])
def test_a_keys_yaml_that_does_not_parse_is_exit_2_key_or_not(demo, monkeypatch, broken, says):
    write(demo, "keys.yaml", broken)
    for _ in range(2):
        for command in (["check"], ["child", "list"]):
            result = run("--root", str(demo), *command)
            assert result.exit_code == 2 and says in result.stderr, (command, result.stderr)
        monkeypatch.delenv("AIMAMA_AGE_IDENTITY", raising=False)


def test_a_check_without_a_key_says_in_one_line_what_it_skipped(demo, keyless):
    result = run("--root", str(demo), "check", "--as-of", AS_OF)
    assert result.exit_code == 0
    [note] = result.stderr.splitlines()
    assert note.startswith("note: encrypted repository, no age identity given") and "skipped" in note
    with_key = run("--root", str(demo), "--identity", str(DEMO_IDENTITY), "check", "--as-of", AS_OF)
    assert with_key.exit_code == 0 and with_key.stderr == ""


# --- no leak finding in what aimama writes ------------------------------------------------------------

def test_a_blind_index_shaped_like_a_mobile_number_is_not_a_leak(demo, keyless):
    """About one rotation in seven gave the demo such an index (AM913 refused honest changes)."""
    index = line_of(demo, CHILD, "id_number_index").split(": ")[1]
    write(demo, CHILD, text(demo, CHILD).replace(index, "ab13812345678cd" + index[15:]))
    exit_code, report = check_json(demo)
    assert exit_code == 0 and not [p for p in report["problems"] if p["code"].startswith("AM91")]


def test_no_leak_finding_in_100000_random_indexes_macs_and_ciphertexts():
    """The leak rule over records holding random blind indexes, MACs and encrypted values, and the
    matcher over random hex digests (a key id or commit id in a commit message): nothing found."""
    rng = random.Random(18)
    sealer = crypto.Sealer(bytes(32))
    found = []
    for i in range(100_000):
        index = f"{rng.getrandbits(128):032x}"
        enc = sealer.encrypt(str(rng.getrandbits(64)), "C430621-25AZ81EC", ("notes",))
        data = {"id": "C430621-25AZ81EC", "id_number_index": index, "sealed_mac": enc,
                "parents": f"ENC[AES256_GCM,data:{rng.randbytes(30).hex()},iv:AAAAAAAAAAAAAAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]"}
        found += numbers_in_other_fields(FileContext("records/children/C430621-25AZ81EC.yaml", "child", data, None, True))
        found += leaks.find(f"aimama keys rotate: new data key {index[:16]}\n\ncommit {rng.getrandbits(160):040x}")
    assert found == []
    # the same matcher still finds a number written in text
    assert [kind for kind, _shown, _at in leaks.find("电话 13812345678，身份证 430621201809140020")] == ["phone", "id_number"]

"""Masking everywhere (issue 8): every command that shows or exports record values masks the
sensitive ones unless --reveal, and never prints an encrypted value's ciphertext — revealed or
not, an ENC value reads ``[encrypted]``."""

from __future__ import annotations

import pytest
from conftest import AS_OF, drop_encryption, git, run

CHILD = "C430621-0000C001"
VOLUNTEER = "V430621-0000V001"
CHILD_FILE = f"records/children/{CHILD}.yaml"
VOLUNTEER_FILE = f"records/volunteers/{VOLUNTEER}.yaml"
# the fixture's plaintext sensitive values
CHILD_ID, GUARDIAN_PHONE = "430621201503089920", "13900002001"
VOLUNTEER_ID, VOLUNTEER_PHONE = "430621198506159942", "13900002000"
ENC = "ENC[AES256_GCM,data:c2VjcmV0,iv:aXZpdml2aXZpdml2,tag:dGFndGFndGFndGFndGFn,type:str]"

# every command that displays or exports record values, as a user runs it
COMMANDS = {
    "child show": ["child", "show", CHILD, "--as-of", AS_OF],
    "child show json": ["child", "show", CHILD, "--format", "json", "--as-of", AS_OF],
    "volunteer show": ["volunteer", "show", VOLUNTEER, "--as-of", AS_OF],
    "volunteer show json": ["volunteer", "show", VOLUNTEER, "--format", "json", "--as-of", AS_OF],
    "child list json": ["child", "list", "--format", "json", "--as-of", AS_OF],
    "volunteer list": ["volunteer", "list", "--as-of", AS_OF],
    "history": ["history", CHILD],
    "history json": ["history", VOLUNTEER, "--format", "json"],
    "diff": ["diff", "HEAD~1..HEAD"],
    "diff json": ["diff", "HEAD~1..HEAD", "--format", "json"],
    "report coverage": ["report", "coverage", "--format", "json", "--as-of", AS_OF],
    "report duties": ["report", "duties", "--format", "json", "--as-of", AS_OF],
    "report volunteers": ["report", "volunteers", "--format", "json", "--as-of", AS_OF],
    "export roster": ["export", "roster", "--format", "csv", "--output", "-", "--as-of", AS_OF],
    "export hours": ["export", "hours", "--year", "2026", "--format", "csv", "--output", "-"],
    "duty check": ["duty", "check", "--format", "json", "--as-of", AS_OF],
    "duty remind": ["duty", "remind", "--as-of", AS_OF],
    "pair suggest": ["pair", "suggest", CHILD, "--as-of", AS_OF],
    "pledge print": ["pledge", "print", "S430621-0000S001", "--format", "md"],
}
REVEALING = {"child show", "child show json", "volunteer show", "volunteer show json", "history",
             "history json", "export roster", "export hours"}


def set_values(root, rel, pairs, message):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", message)


def shown(root, args) -> str:
    result = run("--root", str(root), *args)
    assert result.exit_code in (0, 1), (args, result.stderr)  # 1: duties overdue
    return result.output


@pytest.fixture
def changed(repo):
    """The fixture with the sensitive values changed in the last commit (so history and diff
    show them)."""
    set_values(repo, CHILD_FILE, [(GUARDIAN_PHONE, "13900002009")], "监护人换了电话")
    set_values(repo, VOLUNTEER_FILE, [(VOLUNTEER_PHONE, "13900002008")], "志愿者换了电话")
    return repo


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_sensitive_values_are_masked_by_default(changed, name):
    out = shown(changed, COMMANDS[name])
    for value in (CHILD_ID, GUARDIAN_PHONE, "13900002009", VOLUNTEER_ID, VOLUNTEER_PHONE, "13900002008"):
        assert value not in out, (name, value)


@pytest.fixture
def sealed(repo):
    """The fixture with its sensitive values encrypted (ciphertext shaped by hand: no key)."""
    set_values(repo, CHILD_FILE, [(f"'{CHILD_ID}'", f"'{ENC}'"), (f"'{GUARDIAN_PHONE}'", f"'{ENC}'")],
               "encrypt the child")
    set_values(repo, VOLUNTEER_FILE, [(f"'{VOLUNTEER_ID}'", f"'{ENC}'"), (f"'{VOLUNTEER_PHONE}'", f"'{ENC}'")],
               "encrypt the volunteer")
    return repo


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_encrypted_values_never_show_as_ciphertext(sealed, name):
    args = COMMANDS[name]
    outputs = [shown(sealed, args)] + ([shown(sealed, args + ["--reveal"])] if name in REVEALING else [])
    for out in outputs:
        assert "ENC[" not in out and "c2VjcmV0" not in out, name


def test_revealed_show_says_encrypted(sealed):
    out = shown(sealed, ["child", "show", CHILD, "--reveal", "--as-of", AS_OF])
    assert "[encrypted]" in out
    record = run("--root", str(sealed), "volunteer", "show", VOLUNTEER, "--reveal", "--format", "json",
                 "--as-of", AS_OF).json()["record"]
    assert record["phone"] == "[encrypted]"
    history = run("--root", str(sealed), "history", VOLUNTEER, "--reveal", "--format", "json").json()
    assert any(c["new"] == "[encrypted]" for commit in history["commits"] for c in commit["changes"])



@pytest.mark.parametrize("lang, word", [("zh", "[已加密]"), ("en", "[encrypted]")])
def test_an_encrypted_value_reads_in_the_language_in_force(sealed, lang, word):
    """Issue 21: a Chinese coordinator without the key reads [已加密], never the English word, in
    show and history alike (masked or revealed)."""
    for args in (["child", "show", CHILD, "--as-of", AS_OF], ["volunteer", "show", VOLUNTEER, "--reveal", "--as-of", AS_OF],
                 ["history", VOLUNTEER], ["history", VOLUNTEER, "--reveal"]):
        out = shown(sealed, ["--lang", lang, *args])
        assert word in out, (lang, args)
        if lang == "zh":
            assert "[encrypted]" not in out and "encrypted" not in out.lower(), args


CASE = "K430621-161ZAJEK"
CASE_FILE = f"records/cases/{CASE}.yaml"
SUMMARY = "祖辈隔代抚养，监护人希望学习与孩子沟通、辅导作业的方法。"


def test_case_notes_and_summary_are_masked_and_never_ciphertext(demo):
    for args in (["case", "show", CASE, "--as-of", AS_OF], ["case", "show", CASE, "--format", "json", "--as-of", AS_OF],
                 ["case", "list", "--format", "json"], ["report", "cases", "--year", "2026", "--format", "json"]):
        out = shown(demo, args)
        assert SUMMARY not in out and "建档咨询" not in out, args
    assert SUMMARY in shown(demo, ["case", "show", CASE, "--reveal", "--as-of", AS_OF])
    # the demo is encrypted: its summary replaced by a value no key opens, in a repository without
    # keys.yaml (with the key, a value that does not decrypt is refused, naming file and field)
    stored = [line for line in (demo / CASE_FILE).read_text(encoding="utf-8").splitlines() if line.startswith("summary: ")]
    drop_encryption(demo)
    set_values(demo, CASE_FILE, [(stored[0], f"summary: '{ENC}'")], "a case summary no key opens")
    for fmt in ("text", "json"):
        out = shown(demo, ["case", "show", CASE, "--reveal", "--format", fmt, "--as-of", AS_OF])
        assert "ENC[" not in out and "[encrypted]" in out, fmt

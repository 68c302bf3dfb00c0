"""The commits aimama makes are summarised in the coordinator's language (issue 21): under
--lang zh the subject reads ``aimama child consent: C… 已撤回同意``, while the ``aimama COMMAND:``
prefix and the Aimama-Command/Aimama-Record trailers, which tools read, stay as they are."""

from __future__ import annotations

import pytest
from conftest import AS_OF, git, run

CHILD = "C430621-0000C001"
PAIRING = "P430621-0000P001"


def withdraw(repo, lang: str):
    result = run("--lang", lang, "--root", str(repo), "child", "consent", CHILD, "--withdrawn", "--on", AS_OF,
                 "--reason", "监护人不再同意", "--end-pairings")
    assert result.exit_code == 0, result.stderr
    return git(repo, "log", "-1", "--format=%s").strip()


@pytest.mark.parametrize("lang, subject", [("zh", f"aimama child consent: {CHILD} 已撤回同意"),
                                           ("en", f"aimama child consent: {CHILD} consent withdrawn")])
def test_a_commit_subject_is_in_the_language_in_force(repo, lang, subject):
    assert withdraw(repo, lang) == subject
    trailers = git(repo, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert [line for line in trailers if line] == ["Aimama-Command: child consent", f"Aimama-Record: {CHILD}",
                                                   f"Aimama-Record: {PAIRING}"]


def test_history_and_audit_read_a_chinese_commit(repo):
    subject = withdraw(repo, "zh")
    history = run("--lang", "zh", "--root", str(repo), "history", CHILD, "--format", "json")
    assert history.exit_code == 0, history.stderr
    newest = history.json()["commits"][0]
    assert newest["command"] == "child consent" and newest["subject"] == subject
    shown = run("--lang", "zh", "--root", str(repo), "history", CHILD)
    assert subject in shown.output and "commit " not in shown.output and "提交 " in shown.output
    audited = run("--lang", "zh", "--root", str(repo), "audit", "--since", "HEAD~1", "--format", "json")
    assert audited.exit_code in (0, 1), audited.stderr
    assert audited.json()["commits"] == 1  # the Chinese commit, read and held against the roles


def test_a_batch_summary_is_in_the_language_in_force(repo):
    """A batch's subject counts its records in the same language (``…，共 1 条记录``)."""
    result = run("--lang", "zh", "--root", str(repo), "volunteer", "vet", "V430621-0000V001", "V430621-0000V001",
                 "--suspend", "--reason", "暂停服务", "--on", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "aimama volunteer vet: 已暂停，共 1 条记录"

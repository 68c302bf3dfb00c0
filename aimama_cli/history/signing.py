"""Signed commits: who really made a commit, rather than who it says made it.

A commit's author is whatever name and e-mail the person committing typed.  With
``require_signed_commits: true`` in aimama.yaml, commits are signed with SSH keys and each
coordinator lists hers in records/coordinators.yaml (``signing_keys``).  Git verifies each
signature itself (``%G?``, ``%GS``) against an allowed-signers file written here into a
temporary folder from the coordinators *as of the base* of what is audited, so a branch cannot
bring the key it is signed with; the principal of each key is its coordinator's id.

What each commit gets (:func:`verdict`): nothing when it is signed by its author's key; else
one of ``unsigned``, ``committer_not_author`` (unsigned, and committed by someone other than
its author: ``aimama --as`` or a commit made for somebody), ``bad_signature`` (does not verify,
a key no coordinator had, or a signature git cannot check: GPG is not supported) or
``signer_not_author`` (a coordinator's key, but another coordinator's, or an author who is no
coordinator).  A merge that brings nothing of its own (git's own merge of its parents gives the
same tree: ``--remerge-diff``) needs no signature: a forge's merge button makes those.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core import ids
from aimama_cli.core.errors import UsageError
from aimama_cli.history.coordinators import Coordinator, data_of, public_key
from aimama_cli.store import gitio, layout

SETTING = "require_signed_commits"  # in aimama.yaml
GOOD, NONE, BAD, UNKNOWN_KEY = "G", "N", "B", "U"  # git's %G? (E: cannot check; X, Y, R: expired, revoked)


@dataclass(frozen=True)
class Signed:
    """One commit and git's verdict on its signature."""

    sha: str
    merge: bool
    author: str
    email: str
    committer: str
    committer_email: str
    date: str
    status: str  # %G?
    key: str  # the key's fingerprint (%GK)
    signer: str  # the coordinator id whose key signed it (%GS), "" if none


def required(tree: gitio.Worktree, *revs: str) -> bool:
    """Whether aimama.yaml in any of ``revs`` sets ``require_signed_commits: true`` (the base
    of a range and its head: a branch can neither drop the requirement nor escape one it adds)."""
    names = [f"{rev}:{tree.prefix}{layout.CONFIG}" for rev in revs]
    found = gitio.read_blobs(tree.top, names)
    return any(_requires(data_of(found.get(name))) for name in names)


def required_here(root: Path) -> bool:
    """Whether aimama.yaml in the work tree requires signed commits (``--as``)."""
    try:
        return _requires(data_of((root / layout.CONFIG).read_bytes()))
    except OSError:
        return False


def _requires(data) -> bool:
    return isinstance(data, dict) and data.get(SETTING) is True


def allowed_signers(people: list[Coordinator]) -> str:
    """git's allowed-signers file: one line per key, its coordinator's id as the principal.  A
    key two coordinators list is left to the first (a signature cannot say which one signed);
    an id that is no coordinator id is left out (git reads principals as patterns)."""
    lines, seen = [], set()
    for person in people:
        if not ids.ID_RE.fullmatch(person.id):  # a principal is a pattern: no wildcard, no new line
            continue
        for key in person.signing_keys:
            if key not in seen:
                seen.add(key)
                lines.append(f'{person.id} namespaces="git" {key}\n')
    return "".join(lines)


@contextmanager
def signers_file(people: list[Coordinator]):
    """An allowed-signers file of ``people``'s keys, in a temporary folder while it is used."""
    with tempfile.TemporaryDirectory(prefix="aimama-signers-") as folder:
        path = Path(folder) / "allowed_signers"
        path.write_text(allowed_signers(people), encoding="utf-8")
        yield path


def signatures(tree: gitio.Worktree, revisions: str, people: list[Coordinator]) -> list[Signed]:
    """Every commit of ``revisions``, oldest first, verified against ``people``'s keys; a merge
    counts as a merge only if it brings nothing of its own."""
    with signers_file(people) as path:
        rows = gitio.signatures(tree.top, revisions, path)
    own = gitio.merges_with_own_changes(tree.top, revisions) if any(" " in r[1] for r in rows) else set()
    return [Signed(sha, " " in parents and sha not in own, *rest)
            for sha, parents, *rest in (r[:10] for r in rows)]


def verdict(commit: Signed, people: dict[str, Coordinator]) -> tuple[str, str, dict] | None:
    """(finding kind, message key, parameters) for a commit not signed by its author, else None;
    ``people`` by e-mail, lower case."""
    if commit.merge:
        return None
    author = people.get(commit.email.lower())
    if commit.status == NONE:
        if commit.committer_email.lower() != commit.email.lower():
            return ("committer_not_author", "signing.committer_not_author",
                    {"committer": f"{commit.committer} <{commit.committer_email}>"})
        return "unsigned", "signing.unsigned", {}
    if commit.status == GOOD and commit.signer:
        if author is not None and author.id == commit.signer:
            return None
        return ("signer_not_author", "signing.signer_not_author",
                {"signer": commit.signer, "author": author.id if author else "-"})
    why = {BAD: "signing.bad_signature.bad", UNKNOWN_KEY: "signing.bad_signature.unknown_key"}
    return ("bad_signature", why.get(commit.status, "signing.bad_signature.unchecked"),
            {"key": commit.key or "-", "status": commit.status})


def mark(commit: Signed, people: dict[str, Coordinator]) -> str:
    """How ``history`` marks a commit: yes (signed by its author), no (not signed), bad."""
    found = verdict(commit, people)
    if found is None:
        return "yes"
    return "no" if found[0] in ("unsigned", "committer_not_author") else "bad"


# --- aimama --as -------------------------------------------------------------------------------

def check_as(root: Path, person: Coordinator) -> None:
    """``aimama --as ID`` in a repository that requires signed commits: the signing key git is
    configured with must be one of hers, and git must sign with it; else exit 2 with why."""
    if not required_here(root):
        return
    tree = gitio.worktree(root)
    if gitio.config(tree.top, "gpg.format") != "ssh":
        raise UsageError("as.signing.format", id=person.id)
    if gitio.config(tree.top, "commit.gpgsign", "bool") != "true":  # as aimama's commits ask
        raise UsageError("as.signing.off", id=person.id)
    setting = gitio.config(tree.top, "user.signingkey")
    if not setting:
        raise UsageError("as.signing.no_key", id=person.id)
    key = configured_key(setting, tree.top)
    if key is None:
        raise UsageError("as.signing.unreadable", id=person.id, setting=setting)
    if key not in person.signing_keys:
        raise UsageError("as.signing.not_hers", id=person.id, setting=setting,
                         listed=len(person.signing_keys))


def configured_key(setting: str, top: Path) -> str | None:
    """The public key of git's ``user.signingkey``: a literal key (``key::`` optional), a public
    key file, or a private key file (its ``.pub`` beside it, else ``ssh-keygen -y``)."""
    literal = public_key(setting.removeprefix("key::"))
    if literal:
        return literal
    path = (top / Path(setting).expanduser())
    for candidate in (path, path.with_name(path.name + ".pub")):
        try:
            found = public_key(candidate.read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError):
            continue
        if found:
            return found
    try:  # a private key without its .pub: ssh-keygen derives it (fails on a passphrase)
        proc = subprocess.run(["ssh-keygen", "-y", "-P", "", "-f", str(path)], capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return public_key(proc.stdout.strip()) if proc.returncode == 0 else None

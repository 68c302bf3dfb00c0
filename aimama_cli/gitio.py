"""The few git operations aimama needs, through GitPython."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError


def _repo(root: Path):
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError("git.not_repo", path=str(root)) from None


def changed_since(root: Path, rev: str) -> list[str]:
    """Files (relative to ``root``) that differ from ``rev``: committed since, staged, unstaged
    or untracked."""
    import git

    repo = _repo(root)
    top = Path(repo.working_tree_dir).resolve()
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")
    except git.GitCommandError:
        raise UsageError("git.bad_rev", rev=rev) from None
    names = repo.git.diff("--name-only", "--no-renames", "-z", rev, "--").split("\0")
    names += repo.git.ls_files("--others", "--exclude-standard", "-z").split("\0")
    result = set()
    for name in filter(None, names):
        path = (top / name).resolve()
        try:
            result.add(path.relative_to(root.resolve()).as_posix())
        except ValueError:
            continue  # outside the records root
    return sorted(result)


def init(root: Path) -> None:
    import git

    git.Repo.init(root, initial_branch="main")


def commit_all(root: Path, message: str) -> str:
    """Stage everything under ``root`` and commit; the author comes from git config, else a
    neutral aimama identity (a new machine may have none configured)."""
    repo = _repo(root)
    repo.git.add("-A")
    reader = repo.config_reader()
    env = {}
    if not reader.has_option("user", "email"):
        env = {"GIT_AUTHOR_NAME": "aimama", "GIT_AUTHOR_EMAIL": "aimama@localhost",
               "GIT_COMMITTER_NAME": "aimama", "GIT_COMMITTER_EMAIL": "aimama@localhost"}
    with repo.git.custom_environment(**env):
        repo.git.commit("-q", "-m", message)
    return repo.head.commit.hexsha

"""The git operations aimama needs.

Plumbing that runs on every check (which files changed) calls ``git`` directly with ``-z``
output, as pre-commit does: it is faster than GitPython for that.  Commits go through GitPython.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager, suppress
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.store import trees

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_STARTED: dict[tuple[str, str], subprocess.Popen] = {}  # git commands started ahead of need
_HISTORY: dict[tuple[str, str], tuple] = {}  # the same for history: (process, the file it writes to)
_TOPS: dict[str, Path] = {}  # records root -> the top of its work tree, as git said
_GIT_DIRS: dict[Path, Path] = {}  # top of a work tree -> its git folder
_AUTHOR: dict[str, str] = {}  # GIT_AUTHOR_NAME/EMAIL while a command runs `aimama --as` someone


class GitError(Exception):
    pass


class Blobs:
    """One ``git cat-file --batch`` process for every blob the diff reads (or tree, as asked).  Requests are written
    by a thread while answers are read, so a large batch cannot fill both pipes and stall."""

    def __init__(self, top: Path, kind: str = "blob"):
        self.kind = kind.encode()
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=top,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)

    def read(self, names: list[str]) -> list[bytes | None]:
        """The content of each object (a blob id or ``rev:path``); None when it is missing."""
        if not names:
            return []
        request = "".join(f"{n}\n" for n in names).encode("utf-8", "surrogateescape")
        writer = threading.Thread(target=self._write, args=(request,), daemon=True)
        writer.start()
        out, found = self.proc.stdout, []
        for _ in names:
            header = out.readline().split()
            if len(header) != 3:  # "<name> missing" (or ambiguous)
                found.append(None)
                continue
            content = out.read(int(header[2]))
            out.read(1)  # the newline after the content
            found.append(content if header[1] == self.kind else None)
        writer.join()
        return found

    def _write(self, request: bytes) -> None:
        self.proc.stdin.write(request)
        self.proc.stdin.flush()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()

    def __enter__(self) -> "Blobs":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_blobs(top: Path, names: list[str]) -> dict[str, bytes]:
    """{name: content} of the blobs among ``names`` (ids or ``rev:path``) that exist."""
    with Blobs(top) as blobs:
        return {n: raw for n, raw in zip(names, blobs.read(names)) if raw is not None}


def run(cwd: Path, *args: str, stdin: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", errors="surrogateescape")
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {args[0]} failed")
    return proc.stdout


def _split(output: str) -> list[str]:
    return [p for p in output.split("\0") if p]


class Worktree:
    """A records root inside a git work tree: git paths are relative to ``top``; aimama's are
    relative to the root, which is ``top/prefix``."""

    def __init__(self, root: Path, top: Path):
        self.root, self.top = root, top
        rel = root.relative_to(top).as_posix()
        self.prefix = "" if rel == "." else rel + "/"

    @classmethod
    def find(cls, root: Path) -> "Worktree | None":
        """The work tree ``root`` is in; asked of git once a process (a command asks a dozen
        times), unless its ``.git`` has gone since."""
        root = Path(root).resolve()
        key = str(root)
        known = _TOPS.get(key)
        if known is not None and os.path.lexists(known / ".git"):
            return cls(root, known)
        if shutil.which("git") is None:
            return None
        try:
            top = run(root, "rev-parse", "--show-toplevel").strip()
        except (GitError, OSError):
            return None
        _TOPS[key] = Path(top).resolve()
        return cls(root, _TOPS[key])

    def _ours(self, paths) -> set[str]:
        n = len(self.prefix)
        return {p[n:] for p in paths if p.startswith(self.prefix)}

    def _specs(self) -> list[str]:
        return ["--", f"{self.prefix}records", f"{self.prefix}aimama.yaml"]

    def head_tree(self) -> str:
        try:
            return run(self.top, "rev-parse", "-q", "--verify", "HEAD^{tree}").strip()
        except GitError:
            return EMPTY_TREE  # no commit yet

    def head_commit(self) -> str | None:
        try:
            return run(self.top, "rev-parse", "-q", "--verify", "HEAD^{commit}").strip()
        except GitError:
            return None

    def is_ancestor(self, old: str, new: str) -> bool:
        return _run_ok(self.top, "merge-base", "--is-ancestor", old, new)

    def _deleted_args(self, revisions: str) -> list[str]:
        return ["-c", "core.quotePath=false", "log", "--no-renames", "--diff-filter=D", "--name-only",
                "--format=%x01%H", revisions, *self._specs()]

    def start_deleted(self, revisions: str) -> None:
        """Start reading the history for deleted files now, at the lowest priority, into a
        temporary file: on a first index git diffs every commit's trees (13 s of CPU for a
        province's 187 commits, 70 ms a commit touching its 100,000 children), on what the
        parsing leaves of the cores rather than after it."""
        out = tempfile.TemporaryFile()
        proc = subprocess.Popen(["git", *self._deleted_args(revisions)], cwd=self.top, stdout=out,
                                stderr=subprocess.DEVNULL)
        if hasattr(os, "setpriority"):
            with suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, proc.pid, 19)
        _HISTORY[(str(self.top), revisions)] = (proc, out)

    @staticmethod
    def stop_started() -> None:
        """End the git commands started ahead that no one will read (the command failed)."""
        for proc in [*_STARTED.values(), *(proc for proc, _out in _HISTORY.values())]:
            with suppress(OSError):
                proc.kill()
            proc.wait()
        _STARTED.clear()
        for _proc, out in _HISTORY.values():
            out.close()
        _HISTORY.clear()

    def deleted(self, revisions: str) -> list[tuple[str, str]]:
        """(path, commit) of every record file deleted by the commits in ``revisions``."""
        started, out = _HISTORY.pop((str(self.top), revisions), (None, None))
        for key in [k for k in _HISTORY if k[0] == str(self.top)]:  # HEAD moved meanwhile: not read
            other, kept = _HISTORY.pop(key)
            other.kill()
            other.wait()
            kept.close()
        if started is not None:
            with out:
                started.wait()
                out.seek(0)
                out = out.read().decode("utf-8", "surrogateescape") if started.returncode == 0 else None
        if out is None:
            out = run(self.top, *self._deleted_args(revisions))
        found, commit = [], None
        n = len(self.prefix)
        for line in out.splitlines():
            if line.startswith("\x01"):
                commit = line[1:]
            elif line.startswith(self.prefix) and commit:
                found.append((line[n:], commit))
        return found

    def changed_between(self, old_tree: str, new_tree: str) -> set[str]:
        try:
            out = run(self.top, "diff-tree", "-r", "--name-only", "--no-renames", "-z",
                       old_tree, new_tree, *self._specs())
        except GitError:
            return set()
        return self._ours(_split(out))

    def modified(self, tree: str) -> dict[str, str | None]:
        """Tracked files whose work-tree content may differ from ``tree`` (a stat comparison
        git does in C), each with its blob id in ``tree`` (None when not in it)."""
        result = self._diff_index(tree)
        if len(result) > 1000:  # many files touched, not changed: let git refresh its stat cache
            run(self.top, "update-index", "-q", "--refresh")
            result = self._diff_index(tree)
        return result

    def _diff_index_args(self, tree: str) -> list[str]:
        return ["diff-index", "--raw", "--no-renames", "-z", tree, *self._specs()]

    def start_diff_index(self, tree: str) -> None:
        """Start git's stat of every tracked file now, so that it runs on the other core while
        Python imports the rest of aimama (about 0.3 s of each at 400,000 files)."""
        proc = subprocess.Popen(["git", *self._diff_index_args(tree)], cwd=self.top,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        _STARTED[(str(self.top), tree)] = proc

    def _diff_index(self, tree: str) -> dict[str, str | None]:
        started = _STARTED.pop((str(self.top), tree), None)
        if started is not None:
            out, _ = started.communicate()
            text = out.decode("utf-8", "surrogateescape") if started.returncode == 0 else None
        if started is None or text is None:
            text = run(self.top, *self._diff_index_args(tree))
        fields = _split(text)
        n = len(self.prefix)
        result = {}
        for meta, path in zip(fields[::2], fields[1::2]):  # ":100644 100644 <old> <new> M", path
            old = meta.split(" ")[2]
            if path.startswith(self.prefix):
                result[path[n:]] = None if set(old) == {"0"} else old
        return result

    def blobs(self, tree: str, paths: list[str]) -> dict[str, str]:
        """The blob id of each path in ``tree`` (paths missing from it are left out).

        A few paths are looked up one by one; many, with one ``ls-tree`` per folder (a lookup
        scans the folder's tree object, which would be quadratic for 100,000 children)."""
        if len(paths) <= 20:
            query = "".join(f"{tree}:{self.prefix}{p}\n" for p in paths)
            out = run(self.top, "cat-file", "--batch-check=%(objectname) %(objecttype)",
                       stdin=query)
            return {p: line.split(" ")[0] for p, line in zip(paths, out.splitlines())
                    if line.endswith(" blob")}
        wanted = set(paths)
        folders = {p.rpartition("/")[0] for p in paths}
        result = {}
        n = len(self.prefix)
        for folder in folders:
            spec = f"{self.prefix}{folder}/" if folder else (self.prefix or ".")
            try:
                out = run(self.top, "ls-tree", "-z", "--full-tree", tree, "--", spec)
            except GitError:
                continue
            for line in _split(out):
                meta, _, name = line.partition("\t")
                parts = meta.split(" ")
                if len(parts) == 3 and parts[1] == "blob" and name[n:] in wanted:
                    result[name[n:]] = parts[2]
        return result

    def messages(self, revisions: str) -> list[tuple[str, str]]:
        """(commit id, message) of every commit of ``revisions`` (such as ``REV..HEAD``)."""
        out = run(self.top, "log", "--format=%H%x00%B%x00", revisions, "--")
        fields = out.split("\0")
        return [(c.strip(), m) for c, m in zip(fields[::2], fields[1::2])]

    def changed_since(self, rev: str) -> list[str]:
        """Files that differ from ``rev``: committed since, staged, unstaged or untracked."""
        try:
            run(self.top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except GitError:
            raise UsageError("git.bad_rev", rev=rev) from None
        names = _split(run(self.top, "diff", "--name-only", "--no-renames", "-z", rev,
                            *self._specs()))
        names += _split(run(self.top, "ls-files", "--others", "--exclude-standard", "-z",
                             *self._specs()))
        return sorted(self._ours(names))


def worktree(root: Path) -> Worktree:
    found = Worktree.find(root)
    if found is None:
        raise UsageError("git.not_repo", path=str(root))
    return found


def init(root: Path) -> None:
    import git

    git.Repo.init(root, initial_branch="main")


# git's settings for a repository of many files (docs/git.md), set by ``aimama init`` where the
# repository has none of its own: index v4 (paths prefix-compressed: 52 MB -> 37 MB at 490,000
# files) and the untracked cache (feature.manyFiles), and a split index, so that telling git's
# index about a change writes the entries changed, not the whole index
MANY_FILES = (("feature.manyFiles", "true"), ("core.splitIndex", "true"))


def configure(root: Path) -> None:
    """Set :data:`MANY_FILES` in the repository at ``root``, each unless it is set already."""
    for key, value in MANY_FILES:  # git follows them from its next write of the index
        if not _config(root, key):
            run(root, "config", key, value)


def uncommitted(root: Path, paths: list[str], seen: tuple[str, frozenset] | None = None) -> list[str]:
    """Which of ``paths`` (relative to ``root``) differ from HEAD: hand edits not committed,
    in the work tree or staged.  Asked of the paths alone (their blobs in HEAD, the staged
    ones among them): ``git status`` would list the folder of 100,000 children to look for
    untracked files.  ``seen``: (HEAD's tree, the paths that may differ from it) as git's stat
    of every file told the record index in this process (Index.git_view): when HEAD is still
    that tree, a path git did not name is as committed, and git is not asked again."""
    from aimama_cli.store.analysis import digest_file

    tree = Worktree.find(root)
    if tree is None or not paths:
        return []
    head = tree.head_tree()
    if seen is not None and seen[0] == head:
        paths = [p for p in paths if p in seen[1]]
        if not paths:
            return []
    committed = tree.blobs(head, paths)
    tops = top_paths(tree, root, paths)
    staged = set(_split(run(tree.top, "diff-index", "--cached", "--name-only", "--no-renames", "-z",
                            head, "--", *tops)))
    return sorted(path for path, top in zip(paths, tops)
                  if top in staged or committed.get(path) != (
                      digest_file(root / path) if os.path.lexists(root / path) else None))


@contextmanager
def authored_as(name: str, email: str):
    """Commits made inside are authored by ``name <email>`` (``aimama --as``); the committer
    stays whoever git says runs aimama."""
    saved = dict(_AUTHOR)
    _AUTHOR.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email)
    try:
        yield
    finally:
        _AUTHOR.clear()
        _AUTHOR.update(saved)


def _fallback_identity(top: Path) -> dict:
    """A neutral aimama identity when git has none configured (a new machine, CI); the author
    given by :func:`authored_as` over it."""
    if _config(top, "user.email") or os.environ.get("GIT_AUTHOR_EMAIL"):
        return dict(_AUTHOR)
    return {"GIT_AUTHOR_NAME": "aimama", "GIT_AUTHOR_EMAIL": "aimama@localhost",
            "GIT_COMMITTER_NAME": "aimama", "GIT_COMMITTER_EMAIL": "aimama@localhost", **_AUTHOR}


def _config(top: Path, key: str, kind: str | None = None) -> str:
    try:
        return run(top, "config", *([f"--type={kind}"] if kind else []), "--get", key).strip()
    except GitError:
        return ""


def user_email(root: Path) -> str | None:
    """Who is at the keyboard (or whom `aimama --as` names), as git will record it."""
    tree = Worktree.find(root)
    email = (_AUTHOR.get("GIT_AUTHOR_EMAIL") or os.environ.get("GIT_AUTHOR_EMAIL")
             or (_config(tree.top, "user.email") if tree else ""))
    return email or None


def commit_to_branch(root: Path, branch: str, files: dict[str, str], message: str) -> str:
    """Commit ``files`` (path under ``root`` -> text) on top of HEAD as the new branch
    ``branch``: the work tree and the current branch stay as they are."""
    tree = worktree(root)
    ref = f"refs/heads/{branch}"
    if _run_ok(tree.top, "rev-parse", "-q", "--verify", ref):
        raise UsageError("git.branch_exists", branch=branch)
    head = tree.head_commit()
    commit = build_commit(tree, head, _from_top(tree, root, files), message, hooks=False)
    move_ref(tree, ref, commit or head, None, message)
    return commit or head


# --- a commit built without the work tree (store/transaction.py) ---------------------------------

# what git leaves in its folder while an operation waits for the user, and the state's name
_IN_PROGRESS = (("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
                ("CHERRY_PICK_HEAD", "cherry_pick"), ("REVERT_HEAD", "revert"),
                ("BISECT_LOG", "bisect"))


def git_dir(tree: Worktree) -> Path:
    known = _GIT_DIRS.get(tree.top)
    if known is None or not known.is_dir():
        known = _GIT_DIRS[tree.top] = Path(run(tree.top, "rev-parse", "--absolute-git-dir").strip())
    return known


def in_progress(tree: Worktree) -> str | None:
    """The git operation waiting for the user (merge, rebase, cherry_pick, revert, bisect), or
    ``index_lock`` when git's index is locked; None when the repository is at rest."""
    folder = git_dir(tree)
    for name, state in _IN_PROGRESS:
        if (folder / name).exists():
            return state
    return "index_lock" if (folder / "index.lock").exists() else None


def head_ref(tree: Worktree) -> str | None:
    """The branch HEAD points at (``refs/heads/main``), also before its first commit; None on a
    detached HEAD."""
    try:
        return run(tree.top, "symbolic-ref", "-q", "HEAD").strip() or None
    except GitError:
        return None


def ref_commit(tree: Worktree, ref: str) -> str | None:
    try:
        return run(tree.top, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}").strip()
    except GitError:
        return None


def top_paths(tree: Worktree, root: Path, paths) -> list[str]:
    """Paths relative to ``root`` named from the top of the work tree (normpath: a file beside
    the records root, ../.github/CODEOWNERS)."""
    return [Path(os.path.relpath(os.path.normpath(root / p), tree.top)).as_posix() for p in paths]


def _from_top(tree: Worktree, root: Path, files: dict[str, str]) -> dict[str, str]:
    return dict(zip(top_paths(tree, root, files), files.values()))


def build_commit(tree: Worktree, parent: str | None, files: dict[str, str], message: str, *,
                 hooks: bool = True) -> str | None:
    """A commit of ``parent``'s tree with ``files`` (path from the top -> text), made from git
    objects alone: blobs, the trees on the way to them, ``commit-tree``.  Nothing in the work
    tree, git's index or any ref changes, so an interrupted build leaves only unreferenced
    objects.  With ``hooks``, pre-commit and commit-msg run on a temporary index as ``git
    commit`` would run them; one that fails refuses the change.  None when the tree would stay
    as it is.

    The cost follows the paths written, not the repository: only the trees on the way from the
    root to a written file are read and written again (:mod:`trees`; a folder of 100,000
    children is one tree of 4.9 MB), where a temporary index of every file (52 MB at 490,000
    files) took seconds to write.  That index is still made, from the new tree, when a hook
    is there to see it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aimama-index-") as folder:
        names = sorted(files)
        blobs = _hash_objects(tree.top, Path(folder), "blob",
                              [files[p].encode("utf-8") for p in names])
        base = run(tree.top, "rev-parse", f"{parent}^{{tree}}").strip() if parent else EMPTY_TREE
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(folder) / "index")}
        try:
            with _TreeObjects(tree.top, Path(folder)) as objects:
                new_tree = trees.with_files(base, dict(zip(names, blobs)), objects)
            indexed = False
        except trees.TreeError:  # a SHA-256 repository: through a temporary index of every file
            new_tree, indexed = _tree_by_index(tree, env, base, names, blobs), True
        if parent and new_tree == base:
            return None
        env.update(_fallback_identity(tree.top))
        found = _hooks_present(tree) if hooks else []
        if found:
            if not indexed:
                _run_env(tree.top, env, "read-tree", new_tree)
            message = _run_hooks(tree, env, Path(folder), message, found)
        parents = ["-p", parent] if parent else []
        # commit-tree signs only when asked: ask as `git commit` would, by commit.gpgSign
        sign = ["-S"] if _config(tree.top, "commit.gpgsign", "bool") == "true" else []
        return _run_env(tree.top, env, "commit-tree", new_tree, *parents, *sign,
                        stdin=message).strip()


def _hash_objects(top: Path, folder: Path, kind: str, contents: list[bytes]) -> list[str]:
    """Write ``contents`` as objects of ``kind``: one git call for any number of them (a plan
    writes one file per pairing: 100,000 of them), through files in a scratch folder."""
    if not contents:
        return []
    scratch = folder / kind
    scratch.mkdir(exist_ok=True)
    for i, raw in enumerate(contents):
        (scratch / str(i)).write_bytes(raw)
    paths = "".join(f"{scratch / str(i)}\n" for i in range(len(contents)))
    return _run_env(top, dict(os.environ), "hash-object", "-w", "-t", kind, "--stdin-paths",
                    stdin=paths).split()


def _tree_by_index(tree: Worktree, env: dict, base: str, names: list[str], blobs: list[str]) -> str:
    """The new tree through a temporary index of every file (GIT_INDEX_FILE in ``env``)."""
    _run_env(tree.top, env, "read-tree", base)
    _run_env(tree.top, env, "update-index", "--add", "-z", "--index-info",
             stdin="".join(f"100644 {blob}\t{path}\0" for blob, path in zip(blobs, names)))
    return _run_env(tree.top, env, "write-tree").strip()


class _TreeObjects:
    """How :mod:`trees` reads the trees on the way (one ``cat-file`` process) and stores the
    new ones."""

    def __init__(self, top: Path, folder: Path):
        self.top, self.folder = top, folder
        self.reader: Blobs | None = None

    def read(self, names: list[str]) -> list[bytes | None]:
        self.reader = self.reader or Blobs(self.top, "tree")
        return self.reader.read(names)

    def write(self, contents: list[bytes]) -> list[str]:
        return _hash_objects(self.top, self.folder, "tree", contents)

    def __enter__(self) -> "_TreeObjects":
        return self

    def __exit__(self, *exc) -> None:
        if self.reader is not None:
            self.reader.close()


def _hooks_present(tree: Worktree) -> list[str]:
    """The commit hooks git would run here (core.hooksPath respected): a hook is a file that
    may be executed, as ``git hook run`` has it."""
    names = ("pre-commit", "commit-msg")
    out = run(tree.top, "rev-parse", *(a for n in names for a in ("--git-path", f"hooks/{n}")))
    return [n for n, path in zip(names, out.splitlines())
            if os.access(tree.top / path, os.X_OK) and os.path.isfile(tree.top / path)]


def _run_hooks(tree: Worktree, env: dict, folder: Path, message: str, found: list[str]) -> str:
    """Run pre-commit and commit-msg (those ``found``) as ``git commit`` would (they see the
    change in the index given by GIT_INDEX_FILE); the message as commit-msg leaves it."""
    if "pre-commit" in found:
        _hook(tree, env, "pre-commit")
    if "commit-msg" not in found:
        return message
    note = folder / "COMMIT_EDITMSG"
    note.write_text(message, encoding="utf-8")
    _hook(tree, env, "commit-msg", str(note))
    return note.read_text(encoding="utf-8")


def _hook(tree: Worktree, env: dict, name: str, *args: str) -> None:
    proc = subprocess.run(["git", "hook", "run", "--ignore-missing", name, "--", *args],
                          cwd=tree.top, env=env, capture_output=True, text=True, encoding="utf-8",
                          errors="replace")
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-5:]
        raise UsageError("git.hook_refused", hook=name, detail=" / ".join(detail) or "-")


def move_ref(tree: Worktree, ref: str, new: str, old: str | None, reason: str) -> None:
    """Point ``ref`` at ``new`` if it still points at ``old`` (None: if it does not exist yet):
    the one atomic step of a change.  Someone else's commit in between is a usage error."""
    reason = "aimama: " + reason.splitlines()[0]
    proc = subprocess.run(["git", "update-ref", "-m", reason, ref, new, old or ""], cwd=tree.top,
                          capture_output=True, text=True, encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise UsageError("git.moved", ref=ref.removeprefix("refs/heads/"),
                         detail=(proc.stderr.strip().splitlines() or ["-"])[-1])


def stage(tree: Worktree, paths: list[str]) -> None:
    """Tell git's index that ``paths`` (from the top) now hold what was committed: the paths
    alone (``git add`` would list their folders, 100,000 children, for untracked files)."""
    run(tree.top, "update-index", "--add", "-z", "--stdin", stdin="".join(f"{p}\0" for p in paths))


def restore(tree: Worktree, commit: str, paths: list[str]) -> None:
    """Bring ``paths`` (from the top) in the work tree and git's index to ``commit``."""
    run(tree.top, "checkout", commit, "--pathspec-from-file=-", "--pathspec-file-nul",
        stdin="".join(f"{p}\0" for p in paths))


def post_commit(tree: Worktree) -> None:
    """The post-commit hook, as ``git commit`` runs it; its failure changes nothing."""
    subprocess.run(["git", "hook", "run", "--ignore-missing", "post-commit"], cwd=tree.top,
                   capture_output=True)


def _run_env(cwd: Path, env: dict, *args: str, stdin: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env=env)
    if proc.returncode != 0:
        raise UsageError("git.failed", detail=proc.stderr.strip() or f"git {args[0]} failed")
    return proc.stdout


def _run_ok(cwd: Path, *args: str) -> bool:
    try:
        run(cwd, *args)
        return True
    except GitError:
        return False


# --- plain git commands for the history modules (audit, records as they were) ---------------------

def output(top: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """What ``git ARGS`` prints, as bytes; a failure is a usage error naming git's complaint."""
    proc = subprocess.run(["git", *args], cwd=top, input=stdin, capture_output=True)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        raise UsageError("git.failed", detail=detail)
    return proc.stdout


def succeeds(top: Path, *args: str) -> bool:
    """Whether ``git ARGS`` succeeds (``rev-parse --verify``, ``cat-file -e`` …)."""
    return subprocess.run(["git", *args], cwd=top, capture_output=True).returncode == 0


# --- signatures (history/signing.py) ---------------------------------------------------------------

def config(top: Path, key: str, kind: str | None = None) -> str:
    """``git config [--type=KIND] --get KEY`` as git resolves it here (repository, then
    global); "" if unset."""
    return _config(top, key, kind)


def signatures(top: Path, revisions: str, allowed_signers: Path) -> list[list[str]]:
    """Every commit of ``revisions``, oldest first, with git's verdict on its signature against
    ``allowed_signers`` (an SSH allowed-signers file): [sha, parents, author name, author e-mail,
    committer name, committer e-mail, author date, %G?, key fingerprint, signer (principal)]."""
    out = output(top, "-c", f"gpg.ssh.allowedSignersFile={allowed_signers}", "log", "--reverse",
                 "--format=%x01%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%G?%x00%GK%x00%GS",
                 revisions, "--").decode("utf-8", "surrogateescape")
    return [chunk.rstrip("\n").split("\0") for chunk in out.split("\x01")[1:]]


def merges_with_own_changes(top: Path, revisions: str, *paths: str) -> dict[str, set[str]]:
    """The merge commits of ``revisions`` whose tree (under ``paths``, default everywhere)
    differs from what git's own merge of their parents gives (a conflict resolved, or a change
    slipped into the merge), each with the files that differ: ``--remerge-diff``, git 2.36+."""
    out = output(top, "-c", "core.quotePath=false", "log", "--merges", "--full-history",
                 "--remerge-diff", "--name-only", "-z", "--format=%x01%H%x02", revisions, "--",
                 *paths).decode("utf-8", "surrogateescape")
    found = {}
    for chunk in out.split("\x01")[1:]:
        sha, _, rest = chunk.partition("\x02")
        files = {name.strip("\n") for name in rest.split("\0")} - {""}
        if files:
            found[sha] = files
    return found

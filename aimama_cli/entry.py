"""The ``aimama`` console script.

Before the command line layer is imported (typer alone takes about 0.13 s), a command that
opens the record index (a check, a change of records) starts git's stat of the work tree in the
background: the two then run side by side on two cores.
"""

from __future__ import annotations

import sys

# the commands that open the record index first thing: git's stat of every file can start at once
INDEXED = {"check", "child", "volunteer", "team", "pair", "log", "pledge", "duty"}


def _start_git_early(args: list[str]) -> None:
    if not INDEXED & set(args) or "--no-cache" in args or "--help" in args:
        return
    try:
        from aimama_cli.store.gitio import Worktree
        from aimama_cli.store.layout import find_root
        from aimama_cli.store.watching import watched

        given = args[args.index("--root") + 1] if "--root" in args[:-1] else None
        tree = Worktree.find(find_root(given))
        if tree is not None and not watched(tree):  # a watcher tells what changed instead
            tree.start_diff_index(tree.head_tree())
    except Exception:  # noqa: BLE001 - only a head start: the check does it all again if need be
        return


def main() -> None:
    _start_git_early(sys.argv[1:])
    from aimama_cli.cli import main as cli_main

    cli_main()

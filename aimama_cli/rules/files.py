"""What is wrong with the files themselves, before any record is read: what is not a regular
file, a file too large to read, a folder that cannot be listed, a value or key no record can
hold, and a repository without its aimama.yaml.

The reader reports most of these (store/layout.read_file, store/yamlio); they are registered
here so that `check --list-rules` lists them.
"""

from __future__ import annotations

from aimama_cli.core.registry import FILE, REPOSITORY, register, rule
from aimama_cli.store import layout

register("AM111", FILE)  # not a regular file: a link, FIFO, socket, device or folder (never read)
register("AM112", FILE)  # larger than aimama.yaml limits.max_file_bytes (never read)
register("AM113", FILE)  # a folder that cannot be listed: its records were not checked
register("AM207", FILE)  # .nan, .inf or an integer beyond 64 bits
register("AM208", FILE)  # a key that is not text


@rule("AM309", scope=REPOSITORY)
def configured(repo):
    """The repository has its aimama.yaml (which programmes apply, the region covered)."""
    if repo.scoped and not repo.db.execute(
            "SELECT 1 FROM scope WHERE path = ?", (layout.CONFIG,)).fetchone():
        return
    if not repo.db.execute("SELECT 1 FROM files WHERE path = ?", (layout.CONFIG,)).fetchone():
        yield repo.found("AM309", layout.CONFIG, None)

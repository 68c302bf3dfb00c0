"""Where a records repository is and which kind of record each of its files holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

from aimama_cli.core.errors import UsageError

CONFIG = "aimama.yaml"
RECORDS = "records"
# folder under records/ -> kind; those in YEAR_FOLDERS sit one level deeper, in a year folder
FOLDERS = {
    "programmes": "programme",
    "teams": "team",
    "volunteers": "volunteer",
    "children": "child",
    "pairings": "pairing",
    "team_pairings": "team_pairing",
    "pledges": "pledge",
    "activities": "activity",
    "cases": "case",
    "team_activities": "team_activity",
    "trainings": "training",
    "support": "support",
}
FOLDER_OF = {kind: folder for folder, kind in FOLDERS.items()}  # kind -> its folder
# kinds in a year folder without a `year` field: the date field whose year names the folder
DATED_BY = {"team_activity": "date", "training": "date", "support": "pledged_on"}
SINGLETONS = {"regions.yaml": "regions", "coordinators.yaml": "coordinators"}
YEAR_FOLDERS = {"pledges", "activities", "team_activities", "trainings", "support"}
IGNORED = {"README.md", ".gitkeep", ".gitattributes", ".gitignore"}
_YEAR = re.compile(r"^(19|20|21)[0-9]{2}$")


def find_root(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """``--root``, else ``$AIMAMA_ROOT``, else the nearest ancestor holding aimama.yaml or records/."""
    chosen = explicit or os.environ.get("AIMAMA_ROOT")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not root.is_dir():
            raise UsageError("root.missing", path=str(root))
        return root
    here = (cwd or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG).is_file() or (candidate / RECORDS).is_dir():
            return candidate
    raise UsageError("root.not_found", path=str(here))


def classify(relpath: str) -> tuple[str | None, str | None]:
    """(kind, None) for a record file, (None, reason) for a file in the wrong place.

    ``relpath`` is relative to the root, with forward slashes.
    """
    if relpath == CONFIG:
        return "config", None
    parts = relpath.split("/")
    if parts[0] != RECORDS or len(parts) < 2:
        return None, "outside"
    name = parts[-1]
    if not name.endswith(".yaml"):
        return None, "extension"
    if len(parts) == 2:
        return (SINGLETONS[name], None) if name in SINGLETONS else (None, "place")
    folder = parts[1]
    kind = FOLDERS.get(folder)
    depth = 4 if folder in YEAR_FOLDERS else 3
    if kind is None or len(parts) != depth:
        return None, "place"
    if depth == 4 and not _YEAR.match(parts[2]):
        return None, "year"
    return kind, None


def belongs(relpath: str) -> bool:
    """Whether a path is one :func:`scan` would list (git lists .gitkeep files too)."""
    if relpath == CONFIG:
        return True
    parts = relpath.split("/")
    return (parts[0] == RECORDS and len(parts) > 1 and parts[-1] not in IGNORED
            and not any(p.startswith(".") for p in parts))


def stem(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1].removesuffix(".yaml")


def record_year(kind: str, data: dict):
    """The year a record of a year folder belongs to: its ``year``, else the year of its
    :data:`DATED_BY` date (None when neither can be read)."""
    if kind not in DATED_BY:
        return data.get("year")
    day = data.get(DATED_BY[kind])
    return int(day[:4]) if isinstance(day, str) and _YEAR.match(day[:4]) else None


def year_folder(relpath: str) -> int | None:
    parts = relpath.split("/")
    return int(parts[2]) if len(parts) == 4 and _YEAR.match(parts[2]) else None


def scan(root: Path, folders: dict | None = None, start: str = RECORDS, stat: bool = True):
    """Yield (relpath, stat or None) for every file that belongs to the records: aimama.yaml
    and everything under records/ except hidden files and a few well-known companions.

    ``folders``, when given, receives {folder relpath: mtime_ns} taken before each listing, so
    that a file added while we list shows as a change next time.
    """
    config = root / CONFIG
    if start == RECORDS and config.is_file():
        yield CONFIG, config.stat() if stat else None
    if not (root / start).is_dir():
        return
    stack = [start]
    while stack:
        rel = stack.pop()
        files, subfolders = list_folder(root, rel, folders)
        stack.extend(subfolders)
        for name in files:
            yield name, os.stat(root / name) if stat else None


def list_folder(root: Path, rel: str, folders: dict | None = None) -> tuple[list, list]:
    """The record files and the subfolders directly in folder ``rel`` (relative paths)."""
    files, subfolders = [], []
    try:
        if folders is not None:
            folders[rel] = os.stat(root / rel).st_mtime_ns
        entries = os.scandir(root / rel)
    except OSError:
        return files, subfolders
    with entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name in IGNORED:
                continue
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(f"{rel}/{entry.name}")
            elif entry.is_file(follow_symlinks=False):
                files.append(f"{rel}/{entry.name}")
    return files, subfolders

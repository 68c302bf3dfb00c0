"""``aimama init``: a new, working records repository."""

from __future__ import annotations

import shutil
from pathlib import Path

from aimama_cli.domain import codeowners
from aimama_cli.store import gitio, layout
from aimama_cli.core.errors import UsageError
from aimama_cli.core.resources import PROGRAMMES, TEMPLATES
from aimama_cli.store.yamlio import atomic_write


LEVELS = {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}


def init(target: Path, *, region: str, name: str) -> Path:
    """Create the repository in ``target`` (new or empty), commit it, and return its path."""
    target = target.expanduser().resolve()
    if (target / layout.CONFIG).exists():
        raise UsageError("init.exists", path=str(target))
    if target.exists() and any(p.name != ".git" for p in target.iterdir()):
        raise UsageError("init.not_empty", path=str(target))
    target.mkdir(parents=True, exist_ok=True)
    code = region.ljust(12, "0")
    fill = {"@REGION@": region, "@NAME@": name, "@CODE@": code, "@LEVEL@": LEVELS[len(region)]}
    for template in sorted((TEMPLATES / "repository").rglob("*")):
        if template.is_file():
            rel = template.relative_to(TEMPLATES / "repository").as_posix()
            rel = rel.replace("dot-", ".")  # dotfiles are stored visibly in templates/
            text = template.read_text(encoding="utf-8")
            for token, value in fill.items():
                text = text.replace(token, value)
            atomic_write(target / rel, text)
    (target / layout.RECORDS / "programmes").mkdir(parents=True, exist_ok=True)
    for programme in sorted(PROGRAMMES.glob("*.yaml")):
        shutil.copyfile(programme, target / layout.RECORDS / "programmes" / programme.name)
    for folder in layout.FOLDERS:  # git keeps no empty folders: mark the empty ones
        folder_path = target / layout.RECORDS / folder
        folder_path.mkdir(parents=True, exist_ok=True)
        if not any(folder_path.iterdir()):
            (folder_path / ".gitkeep").touch()
    if not (target / ".git").exists():
        gitio.init(target)
    codeowners.write(codeowners.build(target))  # CI checks it is kept up to date
    gitio.commit_all(target, f"aimama init: new records repository for {name} ({region})\n\n"
                             "Aimama-Command: init")
    return target

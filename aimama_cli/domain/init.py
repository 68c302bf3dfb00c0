"""``aimama init``: a new, working records repository."""

from __future__ import annotations

import os
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.resources import PROGRAMMES, TEMPLATES
from aimama_cli.domain import codeowners, session
from aimama_cli.store import gitio, layout

LEVELS = {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}


def init(target: Path, *, region: str, name: str) -> Path:
    """Create the repository in ``target`` (new or empty), commit it, and return its path."""
    target = target.expanduser().resolve()
    if (target / layout.CONFIG).exists():
        raise UsageError("init.exists", path=str(target))
    if target.exists() and any(p.name != ".git" for p in target.iterdir()):
        raise UsageError("init.not_empty", path=str(target))
    target.mkdir(parents=True, exist_ok=True)
    if not (target / ".git").exists():
        gitio.init(target)
    change = session.change(target, "init")
    code = region.ljust(12, "0")
    fill = {"@REGION@": region, "@NAME@": name, "@CODE@": code, "@LEVEL@": LEVELS[len(region)]}
    for template in sorted((TEMPLATES / "repository").rglob("*")):
        if template.is_file():
            rel = template.relative_to(TEMPLATES / "repository").as_posix()
            rel = rel.replace("dot-", ".")  # dotfiles are stored visibly in templates/
            text = template.read_text(encoding="utf-8")
            for token, value in fill.items():
                text = text.replace(token, value)
            change.put_file(rel, text)
    programmes = f"{layout.RECORDS}/programmes"
    for programme in sorted(PROGRAMMES.glob("*.yaml")):
        change.put_file(f"{programmes}/{programme.name}", programme.read_text(encoding="utf-8"))
    for folder in layout.FOLDERS:  # git keeps no empty folders: mark the empty ones
        path = f"{layout.RECORDS}/{folder}"
        if not any(name.startswith(path + "/") for name in change.files):
            change.put_file(f"{path}/.gitkeep", "")
    coordinators = codeowners.parse_coordinators(change.files[codeowners.COORDINATORS].encode("utf-8"))
    owners = codeowners.build(target, coordinators)  # CI checks it is kept up to date
    change.put_file(os.path.relpath(owners.path, target), owners.text)
    change.save(f"new records repository for {name} ({region})", force=True)
    return target

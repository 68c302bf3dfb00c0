"""``aimama init``: a new, working records repository."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import t
from aimama_cli.core.resources import PROGRAMMES, TEMPLATES
from aimama_cli.domain import codeowners, session
from aimama_cli.store import gitio, layout
from aimama_cli.store.yamlio import parse

LEVELS = {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}
KNOWN_REGIONS = TEMPLATES / "regions.yaml"  # divisions aimama knows by name


@dataclass
class County:
    code: str  # 6 digits
    name: str
    regions: list[dict]  # its province and city where known, then itself: records/regions.yaml


def county(region: str, name: str | None) -> County:
    """The county ``region`` names: a 6-digit code (or its 12-digit form), or a county's name,
    resolved through aimama's region data; a code the data does not know needs its ``name``."""
    known = parse(KNOWN_REGIONS.read_text(encoding="utf-8")).data["regions"]
    counties = [r for r in known if r["level"] == "county"]
    region = region.strip()
    if re.fullmatch(r"[0-9]{6}|[0-9]{6}0{6}", region):
        code = region[:6]
        found = [r for r in counties if r["code"][:6] == code]
        if not found and not name:
            raise UsageError("init.region_unnamed", region=code)
    elif region.isdigit():
        raise UsageError("init.bad_region", region=region)
    else:
        found = [r for r in counties if r["name"] == region]
        if len(found) != 1:
            choices = ", ".join(f"{r['code'][:6]} {r['name']}" for r in found)
            raise UsageError("init.region_ambiguous" if found else "init.region_unknown",
                             region=region, choices=choices)
        code = found[0]["code"][:6]
    own = {"code": code.ljust(12, "0"), "name": found[0]["name"] if found else name, "level": "county"}
    digits = {level: n for n, level in LEVELS.items()}
    above = [r for r in known if r["level"] in ("province", "city")
             and r["code"][:digits[r["level"]]] == code[:digits[r["level"]]]]
    return County(code, own["name"], [*above, own])


def init(target: Path, *, region: str, name: str | None) -> Path:
    """Create the repository in ``target`` (new or empty) for the county ``region`` names,
    commit it, and return its path; ``name`` names the repository (and the county, when
    aimama's region data does not know it)."""
    place = county(region, name)
    name = name or f"{place.name}爱心妈妈结对关爱"
    target = target.expanduser().resolve()
    if (target / layout.CONFIG).exists():
        raise UsageError("init.exists", path=str(target))
    if target.exists() and any(p.name != ".git" for p in target.iterdir()):
        raise UsageError("init.not_empty", path=str(target))
    target.mkdir(parents=True, exist_ok=True)
    if not (target / ".git").exists():
        gitio.init(target)
    gitio.configure(target)
    change = session.change(target, "init")
    fill = {"@REGION@": place.code, "@NAME@": name, "@COUNTY@": place.name,
            "@REGIONS@": "\n".join(_region_line(r) for r in place.regions)}
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
    change.save(t("commit.init", name=name, code=place.code), force=True)
    return target


def _region_line(region: dict) -> str:
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"
    return f"  - {{code: {quoted(region['code'])}, name: {quoted(region['name'])}, level: {region['level']}}}"

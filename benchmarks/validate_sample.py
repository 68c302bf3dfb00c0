#!/usr/bin/env python3
"""Prove that a generated repository is valid, independently of aimama's own checker.

    python benchmarks/validate_sample.py DIR [-k K | --all] [--seed S] [--integrity]

Loads K random files (or all of them) with PyYAML and validates each against the project's JSON
Schemas with `jsonschema`, every ``$ref`` inlined, and checks that keys come in the schema's
``properties`` order.  ``--integrity`` also loads every record and checks what a schema cannot
see: references resolve, ids carry their county, ID numbers agree with birth date and gender,
capacity is respected, only approved volunteers are actively paired, dates are not in the future.
Needs pyyaml, jsonschema and python-stdnum (e.g. /tmp/venv/bin/python).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import yaml
from stdnum.cn import ric

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from aimama_cli import ids  # noqa: E402

SCHEMAS = PROJECT / "schemas"
FOLDER_KINDS = {"programmes": "programme", "teams": "team", "volunteers": "volunteer",
                "children": "child", "pairings": "pairing", "pledges": "pledge", "activities": "activity"}
SINGLE_KINDS = {"aimama.yaml": "config", "records/regions.yaml": "regions",
                "records/coordinators.yaml": "coordinators"}
LATEST = "2026-10-31"
# libyaml's loader when PyYAML has it: same YAML 1.1 safe semantics as yaml.safe_load, 10x faster
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=LOADER)


def load_schema(name: str) -> dict:
    """The schema of ``name`` with every ``file.json#/$defs/x`` and ``#/$defs/x`` inlined."""
    docs: dict[str, dict] = {}

    def doc(file: str) -> dict:
        if file not in docs:
            docs[file] = json.loads((SCHEMAS / file).read_text(encoding="utf-8"))
        return docs[file]

    def inline(node, file: str):
        if isinstance(node, list):
            return [inline(item, file) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target_file, _, pointer = node["$ref"].partition("#")
            target_file = target_file or file  # '#/...' points into the file it is written in
            target = doc(target_file)
            for part in pointer.strip("/").split("/"):
                target = target[part]
            merged = inline(copy.deepcopy(target), target_file)
            merged.update(inline({k: v for k, v in node.items() if k != "$ref"}, file))
            return merged
        return {k: inline(v, file) for k, v in node.items() if k != "$defs"}

    return inline(doc(f"{name}.json"), f"{name}.json")


def kind_of(rel: str) -> str | None:
    if rel in SINGLE_KINDS:
        return SINGLE_KINDS[rel]
    parts = rel.split("/")
    return FOLDER_KINDS.get(parts[1]) if len(parts) >= 3 and parts[0] == "records" else None


def record_files(root: Path) -> list[str]:
    out = []
    for folder, _, files in os.walk(root):
        if any(part.startswith(".") for part in Path(folder).relative_to(root).parts):
            continue  # .git, aimama's .aimama cache
        for name in files:
            if name.endswith(".yaml"):
                out.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(out)


def order_problems(value, schema: dict, where: str = "") -> list[str]:
    """Keys out of the schema's ``properties`` order, at any depth."""
    problems = []
    if isinstance(value, dict) and "properties" in schema:
        order = list(schema["properties"])
        positions = [order.index(k) for k in value if k in order]
        if positions != sorted(positions):
            problems.append(f"{where or '/'}: keys {list(value)} not in schema order")
        for key, item in value.items():
            if key in schema["properties"]:
                problems += order_problems(item, schema["properties"][key], f"{where}/{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            problems += order_problems(item, schema["items"], f"{where}/{i}")
    return problems


def validate_files(root: Path, rels: list[str]) -> tuple[Counter, list[str]]:
    validators, counts, problems = {}, Counter(), []
    for rel in rels:
        kind = kind_of(rel)
        if kind is None:
            problems.append(f"{rel}: not a record file")
            continue
        if kind not in validators:
            schema = load_schema(kind)
            validators[kind] = (jsonschema.Draft202012Validator(schema), schema)
        validator, schema = validators[kind]
        data = load(root / rel)
        for error in validator.iter_errors(data):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{rel}: /{path}: {error.message}")
        problems += [f"{rel}: {p}" for p in order_problems(data, schema)]
        if isinstance(data, dict) and "id" in data and kind != "programme" and Path(rel).stem != data["id"]:
            problems.append(f"{rel}: file name is not the id {data['id']}")
        counts[kind] += 1
    return counts, problems


def integrity_problems(root: Path, rels: list[str]) -> list[str]:
    """Cross-record rules, over the whole repository."""
    recs: dict[str, dict[str, dict]] = {k: {} for k in FOLDER_KINDS.values()}
    for rel in rels:
        kind = kind_of(rel)
        if kind in recs:
            data = load(root / rel)
            recs[kind][data["id"]] = data
    regions = {r["code"] for r in load(root / "records/regions.yaml")["regions"]}
    coordinators = {c["id"]: c for c in load(root / "records/coordinators.yaml")["coordinators"]}
    config = load(root / "aimama.yaml")
    problems: list[str] = []

    def need(ok: bool, rid: str, message: str) -> None:
        if not ok:
            problems.append(f"{rid}: {message}")

    def dates(value, rid: str) -> None:  # every date-shaped string is no later than LATEST
        if isinstance(value, dict):
            for item in value.values():
                dates(item, rid)
        elif isinstance(value, list):
            for item in value:
                dates(item, rid)
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            need(value <= LATEST, rid, f"date {value} is later than {LATEST}")

    def person(rec: dict, min_age: int, max_age: int) -> None:
        number, birth = rec["id_number"], dt.date.fromisoformat(rec["birth_date"])
        # python-stdnum, not aimama's own code: an independent opinion of GB 11643
        rid = rec["id"]
        need(ric.is_valid(number), rid, "invalid ID number")
        need(ric.is_valid(number) and ric.get_birth_date(number) == birth, rid, "ID number: other birth date")
        need(("male" if int(number[16]) % 2 else "female") == rec["gender"], rid, "ID number: other gender")
        need(number[:2] == "43", rid, "ID number region is not in 湖南")
        age = (dt.date(2026, 11, 23) - birth).days / 365.25
        need(min_age <= age < max_age, rid, f"aged {age:.1f}")

    for by_id in recs.values():
        for rid, rec in by_id.items():
            dates(rec, rid)
    for rid, t in recs["team"].items():
        need(t["region"] in regions, rid, "unknown region")
        need(ids.county_of(rid) == t["region"][:6], rid, "id county differs from region")
        need("parent" not in t or t["parent"] in recs["team"], rid, "unknown parent team")
    for rid, c in recs["child"].items():
        need(c["village"] in regions, rid, "unknown village")
        need(ids.county_of(rid) == c["village"][:6], rid, "id county differs from village")
        person(c, 0, 18)
        confirmer = coordinators.get(c["roster"]["confirmed_by"])
        need(confirmer is not None and "roster" in confirmer["roles"], rid, "roster confirmer lacks the role")
        need((c["status"] == "closed") == ("closed" in c), rid, "status and closed disagree")
    capacity_used: Counter = Counter()
    for rid, v in recs["volunteer"].items():
        need(v["village"] in regions, rid, "unknown village")
        need(ids.county_of(rid) == v["village"][:6], rid, "id county differs from village")
        need(v["team"] in recs["team"], rid, "unknown team")
        person(v, 25, 66)
        if v["kind"] == "local":
            need(recs["team"][v["team"]]["region"] == v["village"], rid, "local but not in her village's team")
        vetting = v["vetting"]
        if vetting["status"] != "pending":
            decider = coordinators.get(vetting.get("decided_by"))
            need(decider is not None and "vetting" in decider["roles"], rid, "vetting decider lacks the role")
        if vetting["status"] == "approved":
            need([c["kind"] for c in vetting["checks"]] == config["vetting"]["required_checks"]
                 and all(c["result"] == "clear" and c.get("evidence") for c in vetting["checks"]),
                 rid, "approved without three clear checks with evidence")
    priority_paired = set()
    for rid, p in recs["pairing"].items():
        child, vol = recs["child"].get(p["child"]), recs["volunteer"].get(p["volunteer"])
        need(child is not None and vol is not None, rid, "unknown child or volunteer")
        if child is None or vol is None:
            continue
        need(ids.county_of(rid) == child["village"][:6], rid, "id county differs from the child's")
        need(p["role"] == vol["kind"], rid, "role is not the volunteer's kind")
        if "ended_on" not in p:  # (a suspension decides again later: ended pairings are exempt)
            after = max(child["guardian"]["consent"]["date"], vol["vetting"].get("decided_on", "9999"))
            need(p["started_on"] > after, rid, "started before consent or approval")
        need(("ended_on" in p) == ("end_reason" in p), rid, "ended_on and end_reason go together")
        if "ended_on" not in p:
            need(child["status"] == "active", rid, "active pairing of a closed child")
            need(vol["vetting"]["status"] == "approved" and vol["status"] == "active", rid,
                 "active pairing with a volunteer who is not approved and active")
            capacity_used[p["volunteer"]] += 1
            priority_paired.add(p["child"])
        else:
            need(p["started_on"] < p["ended_on"], rid, "ends before it starts")
    for vid, used in capacity_used.items():
        need(used <= recs["volunteer"][vid]["capacity"], vid, f"{used} active pairings over capacity")
    for rid, c in recs["child"].items():
        # 应结尽结: orphans, unsupported children, left-behind children without adequate guardianship
        priority = bool(set(c["categories"]) & {"scattered_orphan", "unsupported"}) or (
            "left_behind" in c["categories"] and c.get("guardianship") == "inadequate")
        if priority and c["status"] == "active":
            need(rid in priority_paired, rid, "priority child not paired")
    programmes = {p["id"] for p in recs["programme"].values()}
    for rid, s in recs["pledge"].items():
        vol = recs["volunteer"].get(s["volunteer"])
        need(vol is not None and vol["team"] == s["team"], rid, "unknown volunteer or not her team")
        need(s["programme"] in programmes, rid, "unknown programme")
        need(vol is None or ids.county_of(rid) == vol["village"][:6], rid, "id county is not the volunteer's")
    for entry in config.get("programmes", []):
        need(entry["programme"] in programmes, "aimama.yaml", f"unknown programme {entry['programme']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("-k", type=int, default=1000, help="how many random files (default 1000)")
    parser.add_argument("--all", action="store_true", help="every file, not a sample")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--integrity", action="store_true", help="also check cross-record rules")
    args = parser.parse_args(argv)

    rels = record_files(args.dir)
    # the few repository-wide files always, and K of the one-record-per-file ones
    singles = [r for r in rels if kind_of(r) in ("config", "regions", "coordinators", "programme")]
    others = [r for r in rels if r not in singles]
    chosen = rels if args.all else singles + random.Random(args.seed).sample(others, min(args.k, len(others)))
    counts, problems = validate_files(args.dir, chosen)
    if args.integrity and problems:
        print("integrity not checked: the files must first match their schemas")
    elif args.integrity:
        problems += integrity_problems(args.dir, rels)
    for problem in problems[:50]:
        print(problem)
    print(f"validated {sum(counts.values())} of {len(rels)} files ("
          + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) + f"); problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

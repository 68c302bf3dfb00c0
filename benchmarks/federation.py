"""The exports of a nation, written directly as Parquet (no records repository: building 3,000
of those would take hours), then the national coverage and duties reports timed by province and
by city, as ``aimama federation report`` computes them (issue 22).

    python benchmarks/federation.py DIR [--scale 0.1] [--keep]

At ``--scale 1``: 3,000 counties, 10,000,000 children, 0.9 volunteers a child, 1.1 pairings a
paired child, 6 duties a pairing.  The files are those ``export facts`` writes (the same
columns, types, writer settings and manifests), with synthetic figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aimama_cli.reports import facts, federation  # noqa: E402

AS_OF = dt.date(2026, 11, 1)
CATEGORIES = np.array(["left_behind", "disabled", "scattered_orphan", "unsupported", "other_difficulty",
                       "single_parent"])
KINDS = np.array(["local", "remote", "professional"])
STATUSES = np.array(["met", "due", "overdue", "not_applicable"])
DUTIES = [("yueyang-village", "regular_visit"), ("yueyang-village", "visit_checklist"),
          ("yueyang-village", "group_activity"), ("yueyang-agency", "home_visit"), ("yueyang-agency", "book"),
          ("yueyang-agency", "insurance")]


def counties(n: int) -> list[str]:
    """``n`` county codes over 31 provinces and their cities (synthetic, well formed)."""
    found = []
    for i in range(n):
        province = 11 + i % 31
        city = 1 + (i // 31) % 12
        county = 1 + (i // (31 * 12)) % 99
        found.append(f"{province:02d}{city:02d}{county:02d}")
    return sorted(set(found))


def county_rows(code: str, children: int, rng) -> dict[str, list[tuple]]:
    """One county's tables, as rows in the columns ``export facts`` writes."""
    villages = [f"{code}{1 + t:03d}{201 + v:03d}" for t in range(max(1, children // 600)) for v in range(6)]
    place = rng.integers(0, len(villages), children)
    active = rng.random(children) < 0.97
    paired = rng.random(children) < 0.85
    priority = rng.random(children) < 0.3
    cats = rng.integers(0, len(CATEGORIES), (children, 2))
    two = rng.random(children) < 0.3
    rows = {"regions": [(code + "000000", f"县{code}", "county")]
            + [(code[:2] + "0" * 10, f"省{code[:2]}", "province"), (code[:4] + "0" * 8, f"市{code[:4]}", "city")]
            + [(v, f"村{v[-6:]}", "village") for v in villages]}
    rows["children"] = [
        (f"C{code}-{i:08d}", villages[place[i]], villages[place[i]][:9], "active" if active[i] else "closed",
         list(dict.fromkeys(CATEGORIES[cats[i, :1 + two[i]]].tolist())), "yellow", None, bool(priority[i]), True,
         bool(paired[i]), int(paired[i]), 0, False) for i in range(children)]
    n_volunteers = int(children * 0.9)
    kind = rng.integers(0, 3, n_volunteers)
    vplace = rng.integers(0, len(villages), n_volunteers)
    rows["volunteers"] = [
        (f"V{code}-{i:08d}", villages[vplace[i]], villages[vplace[i]][:9], "active", str(KINDS[kind[i]]),
         f"T{code}-00000001", "approved", None, bool(i % 7), int(i % 3 > 0), Decimal(i % 40))
        for i in range(n_volunteers)]
    pairings = [(i, j) for i in np.flatnonzero(paired) for j in range(1 + (i % 10 == 0))]
    status = rng.choice(4, (len(pairings), len(DUTIES)), p=[0.6, 0.2, 0.15, 0.05])
    overdue = (status == 2).sum(axis=1)
    rows["pairings"] = [(f"P{code}-{k:08d}", f"C{code}-{i:08d}", f"V{code}-{(i + j) % n_volunteers:08d}", "local",
                         villages[place[i]], villages[place[i]][:9], "2025-03-01", None, True, len(DUTIES),
                         int(overdue[k])) for k, (i, j) in enumerate(pairings)]
    rows["duties"] = [
        (f"P{code}-{k:08d}", f"C{code}-{i:08d}", f"V{code}-{(i + j) % n_volunteers:08d}", villages[place[i]],
         villages[place[i]][:9], programme, duty, duty, str(STATUSES[status[k, d]]), "2026-12-31")
        for k, (i, j) in enumerate(pairings) for d, (programme, duty) in enumerate(DUTIES)]
    rows["cases"], rows["teams"] = [], [(f"T{code}-00000001", "county", "village", code + "000000", n_volunteers, 0,
                                         Decimal(0))]
    return rows


def generate(dest: Path, n_counties: int, n_children: int, seed: int = 1) -> tuple[int, int]:
    rng = np.random.default_rng(seed)
    codes = counties(n_counties)
    per = max(1, n_children // len(codes))
    duties = 0
    for code in codes:
        rows = county_rows(code, per, rng)
        duties += len(rows["duties"])
        facts._write_county(dest / facts.partition(code), rows, {
            "format": facts.FORMAT, "schema_version": facts.SCHEMA_VERSION, "tool": "aimama",
            "tool_version": "benchmark", "county": code, "county_name": f"县{code}",
            "repository": {"region": code, "name": "synthetic"}, "commit": None,
            "as_of": AS_OF.isoformat(), "year": AS_OF.year})
    return per * len(codes), duties


def timed(label: str, work) -> float:
    start = time.perf_counter()
    found = work()
    seconds = time.perf_counter() - start
    rows = len(getattr(found, "regions", None) or getattr(found, "by_region", []))
    print(f"{label:<34} {seconds:7.2f} s  ({rows} rows)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="where to write the nation's exports (emptied first)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the nation: 3,000 counties and 10,000,000 children at 1")
    parser.add_argument("--keep", action="store_true", help="reuse the exports already in DIR")
    args = parser.parse_args()
    n_counties, n_children = max(1, round(3000 * args.scale)), round(10_000_000 * args.scale)
    if not args.keep:
        shutil.rmtree(args.dir, ignore_errors=True)
        start = time.perf_counter()
        children, duties = generate(args.dir, n_counties, n_children)
        size = sum(p.stat().st_size for p in args.dir.rglob("*.parquet"))
        print(f"generated {n_counties} counties, {children:,} children, {duties:,} duties, "
              f"{size / 1e6:.0f} MB of Parquet in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    chosen = federation.select(federation.manifests(args.dir))
    print(f"{'find and check the manifests':<34} {time.perf_counter() - start:7.2f} s  ({len(chosen.exports)} counties)")
    figures = {f"coverage by {level}": timed(f"coverage by {level}", lambda: federation.coverage(chosen, level))
               for level in ("province", "city")}
    figures |= {f"duties by {level}": timed(f"duties by {level}", lambda: federation.duties(chosen, level))
                for level in ("province", "city")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    print(json.dumps({"counties": len(chosen.exports), **{k: round(v, 2) for k, v in figures.items()},
                      "peak_mb": round(peak)}))


if __name__ == "__main__":
    main()

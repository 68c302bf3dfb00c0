"""`export facts`: the supervision facts as Parquet, one Hive partition a county, with a
manifest; pseudonymised; the same commit and day give the same bytes (issue 22)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import AS_OF, run

pq = pytest.importorskip("pyarrow.parquet")

ID_NUMBER = re.compile(rb"[0-9]{17}[0-9X]")  # a region code (12 digits) can run into another: checked on known values
PHONE = re.compile(rb"1[3-9][0-9]{9}")
COUNTIES = ("430621", "430626", "430681")


def export(root, dest, *args):
    result = run("--root", str(root), "export", "facts", "--output", str(dest), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    return result


def county(dest, code):
    return dest / f"province={code[:2]}/city={code[:4]}/county={code}"


def test_facts_are_partitioned_by_county_with_a_manifest(demo, tmp_path):
    result = export(demo, tmp_path / "facts")
    assert "facts of 3 counties as of 2026-11-01" in result.output
    for code in COUNTIES:
        folder = county(tmp_path / "facts", code)
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["county"] == code and manifest["as_of"] == AS_OF and manifest["schema_version"] == 1
        assert len(manifest["commit"]) == 40 and manifest["year"] == 2026
        for name, table in manifest["tables"].items():
            assert pq.read_table(folder / table["file"]).num_rows == table["rows"], name
        children = pq.read_table(folder / "children.parquet").to_pylist()
        assert children and all(c["village"].startswith(code) for c in children)
    # every child of the demo is in one county's file, once
    ids = [c["id"] for code in COUNTIES
           for c in pq.read_table(county(tmp_path / "facts", code) / "children.parquet").to_pylist()]
    assert sorted(ids) == sorted(p.stem for p in (demo / "records" / "children").glob("*.yaml"))


def test_the_same_commit_and_day_give_the_same_bytes(demo, tmp_path):
    export(demo, tmp_path / "a")
    export(demo, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 3 * 8
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    export(demo, tmp_path / "c", "--year", "2025")
    manifest = county(tmp_path / "c", "430621") / "manifest.json"
    assert manifest.read_bytes() != (county(tmp_path / "a", "430621") / "manifest.json").read_bytes()


def test_facts_hold_no_name_id_number_phone_or_note(demo, tmp_path):
    # the demo fixture's key opens the sealed fields: what could leak is readable to the exporter
    listed = run("--root", str(demo), "child", "list", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    secrets = set()
    for child in listed.json()[:6]:
        shown = run("--root", str(demo), "child", "show", child["id"], "--format", "json", "--reveal").json()["record"]
        guardian = shown.get("guardian") or {}
        secrets |= {shown["name"], shown.get("id_number"), guardian.get("name"), guardian.get("phone"),
                    shown.get("parents"), shown.get("notes")}
    secrets = {s for s in secrets if s}
    assert any(ID_NUMBER.fullmatch(s.encode()) for s in secrets) and any(PHONE.fullmatch(s.encode()) for s in secrets)
    export(demo, tmp_path / "facts")
    texts = []
    for path in (tmp_path / "facts").rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert not [s for s in secrets if s.encode() in raw], path
            if path.suffix == ".parquet":
                texts.append(json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str))
    text = "\n".join(texts)
    assert not [s for s in secrets if s in text]
    assert not PHONE.search(text.encode()) and "ENC[" not in text
    columns = {c for p in (tmp_path / "facts").rglob("*.parquet") if p.stem != "regions"  # places' names only
               for c in pq.read_schema(p).names}
    assert columns.isdisjoint({"name", "id_number", "phone", "address", "notes", "guardian", "school", "summary"})


def test_facts_need_an_output_folder(demo):
    result = run("--root", str(demo), "export", "facts")
    assert result.exit_code == 2


def test_hours_of_many_decimal_places_are_kept_to_six(demo, tmp_path):
    log = demo / "records" / "activities" / "2026" / "V430681-QY0NSTEK.yaml"
    log.write_text(log.read_text(encoding="utf-8").replace("hours: 0.3\n", "hours: 0.3333333\n", 1), encoding="utf-8")
    export(demo, tmp_path / "facts")
    rows = pq.read_table(county(tmp_path / "facts", "430681") / "volunteers.parquet").to_pylist()
    hours = {r["id"]: r["hours"] for r in rows}["V430681-QY0NSTEK"]
    assert str(hours) == "22.233333"  # the year's 22.2 hours with 0.3 made 0.3333333: summed, then 6 places


def test_hours_count_only_entries_served_and_stay_exact(demo, tmp_path):
    log = demo / "records" / "activities" / "2026" / "V430681-QY0NSTEK.yaml"
    text = log.read_text(encoding="utf-8")
    text = text.replace("contact: made\n    hours: 0.3\n", "contact: attempted\n    hours: 0.3\n", 1)  # not served
    text = text.replace("hours: 1\n", "hours: 1.0\n", 1)  # the same hour written as a decimal
    log.write_text(text, encoding="utf-8")
    export(demo, tmp_path / "facts")
    rows = pq.read_table(county(tmp_path / "facts", "430681") / "volunteers.parquet").to_pylist()
    hours = {r["id"]: r["hours"] for r in rows}["V430681-QY0NSTEK"]
    assert str(hours) == "21.900000"  # the year's 22.2 hours less the 0.3 of a contact only attempted


def same_files(a, b):
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return bool(files) and files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_duties_kept_by_the_index_give_the_bytes_of_duties_judged_afresh(demo, tmp_path, monkeypatch):
    from aimama_cli.reports import facts

    export(demo, tmp_path / "kept-first")  # judges, and keeps the judgements in the index
    run("--root", str(demo), "report", "duties", "--as-of", AS_OF)
    export(demo, tmp_path / "kept-after-report")
    log = demo / "records" / "activities" / "2026" / "V430681-QY0NSTEK.yaml"  # one pairing judged again
    log.write_text(log.read_text(encoding="utf-8").replace("contact: made\n", "contact: attempted\n", 1),
                   encoding="utf-8")
    export(demo, tmp_path / "kept-changed")
    monkeypatch.setattr(facts.kept_duties, "judged", lambda *args: None)  # every duty judged by the export itself
    export(demo, tmp_path / "judged-changed")
    assert same_files(tmp_path / "kept-changed", tmp_path / "judged-changed")
    log.write_text(log.read_text(encoding="utf-8").replace("contact: attempted\n", "contact: made\n", 1),
                   encoding="utf-8")
    export(demo, tmp_path / "judged")
    assert same_files(tmp_path / "kept-first", tmp_path / "judged")
    assert same_files(tmp_path / "kept-after-report", tmp_path / "judged")
    assert not same_files(tmp_path / "judged", tmp_path / "judged-changed")

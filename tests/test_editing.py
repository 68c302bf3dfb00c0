"""New records are written by a small emitter; it must write what ruamel would, so that a record
looks the same whether a command created it or edited it later."""

from __future__ import annotations

import pytest
from conftest import PROJECT

from aimama_cli.store import editing, layout
from aimama_cli.store.yamlio import decode, dump_roundtrip, parse

KINDS = ("child", "volunteer", "team", "pairing", "team_pairing", "pledge")
DEMO = sorted(p for p in (PROJECT / "records").rglob("*.yaml")
              if layout.classify(p.relative_to(PROJECT).as_posix())[0] in KINDS)


@pytest.mark.parametrize("path", DEMO, ids=[p.stem for p in DEMO])
def test_fast_writer_writes_what_ruamel_writes(path):
    kind = layout.classify(path.relative_to(PROJECT).as_posix())[0]
    doc = editing.new_document(kind, parse(decode(path.read_bytes())).data)
    editing.name_comments(doc, {"village": "湖滨村", "child": "某某"})
    assert editing.emit(doc) == dump_roundtrip(doc)


def test_awkward_strings_are_quoted_and_read_back():
    data = {"id": "P430621-AAAAAAAA", "child": "C430621-AAAAAAAA", "volunteer": "V430621-AAAAAAAA",
            "role": "local", "started_on": "2026-01-01", "plan": "- 每周: 家访 #1, 'x' "}
    doc = editing.new_document("pairing", data)
    text = editing.emit(doc)
    assert text == dump_roundtrip(doc) and parse(text).data == data
    assert editing.emit(editing.new_document("pairing", {**data, "plan": "两行\n文字"})) is None

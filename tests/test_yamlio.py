"""Reading and writing YAML: YAML 1.2 values, comments kept, atomic writes."""

from __future__ import annotations

import os

import pytest

from aimama_cli.store.yamlio import YamlProblem, atomic_write, dump_roundtrip, load_roundtrip, parse


def test_yaml_1_2_values():
    data = parse("a: no\nb: on\nc: 0730\nd: 2025-02-30\ne: '13900001000'\nf: ~\ng: 1.5\n").data
    assert data == {"a": "no", "b": "on", "c": 730, "d": "2025-02-30", "e": "13900001000",
                    "f": None, "g": 1.5}


def test_round_trip_keeps_comments_order_and_quotes(tmp_path):
    path = tmp_path / "r.yaml"
    text = ("# 手写的说明\nid: C430621-0000C001\nname: 王小雨  # 小名雨雨\n"
            "birth_date: '2015-03-08'\nneeds: [emotional, study]\nguardian:\n  name: 王桂英\n")
    path.write_text(text, encoding="utf-8")
    data = load_roundtrip(path)
    data["guardian"]["name"] = "王建国"
    out = dump_roundtrip(data)
    assert out == text.replace("王桂英", "王建国")


def test_round_trip_refuses_duplicate_keys(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(YamlProblem) as info:
        load_roundtrip(path)
    assert info.value.code == "AM105" and info.value.line == 2


def test_atomic_write_leaves_old_content_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "data" / "r.yaml"
    path.parent.mkdir()
    path.write_text("old: 1\n", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(path, "new: 2\n")
    assert path.read_text(encoding="utf-8") == "old: 1\n"
    assert [p.name for p in path.parent.iterdir()] == ["r.yaml"]  # no temporary file left

"""The schemas are valid draft 2020-12, strict, and label every code in Chinese."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from aimama_cli.store import schemas


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_schema_is_valid_2020_12(kind):
    Draft202012Validator.check_schema(schemas.raw_schema(kind))
    Draft202012Validator.check_schema(schemas.schema(kind))


def _nodes(node, wanted):
    """Every sub-schema of ``node`` for which ``wanted`` is true."""
    if isinstance(node, dict):
        if wanted(node):
            yield node
        for value in node.values():
            yield from _nodes(value, wanted)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value, wanted)


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_object_is_strict(kind):
    for node in _nodes(schemas.schema(kind), lambda n: n.get("type") == "object"):
        assert node.get("additionalProperties") is False, node.get("title")


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_enum_code_has_a_chinese_label(kind):
    for node in _nodes(schemas.schema(kind), lambda n: "enum" in n):
        if node["enum"] in (["zh", "en"],):
            continue
        assert set(node.get("x-labels", {})) == set(node["enum"]), node.get("title")


def test_sensitive_fields_are_marked():
    assert ("id_number",) in schemas.info("child").sensitive
    assert ("guardian", "phone") in schemas.info("child").sensitive
    assert ("phone",) in schemas.info("volunteer").sensitive


def test_labels_work_both_ways():
    assert schemas.label("child", ("categories", "*"), "left_behind", "zh") == "留守儿童"
    assert schemas.code_for("child", ("categories", "*"), "留守儿童") == "left_behind"
    assert schemas.code_for("child", ("categories", "*"), "left_behind") == "left_behind"

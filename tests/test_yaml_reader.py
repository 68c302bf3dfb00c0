"""The native reader (store/quick_yaml.py) gives exactly the values libyaml and our walker give,
or steps aside: a record must mean the same whichever reader read it."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from aimama_cli.store import quick_yaml
from aimama_cli.store.yamlio import YamlProblem, parse, parse_slowly

DEMO = sorted((Path(__file__).resolve().parent.parent / "records").rglob("*.yaml"))


def slow(text: str):
    """What the slow reader makes of ``text``: its values, or the problem it reports."""
    try:
        parsed = parse_slowly(text)
    except YamlProblem as exc:
        return ("problem", exc.code, exc.line)
    return ("values", repr(parsed.data), [code for _, code, _ in parsed.odd])


def disagreements(texts) -> tuple[list, int]:
    """The texts the native reader read differently, and how many it read at all."""
    wrong, read = [], 0
    for text in texts:
        quick = quick_yaml.values(text)
        if quick is None:
            continue
        read += 1
        if slow(text) != ("values", repr(quick), []):
            wrong.append(text)
    return wrong, read


def fuzzed(alphabet: str, seed: int, count: int, longest: int):
    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, longest)))
        yield from (text, "a: " + text, "a:\n  " + text.replace("\n", "\n  "),
                    "a:\n- " + text.replace("\n", "\n  "))


@pytest.mark.parametrize("alphabet", [
    "ab1: -#'\n[],.中",                 # structure: keys, lists, comments, quotes, flow lists
    "ab1: -#'\n\n  [],.中0eE+~xo_",     # and the characters numbers are made of
    "0123456789+-._eExXbBoO:~ aAfFnNlLsSuUtTrR",  # scalars: numbers, booleans, null
])
def test_the_native_reader_agrees_on_fuzzed_texts_or_steps_aside(alphabet):
    wrong, read = disagreements(fuzzed(alphabet, seed=23, count=6000, longest=16))
    assert wrong == []
    assert read > 1000  # it did read a good share: the comparison compared something


def test_the_native_reader_agrees_on_damaged_records():
    texts = [path.read_text(encoding="utf-8") for path in DEMO]
    rng, damaged = random.Random(7), []
    for _ in range(4000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at, what = rng.randrange(len(text) + 1), rng.choice(" \n:-#'[],.0123456789abeE_+~中，")
            text = rng.choice([text[:at] + what + text[at:], text[:at] + text[at + 1:],
                               text[:at] + what + text[at + 1:]])
        damaged.append(text)
    wrong, read = disagreements(damaged)
    assert wrong == [] and read > 1000
    assert disagreements(texts) == ([], sum(quick_yaml.values(t) is not None for t in texts))


@pytest.mark.parametrize("text", [
    "a: 1_000\n", "a: _9\n", "a: 0X1F\n", "a: 0b1\n", "a: -0x1F\n", "a: 1e_3\n",  # numbers to one only
    "a: [b: c]\n", "a: [1, [2]]\n", "a: {b: c}\n",  # flow forms libyaml reads otherwise
    "a: &x 1\nb: *x\n", "a: !!binary eA==\n", "a: .nan\n", "a: -.inf\n",
    "a: 99999999999999999999\n", "1: x\n", "? [a]\n: b\n", "a: 1\na: 2\n",
    "a: 1\n---\nb: 2\n", "- a\n", "a: b\u2028c\n", "a:\tb\n", "a: \"\\x41\"\n",
])
def test_forms_the_two_readers_read_apart_are_read_slowly(text):
    assert quick_yaml.values(text) is None
    try:
        parsed = parse(text)
    except YamlProblem as exc:
        assert slow(text) == ("problem", exc.code, exc.line)
    else:
        assert slow(text) == ("values", repr(parsed.data), [code for _, code, _ in parsed.odd])


@pytest.mark.parametrize("text, said", [("a:\n  " + "- " * 100_000 + "x\n", "AM104"),
                                        ("".join(" " * i + "k:\n" for i in range(600)) + " " * 600 + "k: 1\n", "read")])
def test_a_record_nested_thousands_deep_goes_to_libyaml_not_to_a_crash(text, said):
    """The native reader recurses: 20,000 levels ("- - - …", 40 kB) crash the process.  A text
    that may nest hundreds deep goes to libyaml, which reads it or refuses it with a located
    problem (in a process of its own: a crash must fail this test, not end the run)."""
    code = ("import sys; from aimama_cli.store import quick_yaml; from aimama_cli.store.yamlio import parse, YamlProblem\n"
            "text = sys.stdin.read(); print(quick_yaml.values(text) is None)\n"
            "try: parse(text); print('read')\nexcept YamlProblem as exc: print(exc.code)")
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.split()) == (0, ["True", said]), done.stderr


def test_a_record_read_natively_still_locates_its_fields():
    text = "# 手写\nid: C1\nguardian:\n  name: 王桂英\n  phone: '13900001000'\nneeds: [study, health]\n"
    parsed = parse(text)
    assert parsed.tree is None  # read natively: no node tree composed yet
    assert parsed.locate(("guardian", "phone")) == (5, 10)
    assert parsed.locate(("needs", 1)) == (6, 16)


def test_without_the_native_reader_every_text_is_read_slowly(monkeypatch):
    monkeypatch.setattr(quick_yaml, "_loads", None)
    parsed = parse("a: no\nb: 0730\n")
    assert parsed.data == {"a": "no", "b": 730} and parsed.tree is not None

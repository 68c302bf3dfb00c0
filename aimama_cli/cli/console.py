"""Output a console can show: a stream whose encoding is not UTF-8 (a Chinese Windows console
in GBK, a Western one in cp1252) never ends a command with UnicodeEncodeError; a character it
cannot encode is written as "?", and one that cannot encode Chinese at all says how to switch
to UTF-8."""

from __future__ import annotations

import codecs
import sys

from aimama_cli.messages import MESSAGES

SAMPLE = "爱心妈妈"  # what every record holds: names, villages


def fit_streams() -> None:
    """Make standard output and error replace what their encoding cannot write, and say once
    (on standard error) when that is Chinese itself."""
    cannot_show = []
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue  # a test's buffer, a stream already replaced
        name = codecs.lookup(encoding).name
        if name in ("utf-8", "ascii"):  # click writes UTF-8 to an "ascii" stream on its own
            continue
        stream.reconfigure(errors="replace")
        try:
            SAMPLE.encode(encoding)
        except UnicodeEncodeError:
            cannot_show.append(name)
    if cannot_show:
        # in English whatever the language: this console cannot show the Chinese text
        sys.stderr.write("aimama: " + MESSAGES["console.no_chinese"][0].format(encoding=cannot_show[0]) + "\n")

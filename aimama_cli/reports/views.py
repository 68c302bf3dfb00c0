"""How records look on a terminal: listing rows and the card of one record, with Chinese
labels when the language is Chinese and sensitive values masked unless revealed. A value is
shown, never obeyed: its control characters are written out (core/text.py), and a CSV cell
that starts like a formula is made text."""

from __future__ import annotations

import csv
import io

from aimama_cli.core.i18n import language, t
from aimama_cli.core.text import for_terminal, inert_cell, json_text
from aimama_cli.store import schemas
from aimama_cli.store.sealing.masking import displayed, masked

# listing columns per kind: (column key, how to get the value from a roster row)
COLUMNS = {
    "child": ["id", "name", "gender", "age", "village", "categories", "risk_level", "priority",
              "paired", "status"],
    "volunteer": ["id", "name", "gender", "kind", "team", "village", "vetting.status", "load",
                  "status"],
    "team": ["id", "name", "level", "kind", "region", "parent", "status"],
}


def shown(kind: str, path: tuple, value, names: dict[str, str]) -> str:
    """One value as a person reads it: enum codes as labels, region codes and ids with names,
    control characters written out."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "、".join(shown(kind, path + ("*",), v, names) for v in value) if language() == "zh" \
            else ", ".join(shown(kind, path + ("*",), v, names) for v in value)
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    text = str(value)
    labelled = schemas.label(kind, schemas.pattern_of(path), text, language())
    if labelled != text:
        return labelled
    if text in names:
        text = f"{names[text]} {text}" if language() == "zh" or not text.isdigit() else f"{text} {names[text]}"
    return for_terminal(text)


def rows_for(kind: str, rows: list[dict], names: dict[str, str]) -> list[dict]:
    """Listing rows as {column: display text}.  A column's values repeat (a gender, a status, a
    category): each distinct one is labelled once."""
    result = []
    seen: dict = {}
    for row in rows:
        out = {}
        for column in COLUMNS[kind]:
            if column == "priority":
                out[column] = "★" if row.get("priority") else ""
            elif column == "paired":
                out[column] = "+".join(shown("pairing", ("role",), r, {}) for r in row["roles"]) or "—"
            elif column == "load":
                out[column] = f"{row['pairings']}/{row.get('capacity', '?')}"
            elif column in ("village", "region", "team", "parent"):
                code = row.get(column)
                out[column] = for_terminal(str(names.get(code, code) or ""))
            else:
                value = row.get(column)
                try:  # the type too: True and 1 are equal keys, and read otherwise
                    key = (column, type(value), tuple(value) if isinstance(value, list) else value)
                    out[column] = seen[key] if key in seen else seen.setdefault(
                        key, shown(kind, tuple(column.split(".")), value, {}))
                except TypeError:  # a value that cannot be a key (a list of lists): labelled each time
                    out[column] = shown(kind, tuple(column.split(".")), value, {})
        result.append(out)
    return result


def headers(kind: str) -> list[str]:
    return [t(f"list.col.{c}") for c in COLUMNS[kind]]


def render_rows(kind: str, rows: list[dict], fmt: str, names) -> str:
    if fmt == "json":
        return json_text([masked(kind, r) for r in rows])
    display = rows_for(kind, rows, names)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS[kind])
        writer.writerows([[inert_cell(r[c]) for c in COLUMNS[kind]] for r in display])
        return buffer.getvalue().rstrip("\n")
    table = simple_table([[r[c] for c in COLUMNS[kind]] for r in display], headers(kind))
    return table + "\n" + t("list.count", count=len(rows))


def card(kind: str, data: dict, names: dict[str, str], reveal: bool) -> list[str]:
    """A record as labelled lines, nested fields indented, in schema order."""
    shown_data = displayed(kind, data, reveal)
    lines: list[str] = []
    _card_lines(kind, shown_data, (), 0, names, lines)
    return lines


def _card_lines(kind, data, path, depth, names, lines):
    lang = language()
    titles = schemas.info(kind).titles
    for key, value in data.items():
        here = path + (key,)
        if here == ("id",):
            continue  # the heading shows it
        en, zh = titles.get(schemas.pattern_of(here), (key, key))
        label = for_terminal(str(zh if lang == "zh" else en))  # a hand-written key is shown too
        pad = "  " * depth
        if isinstance(value, dict):
            lines.append(f"{pad}{label}:")
            _card_lines(kind, value, here, depth + 1, names, lines)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{pad}{label}:")
            for i, item in enumerate(value):
                parts = [shown(kind, here + (i, k), v, names) for k, v in item.items()]
                lines.append(f"{pad}  - " + " · ".join(p for p in parts if p))
        else:
            lines.append(f"{pad}{label}: {shown(kind, here, value, names)}")


def simple_table(rows: list[list[str]], headers: list[str]) -> str:
    """tabulate's "simple" layout of text cells (no number parsing), line for line, measuring
    each distinct cell once: a duty check lists 94,000 rows, which tabulate lays out in 5 s."""
    from wcwidth import wcswidth

    measured: dict[str, int] = {}
    rows = [[for_terminal(c) if isinstance(c, str) else c for c in row] for row in rows]  # shown, not obeyed

    def width(text: str) -> int:
        found = measured.get(text)
        if found is None:
            found = measured[text] = max(wcswidth(text), 0)
        return found

    widths = [width(h) + 2 for h in headers]  # tabulate pads headers by two
    for row in rows:
        for i, cell in enumerate(row):
            if width(cell) > widths[i]:
                widths[i] = width(cell)

    def line(cells) -> str:
        return "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])

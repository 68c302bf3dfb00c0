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


def cells_for(kind: str, listing: dict[str, list], names: dict[str, str], finish=None) -> list[tuple[str, ...]]:
    """A listing's columns (domain/people.listing) as rows of display texts, in COLUMNS[kind]
    order, each passed through ``finish`` if given.  A column's values repeat (a gender, a
    status, a village): each distinct one is shown once."""
    columns = []
    for column in COLUMNS[kind]:
        values, show = _column(kind, column, listing, names)
        columns.append(_each(values, (lambda v, show=show: finish(show(v))) if finish else show))
    return list(zip(*columns))  # rows of cells, as tuples


def _column(kind: str, column: str, listing: dict[str, list], names: dict[str, str]):
    """A column's values, and how one is shown."""
    if column == "priority":
        return listing["priority"], lambda priority: "★" if priority else ""
    if column == "paired":
        return listing["roles"], lambda roles: "+".join(shown("pairing", ("role",), r, {}) for r in roles) or "—"
    if column == "load":
        return list(zip(listing["pairings"], listing["capacity"])), \
            lambda load: "%s/%s" % (load[0], "?" if load[1] is None else load[1])
    if column in ("village", "region", "team", "parent"):
        return listing[column], lambda code: for_terminal(str(names.get(code, code) or ""))
    path = tuple(column.split("."))
    plain = not schemas.info(kind).labels.get(path)  # no codes to label here: a text is shown as it is
    return listing[column], \
        lambda value: for_terminal(value) if plain and type(value) is str else shown(kind, path, value, {})


def _each(values: list, show) -> list[str]:
    """show(value) for each of ``values``, worked out once for each distinct value."""
    if {type(value) for value in values} <= {str, type(None)}:  # texts: the values are the keys
        shown_as = {value: show(value) for value in dict.fromkeys(values)}
        return [shown_as[value] for value in values]
    done: dict = {}
    result = []
    for value in values:
        try:  # the type too: True and 1 are equal keys, and read otherwise
            key = (type(value), tuple(value) if isinstance(value, list) else value)
            text = done.get(key)
            if text is None:
                text = done[key] = show(value)
        except TypeError:  # a value that cannot be a key (a list of lists): shown each time
            text = show(value)
        result.append(text)
    return result


def headers(kind: str) -> list[str]:
    return [t(f"list.col.{c}") for c in COLUMNS[kind]]


def rows_json(kind: str, rows: list[dict]) -> str:
    """Rows of every field (domain/people.roster), sensitive values masked, as JSON."""
    return json_text([masked(kind, r) for r in rows])


def render_listing(kind: str, listing: dict[str, list], fmt: str, names) -> str:
    """A listing's columns (domain/people.listing) as CSV or a table."""
    if fmt == "csv":
        cells = cells_for(kind, listing, names, finish=inert_cell)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS[kind])
        writer.writerows(cells)
        return buffer.getvalue().rstrip("\n")
    return simple_table(cells_for(kind, listing, names), headers(kind)) + "\n" + \
        t("list.count", count=len(listing["id"]))


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
    """tabulate's "simple" layout of text cells (no number parsing), line for line.  Laid out a
    column at a time, each distinct cell measured and padded once: a duty check lists 94,000
    rows and a province's child list 100,000, which tabulate lays out in seconds."""
    from wcwidth import wcswidth

    padded = []
    widths = []
    for i, header in enumerate(headers):
        column = [row[i] for row in rows]
        shown_as = {cell: for_terminal(cell) if isinstance(cell, str) else str(cell)  # shown, not obeyed
                    for cell in dict.fromkeys(column)}
        width_of = {cell: max(wcswidth(text), 0) for cell, text in shown_as.items()}
        width = max([max(wcswidth(header), 0) + 2, *width_of.values()])  # tabulate pads headers by two
        pad = {cell: text + " " * (width - width_of[cell]) for cell, text in shown_as.items()}
        padded.append([pad[cell] for cell in column])
        widths.append(width)
    head = "  ".join(h + " " * (w - max(wcswidth(h), 0)) for h, w in zip(headers, widths)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([head, rule, *("  ".join(cells).rstrip() for cells in zip(*padded))])

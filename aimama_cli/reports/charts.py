"""Charts as inline SVG for the dashboard: no script, no server, no library; they print as
drawn.  Each bar and point carries its number as text too, so nothing is only a colour."""

from __future__ import annotations

from html import escape

WIDTH = 720
ROW = 26  # height of one bar's row
LABEL = 150  # room for the labels on the left
COLOURS = {"met": "#2e7d32", "due": "#f9a825", "overdue": "#c62828", "children": "#90a4ae", "paired": "#1565c0",
           "bar": "#1565c0"}


def _svg(height: int, body: str, title: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{body}</svg>")


def bars(items: list[tuple[str, float | None]], title: str, unit: str = "%", top: float = 100) -> str:
    """One horizontal bar per (label, value); a value of None is drawn as "—"."""
    span = WIDTH - LABEL - 70
    parts = []
    for i, (label, value) in enumerate(items):
        y = i * ROW + 4
        parts.append(f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL + 4}" y="{y + 15}">—</text>')
            continue
        w = span * min(value, top) / top if top else 0
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{w:.1f}" height="{ROW - 8}" fill="{COLOURS["bar"]}"/>')
        parts.append(f'<text x="{LABEL + w + 6:.1f}" y="{y + 15}">{value:.1f}{unit}</text>')
    return _svg(len(items) * ROW + 8, "".join(parts), title)


def stacked(items: list[tuple[str, dict]], keys: list[tuple[str, str]], title: str, label: int = 300) -> str:
    """One bar per (label, {key: count}), split by ``keys`` [(key, legend)], with a legend; ``label``:
    the room for the labels (a duty's name is long)."""
    span = WIDTH - label - 20
    parts = []
    for i, (key, legend) in enumerate(keys):
        x = label + i * 120
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[key]}"/>'
                     f'<text x="{x + 18}" y="15">{escape(legend)}</text>')
    for i, (name, counts) in enumerate(items):
        y = (i + 1) * ROW + 4
        whole = sum(counts.get(k, 0) for k, _ in keys)
        parts.append(f'<text x="{label - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        x = float(label)
        for key, _legend in keys:
            n = counts.get(key, 0)
            if not n:
                continue
            w = span * n / whole
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 8}" fill="{COLOURS[key]}"/>')
            if w > 18:
                parts.append(f'<text class="in" x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle">{n}</text>')
            x += w
    return _svg((len(items) + 1) * ROW + 8, "".join(parts), title)


def lines(labels: list[str], series: list[tuple[str, str, list[int]]], title: str) -> str:
    """A line per (key, legend, values) over ``labels`` (months), from zero, with the values."""
    height, left, bottom, top_pad = 280, 50, 40, 50
    plot_w, plot_h = WIDTH - left - 40, height - bottom - top_pad
    top = max([v for _k, _l, values in series for v in values] + [1])
    step = plot_w / max(len(labels) - 1, 1)

    def point(i: int, v: int) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h * (1 - v / top)

    parts = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#555"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>',
             f'<text x="{left - 6}" y="{top_pad + plot_h + 4}" text-anchor="end">0</text>']
    for i, label in enumerate(labels):
        x, _y = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{escape(label)}</text>')
    for n, (key, legend, values) in enumerate(series):
        colour = COLOURS[key]
        parts.append(f'<rect x="{left + n * 130}" y="4" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + n * 130 + 18}" y="15">{escape(legend)}</text>')
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            x, y = point(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                         f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" class="small">{v}</text>')
    return _svg(height, "".join(parts), title)


BANDS = ("high", "middle", "low", "none")  # coverage of 80% and more, 60–80%, under 60%, not known
BAND_COLOURS = {"high": "#2e7d32", "middle": "#f9a825", "low": "#c62828", "none": "#b0bec5"}
TILE, PER_ROW = 84, 8


def band(value: float | None) -> str:
    return "none" if value is None else "high" if value >= 80 else "middle" if value >= 60 else "low"


def tiles(groups: list[tuple[str, list[tuple[str, float | None]]]], title: str,
          legend: list[tuple[str, str]]) -> str:
    """A map without geography: a tile a region (its name and figure, coloured by ``band``),
    in rows under the name of the region they belong to; ``legend`` [(band, text)]."""
    parts, y = [], 4
    for i, (key, text) in enumerate(legend):
        x = i * 150
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{BAND_COLOURS[key]}"/>'
                     f'<text x="{x + 18}" y="{y + 11}">{escape(text)}</text>')
    y += 24
    for heading, items in groups:
        if heading:
            parts.append(f'<text x="0" y="{y + 12}" class="group">{escape(heading)}</text>')
            y += 18
        for i, (name, value) in enumerate(items):
            x, top = (i % PER_ROW) * (TILE + 4), y + (i // PER_ROW) * (TILE // 2 + 4)
            shown = "—" if value is None else f"{value:.1f}%"
            parts.append(f'<rect x="{x}" y="{top}" width="{TILE}" height="{TILE // 2}" rx="4" '
                         f'fill="{BAND_COLOURS[band(value)]}"/>'
                         f'<text class="in" x="{x + TILE / 2}" y="{top + 17}" text-anchor="middle">{escape(name[:6])}</text>'
                         f'<text class="in" x="{x + TILE / 2}" y="{top + 33}" text-anchor="middle">{shown}</text>')
        y += ((len(items) + PER_ROW - 1) // PER_ROW) * (TILE // 2 + 4) + 8
    return _svg(y, "".join(parts), title)

"""Small server-rendered SVG charts: no script, readable without colour, printable."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#0b4f8a"
LINE_SCORE = "#0b4f8a"
LINE_WAIT = "#b45309"


def bars(rows: list[dict], value: str, *, maximum: float, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per row, each labelled with its key and value."""
    height = 28 * len(rows) + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 600 {height}" role="img" aria-label="{escape(title)}">'
    ]
    for index, row in enumerate(rows):
        number = row.get(value)
        y = 5 + index * 28
        width = 0 if number is None else max(2, 330 * number / maximum)
        shown = "–" if number is None else f"{number:g}{unit}"
        parts.append(
            f'<text x="0" y="{y + 17}" class="chart__label">{escape(str(row["key"]))[:28]}</text>'
            f'<rect x="200" y="{y + 4}" width="{width:.1f}" height="18" fill="{BAR}" rx="3"/>'
            f'<text x="{206 + width:.1f}" y="{y + 18}" class="chart__value">{escape(shown)}'
            f" (n={row['count']})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend(rows: list[dict], *, title: str) -> SafeString:
    """Mean score (left axis, 1-5) and mean wait (right axis) per day, as two lines."""
    if not rows:
        return mark_safe("")
    width, height, left, right, top, bottom = 640, 220, 40, 600, 15, 185
    step = (right - left) / max(1, len(rows) - 1)
    top_wait = max([r["avg_wait_minutes"] or 0 for r in rows] + [10])

    def points(key: str, low: float, high: float) -> str:
        def y(value: float) -> float:
            return bottom - (bottom - top) * (value - low) / (high - low)

        return " ".join(f"{left + i * step:.1f},{y(r[key] or low):.1f}" for i, r in enumerate(rows))

    labels = [rows[0]["key"], rows[-1]["key"]]
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">'
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#9aa5b1"/>'
        f'<polyline fill="none" stroke="{LINE_SCORE}" stroke-width="3" '
        f'points="{points("avg_score", 1, 5)}"/>'
        f'<polyline fill="none" stroke="{LINE_WAIT}" stroke-width="2" stroke-dasharray="6 4" '
        f'points="{points("avg_wait_minutes", 0, top_wait)}"/>'
        f'<text x="0" y="{top + 5}" class="chart__value">5</text>'
        f'<text x="0" y="{bottom}" class="chart__value">1</text>'
        f'<text x="{right + 5}" y="{top + 5}" class="chart__value">{top_wait:.0f}′</text>'
        f'<text x="{left}" y="{height - 5}" class="chart__label">{escape(labels[0])}</text>'
        f'<text x="{right - 80}" y="{height - 5}" class="chart__label">{escape(labels[1])}</text>'
        "</svg>"
    )

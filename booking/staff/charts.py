"""Small server-rendered SVG charts: no script, readable without colour, printable."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#0b4f8a"
LINE_SCORE = "#0b4f8a"
LINE_WAIT = "#b45309"


def number(value: float, places: int = 2) -> str:
    """A figure as the page's language writes it ("4,24" on German pages), no trailing zeros."""
    text = f"{round(value, places):.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def short_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def bars(
    rows: list[dict],
    value: str,
    *,
    maximum: float,
    title: str,
    unit: str = "",
    show_count: bool = True,
) -> SafeString:
    """Horizontal bars, one per row, each labelled with its label (or key) and value."""
    height = 28 * len(rows) + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 600 {height}" role="img" aria-label="{escape(title)}">'
    ]
    for index, row in enumerate(rows):
        figure = row.get(value)
        y = 5 + index * 28
        width = 0 if figure is None else max(2, 330 * figure / maximum)
        shown = "–" if figure is None else f"{number(figure)}{unit}"
        count = f" (n={row['count']})" if show_count else ""
        label = str(row.get("label", row["key"]))[:28]
        parts.append(
            f'<text x="0" y="{y + 17}" class="chart__label">{escape(label)}</text>'
            f'<rect x="200" y="{y + 4}" width="{width:.1f}" height="18" fill="{BAR}" rx="3"/>'
            f'<text x="{206 + width:.1f}" y="{y + 18}" class="chart__value">{escape(shown)}'
            f"{count}</text>"
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

    # One day has one date to name, not the same one twice.
    labels = [short_date(rows[0]["key"]), short_date(rows[-1]["key"]) if len(rows) > 1 else ""]
    minutes = _("%(n)s min") % {"n": f"{top_wait:.0f}"}
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
        f'<text x="{right - 60}" y="{top - 2}" class="chart__value">{escape(minutes)}</text>'
        f'<text x="{left}" y="{height - 5}" class="chart__label">{escape(labels[0])}</text>'
        f'<text x="{right - 80}" y="{height - 5}" class="chart__label">{escape(labels[1])}</text>'
        "</svg>"
    )

"""Server-rendered SVG for service levels: the share within target per day, and the
most common journeys drawn as flows of steps (no script, no external chart service)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from .charts import BAR, number, short_date

STEP_COLOURS = {
    "cancelled": "#9a3412",
    "no_show": "#9a3412",
    "left": "#9a3412",
    "rated": "#1e6b3a",
    "rerated": "#1e6b3a",
    "recovery_sent": "#6b21a8",
    "recovery_booked": "#6b21a8",
    "transferred": "#8a6d00",
    "rescheduled": "#8a6d00",
}


def columns(rows: list[dict], *, title: str) -> SafeString:
    """One column per day: the share of visitors called within the target (0-100 %)."""
    if not rows:
        return mark_safe("")
    width, height, left, bottom, top = 640, 200, 36, 165, 12
    step = (width - left - 4) / len(rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<line x1="{left}" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#9aa5b1"/>',
        f'<text x="0" y="{top + 5}" class="chart__value">100 %</text>',
        f'<text x="0" y="{bottom}" class="chart__value">0 %</text>',
    ]
    label_every = max(1, len(rows) // 6)
    for index, row in enumerate(rows):
        x = left + index * step
        share = row["share"]
        if share is not None:
            tall = (bottom - top) * share
            tip = f"{short_date(row['key'])}: {number(share * 100, 0)} % "
            tip += f"({row['within']}/{row['visits']})"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{bottom - tall:.1f}" width="{max(1.0, step - 2):.1f}" '
                f'height="{tall:.1f}" fill="{BAR}"><title>{escape(tip)}</title></rect>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" class="chart__label chart__label--small">'
                f"{escape(short_date(row['key']))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _two_lines(text: str, width: int = 16) -> list[str]:
    words, lines = text.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])[: width - 1] + "…"]
    return lines


def flow(paths: list[dict], labels: dict[str, str], *, title: str) -> SafeString:
    """Each common journey as a row: how often and its mean rating above, then its steps
    as boxes joined by arrows."""
    if not paths:
        return mark_safe("")
    box_w, box_h, gap, row_h = 124, 40, 20, 78
    longest = max(len(p["steps"]) for p in paths)
    width = longest * (box_w + gap)
    height = row_h * len(paths) + 6
    most = max(p["count"] for p in paths)
    parts = [
        f'<svg class="chart flow" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" style="min-width: {min(width, 860)}px">'
    ]
    for index, path in enumerate(paths):
        y = 6 + index * row_h
        bar = max(2, 120 * path["count"] / most)
        summary = ngettext("%(n)s journey", "%(n)s journeys", path["count"]) % {"n": path["count"]}
        if path["avg_score"] is not None:
            summary += " · Ø " + number(path["avg_score"])
        parts.append(
            f'<rect x="0" y="{y + 3}" width="{bar:.1f}" height="12" fill="{BAR}" rx="2"/>'
            f'<text x="{bar + 8:.1f}" y="{y + 14}" class="chart__value">{escape(summary)}</text>'
        )
        top = y + 24
        for position, step in enumerate(path["steps"]):
            x = position * (box_w + gap)
            colour = STEP_COLOURS.get(step, "#0b4f8a")
            text = labels.get(step, step)
            if position:
                parts.append(
                    f'<path d="M{x - gap + 2} {top + box_h / 2} H{x - 3}" stroke="#55606f" '
                    f'stroke-width="2" marker-end="url(#arrow)"/>'
                )
            lines = _two_lines(text)
            first_y = top + (box_h / 2 + 5 if len(lines) == 1 else 17)
            spans = "".join(
                f'<tspan x="{x + box_w / 2}" y="{first_y + 15 * n}">{escape(line)}</tspan>'
                for n, line in enumerate(lines)
            )
            parts.append(
                f'<rect x="{x + 1}" y="{top}" width="{box_w - 2}" height="{box_h}" rx="6" '
                f'fill="#fff" stroke="{colour}" stroke-width="2"/>'
                f'<text text-anchor="middle" class="chart__label chart__label--small">{spans}'
                f"<title>{escape(text)}</title></text>"
            )
    parts.append(
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#55606f"/>'
        "</marker></defs></svg>"
    )
    return mark_safe("".join(parts))

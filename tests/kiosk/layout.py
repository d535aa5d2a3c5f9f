"""What a person notices first on a screen: words cut off, things on top of each other.

Walks the widget tree of the screen on show: every visible label's text must fit its
box without breaking a word, every visible control must lie inside the window and
inside each of its parents, no two visible controls may overlap, and no text may be
smaller than can be read.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.widgets.faces import FaceButton
from kiosk.widgets.focus import visible
from kiosk.widgets.qr import QRCode

TOLERANCE = 1.0  # pixels: rounding of layouts
SMALLEST_TEXT = 18


def box(widget: Widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def drawn(widget: Widget) -> bool:
    """Widgets a visitor sees: words, buttons, faces, QR codes (not layouts or spacers)."""
    if isinstance(widget, Label):
        return bool(widget.text)
    return isinstance(widget, FaceButton) or (isinstance(widget, QRCode) and bool(widget.data))


def name(widget: Widget) -> str:
    text = getattr(widget, "text", "") or getattr(widget, "data", "")
    return f"{type(widget).__name__}({text[:30]!r})"


def ancestors(widget: Widget, top: Widget) -> list[Widget]:
    found, node = [], widget.parent
    while node is not None and node is not top.parent:
        found.append(node)
        node = node.parent
    return found


def problems(screen: Widget) -> list[str]:
    found = []
    width, height = Window.size
    items = [w for w in screen.walk(restrict=True) if drawn(w) and visible(w)]
    # "One moment, please" covers the screen on purpose: then it is all there is to read.
    overlays = [w for w in items if type(w).__name__ == "BusyOverlay"]
    items = overlays or items
    for widget in items:
        x0, y0, x1, y1 = box(widget)
        if x0 < -TOLERANCE or y0 < -TOLERANCE or x1 > width + TOLERANCE or y1 > height + TOLERANCE:
            found.append(f"{name(widget)} is outside the window")
        if isinstance(widget, Label):
            text_width, text_height = widget.texture_size
            if text_width > widget.width + TOLERANCE or text_height > widget.height + TOLERANCE:
                found.append(
                    f"{name(widget)} is cut: text {text_width}x{text_height}, "
                    f"box {widget.width:.0f}x{widget.height:.0f}"
                )
            wrap = widget.text_size[0]
            if wrap:
                for word in widget.text.split():
                    if widget._label.get_extents(word)[0] > wrap + TOLERANCE:
                        found.append(f"{name(widget)} breaks the word {word!r}")
            if widget.font_size < SMALLEST_TEXT - 0.01:
                found.append(f"{name(widget)} is too small to read ({widget.font_size:.1f}px)")
        for parent in ancestors(widget, screen):
            p0, q0, p1, q1 = box(parent)
            if (
                x0 < p0 - TOLERANCE
                or y0 < q0 - TOLERANCE
                or x1 > p1 + TOLERANCE
                or y1 > q1 + TOLERANCE
            ):
                found.append(f"{name(widget)} sticks out of {type(parent).__name__}")
                break
    for index, first in enumerate(items):
        a = box(first)
        for second in items[index + 1 :]:
            b = box(second)
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            if overlap_x > TOLERANCE and overlap_y > TOLERANCE:
                found.append(f"{name(first)} overlaps {name(second)}")
    return found

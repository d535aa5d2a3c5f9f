"""Moving between controls with a keypad: Tab and the arrow keys, Enter presses.

The focus is shown only while the visitor uses keys (a touch hides it again), and it
lands on the screen's primary control when a screen opens.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window

from .controls import Focusable

DIRECTIONS = {"left": (-1, 0), "right": (1, 0), "up": (0, 1), "down": (0, -1)}


def visible(widget) -> bool:
    """Has a size, and neither it nor a parent is transparent."""
    if widget.width < 1 or widget.height < 1:
        return False
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) <= 0:
            return False
        node = node.parent
    return True


def usable(widget) -> bool:
    """Shown, enabled and on the screen: what a visitor could also touch."""
    if widget.disabled or widget.width < 2 or widget.height < 2 or not visible(widget):
        return False
    x, y = widget.to_window(*widget.center)
    return 0 <= x <= Window.width and 0 <= y <= Window.height


def reading_order(widgets: list) -> list:
    """Top to bottom, then left to right (rows are the controls whose middles line up)."""

    def key(widget):
        x, y = widget.to_window(widget.x, widget.top)
        return (-round(y / 8), x)

    return sorted(widgets, key=key)


def neighbour(widget, direction: str, controls: list):
    """Where an arrow key leads from ``widget``: the nearest control that way, or (left
    and right only) the previous or next one in reading order."""
    dx, dy = DIRECTIONS[direction]
    cx, cy = widget.to_window(*widget.center)
    best, best_score = None, None
    for other in controls:
        if other is widget:
            continue
        x, y = other.to_window(*other.center)
        along = (x - cx) * dx + (y - cy) * dy  # how far in the asked direction
        across = abs((x - cx) * dy) + abs((y - cy) * dx)  # how far off to the side
        if along <= 1:
            continue
        score = along + 2 * across
        if best_score is None or score < best_score:
            best, best_score = other, score
    if best is None and dx and widget in controls:
        index = controls.index(widget) + dx
        return controls[index % len(controls)]
    return best


class FocusManager:
    def __init__(self, screen_of) -> None:
        self._screen_of = screen_of  # () -> the widget tree to search
        self.current = None
        self.active = False  # keys are in use: the focus is shown

    def controls(self) -> list:
        root = self._screen_of()
        found = [w for w in root.walk(restrict=True) if isinstance(w, Focusable) and usable(w)]
        return reading_order(found)

    def _set(self, widget) -> None:
        if self.current is not None:
            self.current.focused = False
        self.current = widget
        if widget is not None:
            widget.focused = self.active

    def clear(self) -> None:
        self._set(None)

    def hide(self) -> None:
        """A touch: the visitor uses the screen, not keys."""
        self.active = False
        if self.current is not None:
            self.current.focused = False

    def _valid(self, controls: list) -> bool:
        return self.current is not None and self.current in controls

    def screen_opened(self, attempts: int = 10) -> None:
        self.clear()
        if self.active:
            self.land(attempts)

    def land(self, attempts: int = 0) -> None:
        """Focus the screen's primary control (or the first one)."""
        controls = self.controls()
        primary = [w for w in controls if w.primary]
        if not primary and attempts:
            # The new screen is not laid out yet: its controls have no size.
            Clock.schedule_once(lambda _dt: self.land(attempts - 1), 0)
            return
        self._set((primary or controls or [None])[0])

    def _woken(self, controls: list) -> bool:
        """The first key press only shows the focus (where it was, or on the primary)."""
        if self.active and self._valid(controls):
            return False
        self.active = True
        self._set(self.current) if self.current in controls else self.land()
        return True

    def tab(self, backwards: bool = False) -> None:
        controls = self.controls()
        if not controls or self._woken(controls):
            return
        index = controls.index(self.current) + (-1 if backwards else 1)
        self._set(controls[index % len(controls)])

    def move(self, direction: str) -> None:
        controls = self.controls()
        if not controls or self._woken(controls):
            return
        target = neighbour(self.current, direction, controls)
        if target is not None:
            self._set(target)

    def press(self) -> bool:
        if not self.active or self.current is None or self.current not in self.controls():
            return False
        self.current.press()
        return True

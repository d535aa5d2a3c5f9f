"""A QR code drawn as squares (sharp at any size, no image files)."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.graphics import Color, Rectangle
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from ..qr import qr_matrix


class QRCode(Widget):
    data = StringProperty("")

    def __init__(self, **kwargs) -> None:
        self._matrix: list[list[bool]] = []
        super().__init__(**kwargs)
        self.bind(pos=self.redraw, size=self.redraw, data=self._encode)
        self._encode()

    def _encode(self, *_args) -> None:
        self._matrix = qr_matrix(self.data) if self.data else []
        self.redraw()

    def redraw(self, *_args) -> None:
        self.canvas.clear()
        if not self._matrix:
            return
        count = len(self._matrix)
        # Whole pixels per module keep the code sharp for a phone's camera.
        module = max(1, int(min(self.width, self.height) // count))
        side = module * count
        left = int(self.center_x - side / 2)
        top = int(self.center_y + side / 2)
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(pos=(left, top - side), size=(side, side))
            Color(0, 0, 0, 1)
            for row, modules in enumerate(self._matrix):
                for column, dark in enumerate(modules):
                    if dark:
                        Rectangle(
                            pos=(left + column * module, top - (row + 1) * module),
                            size=(module, module),
                        )


Factory.register("QRCode", cls=QRCode)

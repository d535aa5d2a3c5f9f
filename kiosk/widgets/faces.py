"""Five faces from very unhappy to very happy, drawn (no emoji font needed)."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.widget import Widget

from .controls import Focusable

FACE_COLOURS = {
    1: (0.80, 0.22, 0.18),
    2: (0.93, 0.49, 0.19),
    3: (0.96, 0.76, 0.20),
    4: (0.55, 0.76, 0.29),
    5: (0.20, 0.63, 0.33),
}


class FaceButton(Focusable, ButtonBehavior, Widget):
    score = NumericProperty(3)
    selected = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self.redraw, size=self.redraw, selected=self.redraw, score=self.redraw)

    def redraw(self, *_args) -> None:
        self.canvas.clear()
        app = App.get_running_app()
        size = min(self.width, self.height) * (0.9 if self.selected else 0.74)
        x = self.center_x - size / 2
        y = self.center_y - size / 2
        red, green, blue = FACE_COLOURS[int(self.score)]
        with self.canvas:
            if self.selected:
                Color(*(app.brand if app else (0.04, 0.31, 0.54, 1)))
                Line(
                    circle=(self.center_x, self.center_y, size / 2 + max(3, size * 0.04)),
                    width=max(2, size * 0.035),
                )
            Color(red, green, blue, 1)
            Ellipse(pos=(x, y), size=(size, size))
            Color(0.11, 0.15, 0.2, 1)
            eye = size * 0.1
            for offset in (-0.18, 0.18):
                Ellipse(
                    pos=(self.center_x + offset * size - eye / 2, self.center_y + size * 0.12),
                    size=(eye, eye),
                )
            # The mouth bends from a frown (1) to a broad smile (5).
            bend = (int(self.score) - 3) * size * 0.09
            left = (self.center_x - size * 0.24, self.center_y - size * 0.2)
            right = (self.center_x + size * 0.24, self.center_y - size * 0.2)
            middle = (self.center_x, self.center_y - size * 0.2 - bend)
            Line(bezier=[*left, *middle, *right], width=max(2, size * 0.03))


Factory.register("FaceButton", cls=FaceButton)

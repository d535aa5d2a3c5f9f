"""Buttons a keypad can reach: each shows a clear ring while it has the focus."""

from __future__ import annotations

from kivy.app import App
from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.togglebutton import ToggleButton

from ..codes import CODE_ALPHABET, TICKET_CHARACTERS


class Focusable:
    """A control that arrow keys, Tab and Enter can reach (see ``kiosk.widgets.focus``)."""

    focusable = True
    focused = BooleanProperty(False)
    # The control a keypad user lands on when a screen opens.
    primary = BooleanProperty(False)

    def press(self) -> None:
        self.trigger_action(duration=0)


class KioskButton(Focusable, Button):
    pass


class KioskToggle(Focusable, ToggleButton):
    pass


# "Rate my visit" takes ticket numbers (A012) too; check-in codes never hold 0 or 1.
KEYS = "ABCDEFGHJKMNPQRSTUVWXYZ" + "23456789" + "01"


class Keypad(GridLayout):
    """Every character of a check-in code and of a ticket number, and a delete key."""

    purpose = StringProperty("checkin")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for character in KEYS:
            # A keypad user starts typing on the first letter.
            key = Factory.KeyButton(text=character, primary=character == KEYS[0])
            key.bind(on_release=lambda button: App.get_running_app().flow.type_key(button.text))
            self.add_widget(key)
        delete = Factory.KeyButton(text="⌫", font_name="DejaVuSans")
        delete.bind(on_release=lambda _button: App.get_running_app().flow.type_key("back"))
        self.add_widget(delete)
        self.bind(purpose=self._enable)
        self._enable()

    def _enable(self, *_args) -> None:
        allowed = TICKET_CHARACTERS if self.purpose == "rate" else CODE_ALPHABET
        for key in self.children:
            if key.text != "⌫":
                key.disabled = key.text not in allowed

    def key(self, character: str):
        return next(key for key in self.children if key.text == character)


def fit_columns(grid, labels: list[str], font_size: float, padding: float, wanted: int) -> int:
    """Up to ``wanted`` columns, as many as let each label's longest word fit unbroken."""
    measure = CoreLabel(font_size=font_size, bold=True)
    widest = max((measure.get_extents(w)[0] for text in labels for w in text.split()), default=0)
    for columns in range(wanted, 1, -1):
        column = (grid.width - grid.spacing[0] * (columns - 1)) / columns - padding
        if widest <= column:
            return columns
    return 1


Factory.register("Focusable", cls=Focusable)
Factory.register("KioskButton", cls=KioskButton)
Factory.register("KioskToggle", cls=KioskToggle)
Factory.register("Keypad", cls=Keypad)

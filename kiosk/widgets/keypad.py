"""A large on-screen keypad with exactly the characters a check-in code can contain."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Keypad(GridLayout):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cols", 8)
        super().__init__(**kwargs)
        for character in ALPHABET:
            key = Button(
                text=character,
                font_size="44sp",
                bold=True,
                background_normal="",
                background_color=(0.85, 0.89, 0.94, 1),
                color=(0.11, 0.15, 0.2, 1),
            )
            key.bind(on_release=lambda button: App.get_running_app().type_key(button.text))
            self.add_widget(key)
        delete = Button(
            text="←",
            font_size="48sp",
            bold=True,
            background_normal="",
            background_color=(0.66, 0.72, 0.80, 1),
            color=(0.11, 0.15, 0.2, 1),
        )
        delete.bind(on_release=lambda _button: App.get_running_app().type_key("back"))
        self.add_widget(delete)


Factory.register("Keypad", cls=Keypad)

from kivy.app import App

from ..widgets import keypad  # noqa: F401  (registers the Keypad widget)
from .base import KioskScreen


class CodeScreen(KioskScreen):
    """Type or scan the code; for a rating the code is optional."""

    @staticmethod
    def shown_code(code: str) -> str:
        padded = (code + "_" * 8)[: max(8, len(code))]
        return f"{padded[:4]} – {padded[4:]}"

    def purpose(self) -> str:
        return App.get_running_app().shown.get("purpose", "checkin")

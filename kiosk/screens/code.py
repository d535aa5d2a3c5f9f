from ..codes import grouped
from ..widgets import controls  # noqa: F401  (registers the Keypad widget)
from .base import KioskScreen


class CodeScreen(KioskScreen):
    """Type or scan the code; for a rating a ticket number works too, or no code at all."""

    @staticmethod
    def typed(code: str, purpose: str) -> str:
        if purpose == "rate":
            return code or "_"
        return grouped(code)

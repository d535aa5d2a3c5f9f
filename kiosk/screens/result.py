from ..flow import welcome
from .base import StatusLinkScreen


class ResultScreen(StatusLinkScreen):
    """Where to go, when and with whom; offline, what the kiosk knows and that it will pass
    the arrival on."""

    @staticmethod
    def welcome(shown: dict):
        return welcome(shown.get("first_name", ""))

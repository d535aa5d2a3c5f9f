from .base import KioskScreen


class ResultScreen(KioskScreen):
    """Where to go, when and with whom (the server's sentence in the visitor's language)."""

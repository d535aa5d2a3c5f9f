from .base import KioskScreen


class ThanksScreen(KioskScreen):
    """Thanks for the rating; the flow returns home after a few seconds."""

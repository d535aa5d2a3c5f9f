from .base import KioskScreen


class MessageScreen(KioskScreen):
    """A clear message when something is not right, and what to do next."""

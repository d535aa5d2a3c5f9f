from .base import KioskScreen


class HomeScreen(KioskScreen):
    """Three large choices; a scanned code checks in right away."""

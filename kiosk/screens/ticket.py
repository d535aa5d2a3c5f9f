from .base import KioskScreen


class TicketScreen(KioskScreen):
    """The walk-in's number, place in the queue and an honest estimate."""

from .base import StatusLinkScreen


class TicketScreen(StatusLinkScreen):
    """The walk-in's number, place in the queue and an honest estimate."""

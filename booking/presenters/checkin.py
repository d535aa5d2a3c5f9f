"""The answer to a check-in, the same for the kiosk and the desk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from booking.timeutils import iso

from .floor import ticket_payload

if TYPE_CHECKING:
    from booking.services.checkin import CheckIn


def checkin_payload(result: CheckIn, now: dt.datetime, *, staff: bool = False) -> dict:
    """Where the visitor goes, when and with whom; ``staff`` adds who the visitor is."""
    appointment = result.appointment
    advisor = result.ticket.advisor
    return {
        "ticket": ticket_payload(result.ticket, now, place=result.place, staff=staff),
        "first_name": appointment.first_name,
        "advisor": {"id": advisor.id, "name": advisor.name} if advisor else None,
        "location": result.ticket.location or (advisor.location if advisor else ""),
        "start": iso(appointment.start, appointment.branch.tz),
        "arrival": result.arrival,
        "message": result.message,
        "repeated": result.repeated,
        # The kiosk goes on in the language the customer booked in.
        "language": appointment.language,
    }

"""JSON bodies shared by API responses and live updates, so both always agree."""

from __future__ import annotations

import datetime as dt

from booking.models import Alert, Branch, Rating, Ticket
from booking.selectors.queue import Place, display_snapshot, queue_snapshot, ticket_place
from booking.timeutils import iso

from . import serializers as s


def ticket_payload(
    ticket: Ticket, now: dt.datetime, *, staff: bool = False, place: Place | None = None
) -> dict:
    """A ticket's answer; ``place`` spares the count when the caller knows it."""
    place = place or ticket_place(ticket, now)
    serializer = s.StaffTicketOut if staff else s.TicketOut
    return serializer(ticket, context={"places": {ticket.id: place} if place else {}}).data


def queue_payload(branch: Branch, now: dt.datetime) -> dict:
    snapshot = queue_snapshot(branch, now)
    context = {"places": snapshot.places}
    return {
        "waiting": s.StaffTicketOut(snapshot.waiting, many=True, context=context).data,
        "serving": s.StaffTicketOut(snapshot.serving, many=True, context=context).data,
        "advisors": s.AdvisorStatusOut(snapshot.advisors, many=True).data,
    }


def display_payload(branch: Branch, now: dt.datetime) -> dict:
    snapshot = display_snapshot(branch, now)
    tz = branch.tz
    return {
        "called": [
            {
                "number": row["number"],
                "location": row["location"],
                "called_at": iso(row["called_at"], tz),
            }
            for row in snapshot["called"]
        ],
        "waiting": snapshot["waiting"],
    }


def rating_payload(rating: Rating) -> dict:
    return s.RatingOut(rating).data


def alert_payload(alert: Alert) -> dict:
    return s.AlertOut(alert).data

"""Recording touchpoints on the customer journey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from booking.dbwrites import insert
from booking.models import Appointment, Branch, Customer, JourneyEvent, Ticket
from booking.timeutils import resolve_now


def event_build(
    *,
    kind: str,
    channel: str,
    branch: Branch,
    customer: Customer | None = None,
    appointment: Appointment | None = None,
    ticket: Ticket | None = None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> JourneyEvent:
    """A journey event, not yet saved (see ``event_record`` and ``events_record``)."""
    if customer is None:
        customer = (appointment and appointment.customer) or (ticket and ticket.customer) or None
    return JourneyEvent(
        at=resolve_now(at),
        kind=kind,
        channel=channel,
        branch=branch,
        customer=customer,
        appointment=appointment,
        ticket=ticket,
        detail=detail or {},
    )


def ticket_event_build(
    ticket: Ticket, *, kind: str, channel: str, at: dt.datetime, detail: dict[str, Any]
) -> JourneyEvent:
    """A touchpoint of a ticket's visit: its branch, appointment and customer come with it."""
    return event_build(
        kind=kind,
        channel=channel,
        branch=ticket.branch,
        ticket=ticket,
        appointment=ticket.appointment,
        customer=ticket.customer,
        at=at,
        detail=detail,
    )


def ticket_event_record(ticket: Ticket, **fields: Any) -> JourneyEvent:
    """Record one touchpoint of a ticket's visit (the keywords of ``ticket_event_build``)."""
    event = ticket_event_build(ticket, **fields)
    insert(event)
    return event


def event_record(**fields: Any) -> JourneyEvent:
    """Record one touchpoint (the keywords of ``event_build``)."""
    event = event_build(**fields)
    insert(event)
    return event


def events_record(events: list[JourneyEvent]) -> None:
    """Record several touchpoints of one moment in a single insert."""
    insert(*events)

"""Recording touchpoints on the customer journey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from booking.models import Appointment, Branch, Customer, JourneyEvent, Ticket
from booking.timeutils import resolve_now


def event_record(
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
    if customer is None:
        customer = (appointment and appointment.customer) or (ticket and ticket.customer) or None
    return JourneyEvent.objects.create(
        at=resolve_now(at),
        kind=kind,
        channel=channel,
        branch=branch,
        customer=customer,
        appointment=appointment,
        ticket=ticket,
        detail=detail or {},
    )

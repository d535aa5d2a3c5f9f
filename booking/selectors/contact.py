"""Where a customer can be reached about one of their visits."""

from __future__ import annotations

from dataclasses import dataclass

from booking.models import Alert


@dataclass(frozen=True)
class Contact:
    """Where the customer agreed to be reached: the booking's contact, else the ticket's."""

    name: str
    phone: str
    email: str
    language: str


def alert_contact(alert: Alert) -> Contact | None:
    """How to reach the customer behind a low rating, if they left a way."""
    rating = alert.rating
    if rating is None:
        return None
    appointment = rating.appointment or (rating.ticket.appointment if rating.ticket else None)
    ticket = rating.ticket
    if appointment is not None and (appointment.contact_phone or appointment.contact_email):
        return Contact(
            appointment.contact_name,
            appointment.contact_phone,
            appointment.contact_email,
            appointment.language or "de",
        )
    if ticket is not None and (ticket.contact_phone or ticket.contact_email):
        return Contact(
            ticket.contact_name, ticket.contact_phone, ticket.contact_email, ticket.language or "de"
        )
    return None

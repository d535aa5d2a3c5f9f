"""Personal data: export on request, erase on request or after the retention period.

Erasing keeps every appointment, ticket, rating and journey event, so the
branch's figures do not change; only what identifies the person goes, wherever it
was stored: the customer record, each booking's and ticket's contact details and
topic, rating comments, message recipients, and the customer's name, e-mail or
phone where staff wrote them into alert notes or recovery messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from booking.models import (
    Alert,
    Appointment,
    Branch,
    Customer,
    Notification,
    Rating,
    Recovery,
    Ticket,
)
from booking.timeutils import resolve_now

ERASED = "[…]"


def customer_export(
    customer: Customer, *, branches: QuerySet[Branch] | None = None
) -> dict[str, Any]:
    """Everything stored about one customer, as plain JSON-ready data.

    With ``branches``, only what those branches hold (a manager sees their own branches).
    """
    appointments = customer.appointments.select_related("branch", "service", "advisor")
    tickets = customer.tickets.select_related("branch", "service")
    ratings = customer.ratings.select_related("branch")
    events = customer.events.select_related("branch")
    if branches is not None:
        appointments = appointments.filter(branch__in=branches)
        tickets = tickets.filter(branch__in=branches)
        ratings = ratings.filter(branch__in=branches)
        events = events.filter(branch__in=branches)
    return {
        "customer": {
            "id": customer.id,
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "language": customer.language,
            "created": customer.created.isoformat(),
            "anonymized_at": customer.anonymized_at and customer.anonymized_at.isoformat(),
        },
        "appointments": [
            {
                "id": a.id,
                "branch": a.branch.slug,
                "service": a.service.slug,
                "advisor": a.advisor.name,
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "status": a.status,
                "code": a.code,
                "name": a.contact_name,
                "email": a.contact_email,
                "phone": a.contact_phone,
                "language": a.language,
                "topic": a.topic,
                "created": a.created.isoformat(),
            }
            for a in appointments
        ],
        "tickets": [
            {
                "id": t.id,
                "branch": t.branch.slug,
                "day": t.day.isoformat(),
                "number": t.number,
                "service": t.service.slug,
                "status": t.status,
                "name": t.contact_name,
                "email": t.contact_email,
                "phone": t.contact_phone,
            }
            for t in tickets
        ],
        "ratings": [
            {
                "id": r.id,
                "branch": r.branch.slug,
                "score": r.score,
                "tags": r.tags,
                "comment": r.comment,
                "given_at": r.given_at.isoformat(),
            }
            for r in ratings
        ],
        "events": [
            {
                "at": e.at.isoformat(),
                "channel": e.channel,
                "kind": e.kind,
                "branch": e.branch.slug,
                "appointment": e.appointment_id,
                "ticket": e.ticket_id,
                "detail": e.detail,
            }
            for e in events
        ],
        "notifications": [
            {
                "kind": n.kind,
                "recipient": n.recipient,
                "status": n.status,
                "sent_at": n.sent_at and n.sent_at.isoformat(),
            }
            for n in Notification.objects.filter(
                Q(appointment__in=appointments) | Q(ticket__in=tickets)
            )
        ],
    }


def _identifiers(values: Iterable[str]) -> list[re.Pattern]:
    """Patterns for what identifies the person in free text: the whole name and each of
    its words, e-mail addresses, and phone numbers written with any separators."""
    patterns: set[str] = set()
    for value in values:
        value = value.strip()
        if not value:
            continue
        digits = re.sub(r"\D", "", value)
        if "@" in value:
            patterns.add(re.escape(value))
        elif len(digits) >= 6 and len(digits) >= len(value.replace(" ", "")) - 3:
            # "+49 170 1234567", "0170/1234567": the digits in order, anything between.
            patterns.add(r"\+?" + r"[\s()/.\-]*".join(digits[-9:]))
        else:
            patterns.add(re.escape(value))
            patterns.update(re.escape(word) for word in value.split() if len(word) >= 3)
    # Longest first, so the whole name goes before its parts.
    return [re.compile(p, re.IGNORECASE) for p in sorted(patterns, key=len, reverse=True)]


def scrub(text: str, patterns: list[re.Pattern]) -> str:
    for pattern in patterns:
        text = pattern.sub(ERASED, text)
    return text


@transaction.atomic
def customer_erase(customer: Customer, *, now: dt.datetime | None = None) -> Customer:
    """Remove what identifies the person everywhere; keep the anonymous facts."""
    now = resolve_now(now)
    appointments = Appointment.objects.filter(customer=customer)
    tickets = Ticket.objects.filter(customer=customer)
    known = [customer.name, customer.email, customer.phone]
    for row in appointments.values_list("contact_name", "contact_email", "contact_phone"):
        known.extend(row)
    for row in tickets.values_list("contact_name", "contact_email", "contact_phone"):
        known.extend(row)
    patterns = _identifiers(known)

    alerts = Alert.objects.filter(
        Q(rating__customer=customer) | Q(ticket__customer=customer)
    ).exclude(note="")
    for alert in alerts:
        Alert.objects.filter(id=alert.id).update(note=scrub(alert.note, patterns))
    for recovery in Recovery.objects.filter(
        Q(alert__rating__customer=customer) | Q(alert__ticket__customer=customer)
    ):
        Recovery.objects.filter(id=recovery.id).update(message=scrub(recovery.message, patterns))

    Customer.objects.filter(id=customer.id).update(name="", email="", phone="", anonymized_at=now)
    appointments.update(contact_name="", contact_email="", contact_phone="", topic="")
    tickets.update(contact_name="", contact_email="", contact_phone="")
    Rating.objects.filter(customer=customer).update(comment="")
    Notification.objects.filter(Q(appointment__in=appointments) | Q(ticket__in=tickets)).update(
        recipient="", error=""
    )
    customer.refresh_from_db()
    return customer


def customers_past_retention(*, now: dt.datetime | None = None):
    """Customers with no activity for ``RETENTION_DAYS`` and nothing booked ahead."""
    cutoff = resolve_now(now) - dt.timedelta(days=settings.RETENTION_DAYS)
    return (
        Customer.objects.filter(anonymized_at__isnull=True, created__lt=cutoff)
        .annotate(last_event=Max("events__at"), last_end=Max("appointments__end"))
        .filter(Q(last_event__lt=cutoff) | Q(last_event__isnull=True))
        .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True))
    )

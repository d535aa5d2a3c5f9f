"""Personal data: export on request, erase on request or after the retention period.

Erasing keeps every appointment, ticket, rating and journey event, so the
branch's figures do not change; only what identifies the person goes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from booking.models import Customer, Rating
from booking.timeutils import resolve_now


def customer_export(customer: Customer) -> dict[str, Any]:
    """Everything stored about one customer, as plain JSON-ready data."""
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
                "created": a.created.isoformat(),
            }
            for a in customer.appointments.select_related("branch", "service", "advisor")
        ],
        "ratings": [
            {
                "id": r.id,
                "score": r.score,
                "tags": r.tags,
                "comment": r.comment,
                "given_at": r.given_at.isoformat(),
            }
            for r in customer.ratings.all()
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
            for e in customer.events.select_related("branch")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "recipient": n.recipient,
                "status": n.status,
                "sent_at": n.sent_at and n.sent_at.isoformat(),
            }
            for appointment in customer.appointments.all()
            for n in appointment.notifications.all()
        ],
    }


@transaction.atomic
def customer_erase(customer: Customer, *, now: dt.datetime | None = None) -> Customer:
    """Remove name, e-mail, phone and free-text comments; keep the anonymous facts."""
    now = resolve_now(now)
    Customer.objects.filter(id=customer.id).update(name="", email="", phone="", anonymized_at=now)
    Rating.objects.filter(customer=customer).update(comment="")
    for appointment in customer.appointments.all():
        appointment.notifications.update(recipient="")
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

"""Service levels and recovery in the demo history (called by ``demo_history``).

After the past visits are saved: visitors who waited past the branch's target get the
wait alert the sweep would have opened (closed when they were called); low ratings get
an answer to "May we contact you?"; some of those get a personal message, a rebooking
and a re-rating; some bookings were rescheduled first. So the manager page shows
service levels, recoveries, ``won_back`` and journeys that do not all run straight.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db.models import Q
from django.utils import timezone

from booking.models import (
    LOW_SCORE,
    Alert,
    AlertKind,
    AlertStatus,
    Appointment,
    Branch,
    Channel,
    EventKind,
    JourneyEvent,
    Rating,
    Recovery,
    Ticket,
    TicketKind,
)

RECOVERY_MESSAGE = (
    "Es tut uns leid, dass Ihr Besuch nicht so war, wie er sein sollte. "
    "Wir würden es gern wiedergutmachen."
)


def clear_service_level_history(tickets) -> None:
    """Wait alerts outlive their tickets (``SET_NULL``): remove them with the history."""
    Alert.objects.filter(kind=AlertKind.WAIT, ticket__in=tickets).delete()


def add_service_level_history(branch: Branch, tickets: list[Ticket], rng: random.Random) -> None:
    _wait_alerts(branch, tickets)
    ratings = list(
        Rating.objects.filter(ticket__in=[t.id for t in tickets], score__lte=LOW_SCORE)
        .select_related("appointment", "alert")
        .order_by("given_at")
    )
    _consent_and_recoveries(branch, ratings, rng)
    _reschedules(branch, tickets, rng)


def _deadline(branch: Branch, ticket: Ticket) -> dt.datetime:
    if ticket.kind == TicketKind.APPOINTMENT and ticket.appointment is not None:
        return ticket.appointment.start + dt.timedelta(minutes=branch.target_start_delay_minutes)
    return ticket.queued_at + dt.timedelta(minutes=branch.target_wait_minutes)


def _wait_alerts(branch: Branch, tickets: list[Ticket]) -> None:
    alerts = []
    for ticket in tickets:
        if ticket.called_at is None or ticket.transferred_from_id:
            continue
        deadline = _deadline(branch, ticket)
        if ticket.called_at <= deadline:
            continue
        alerts.append(
            Alert(
                kind=AlertKind.WAIT,
                branch=branch,
                ticket=ticket,
                advisor=ticket.advisor,
                wait_minutes=round((deadline - ticket.queued_at).total_seconds() / 60, 1),
                due=deadline + dt.timedelta(minutes=15),
                status=AlertStatus.RESOLVED,
                acknowledged_at=ticket.called_at,
                resolved_at=ticket.called_at,
                note="Kunde wurde aufgerufen.",
                created=deadline,
            )
        )
    created = Alert.objects.bulk_create(alerts, batch_size=1000)
    # ``created`` is auto_now_add: give each alert the moment the sweep would have opened it.
    Alert.objects.bulk_update(created, ["created"], batch_size=1000)


def _consent_and_recoveries(branch: Branch, ratings: list[Rating], rng: random.Random) -> None:
    now = timezone.now()
    recoveries, events = [], []
    for rating in ratings:
        rating.contact_ok = rng.choices([True, False, None], weights=[6, 3, 1])[0]
        alert = getattr(rating, "alert", None)
        appointment = rating.appointment
        if not (rating.contact_ok and alert and appointment) or rng.random() > 0.9:
            continue
        sent = rating.given_at + dt.timedelta(hours=rng.uniform(2, 30))
        if sent > now:
            continue
        recovery = Recovery(
            alert=alert,
            token=secrets.token_urlsafe(32),
            message=RECOVERY_MESSAGE,
            sent_at=sent,
        )
        events.append(_event(branch, EventKind.RECOVERY_SENT, Channel.EMAIL, sent, rating))
        later = _rebooked(appointment, sent)
        if later is not None and rng.random() < 0.6:
            recovery.booked_appointment = later
            recovery.booked_at = sent + dt.timedelta(hours=rng.uniform(1, 48))
            events.append(
                JourneyEvent(
                    branch=branch,
                    kind=EventKind.RECOVERY_BOOKED,
                    channel=Channel.WEB,
                    at=recovery.booked_at,
                    customer=later.customer,
                    appointment=later,
                    detail={"alert": alert.id},
                )
            )
        asked = (later.end + dt.timedelta(days=1)) if recovery.booked_appointment else None
        asked = asked or sent + dt.timedelta(days=3)
        if asked < now:
            recovery.rerating_sent_at = asked
            if rng.random() < 0.75:
                recovery.rerated_score = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 4])[0]
                recovery.rerated_at = asked + dt.timedelta(hours=rng.uniform(1, 30))
                events.append(
                    _event(
                        branch,
                        EventKind.RERATED,
                        Channel.WEB,
                        recovery.rerated_at,
                        rating,
                        detail={"score": recovery.rerated_score, "before": rating.score},
                    )
                )
        recoveries.append(recovery)
    Rating.objects.bulk_update(ratings, ["contact_ok"], batch_size=1000)
    Recovery.objects.bulk_create(recoveries, batch_size=1000)
    JourneyEvent.objects.bulk_create(events, batch_size=1000)


def _event(branch, kind, channel, at, rating: Rating, detail=None) -> JourneyEvent:
    return JourneyEvent(
        branch=branch,
        kind=kind,
        channel=channel,
        at=at,
        customer_id=rating.customer_id,
        appointment_id=rating.appointment_id,
        ticket_id=rating.ticket_id,
        detail=detail or {"score": rating.score},
    )


def _rebooked(appointment: Appointment, after: dt.datetime) -> Appointment | None:
    """The customer's next visit after the message, if the history has one."""
    return (
        Appointment.objects.filter(customer_id=appointment.customer_id, start__gt=after)
        .filter(~Q(id=appointment.id))
        .order_by("start")
        .first()
    )


def _reschedules(branch: Branch, tickets: list[Ticket], rng: random.Random) -> None:
    """About one booking in ten was moved once before the visit."""
    events = []
    for ticket in tickets:
        appointment = ticket.appointment
        if appointment is None or rng.random() > 0.1:
            continue
        events.append(
            JourneyEvent(
                branch=branch,
                kind=EventKind.RESCHEDULED,
                channel=Channel.WEB,
                at=appointment.start - dt.timedelta(days=rng.uniform(1.02, 1.2)),
                customer_id=appointment.customer_id,
                appointment=appointment,
                detail={"start": appointment.start.isoformat()},
            )
        )
    JourneyEvent.objects.bulk_create(events, batch_size=1000)

"""Realistic past weeks for the demo branches, so the manager pages have something to show.

Visits follow a working day's rhythm (a late-morning peak), waits grow with the queue,
and ratings fall as waits grow, so the satisfaction charts show what managers look for.
Everything is written with bulk inserts; running it again replaces the earlier history.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from booking.models import (
    Alert,
    AlertStatus,
    Appointment,
    AppointmentStatus,
    Arrival,
    Branch,
    Channel,
    Customer,
    EventKind,
    JourneyEvent,
    Notification,
    NotificationKind,
    NotificationStatus,
    Rating,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.services.appointments import occupy
from booking.services.codes import new_code, new_manage_token

from .demo_service_levels import add_service_level_history, clear_service_level_history

HISTORY_DOMAIN = "history.example"
FIRST_NAMES = [
    "Lukas",
    "Anna",
    "Jonas",
    "Mia",
    "Paul",
    "Lena",
    "Felix",
    "Emma",
    "Leon",
    "Sofia",
    "Noah",
    "Hannah",
    "Elias",
    "Marie",
    "Ben",
    "Lea",
    "Finn",
    "Clara",
    "Emil",
    "Ida",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
]
COMMENTS = {
    1: "Viel zu lange gewartet.",
    2: "Niemand wusste Bescheid.",
    5: "Sehr kompetent, danke!",
}


@dataclass
class Rows:
    appointments: list = field(default_factory=list)
    tickets: list = field(default_factory=list)
    events: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    ratings: list = field(default_factory=list)


def _arrival_minute(rng: random.Random) -> int:
    """Minutes after 09:00, with more visitors in the late morning."""
    while True:
        minute = rng.randint(0, 7 * 60 + 30)
        peak = math.exp(-((minute - 150) ** 2) / (2 * 70**2))
        if rng.random() < 0.35 + 0.65 * peak:
            return minute


def _score(rng: random.Random, wait: float) -> int:
    value = rng.gauss(4.6 - 0.07 * wait, 0.7)
    return max(1, min(5, round(value)))


def _tags(rng: random.Random, score: int, wait: float) -> list[str]:
    if score <= 2:
        return ["waiting_time"] if wait > 10 else rng.sample(["information", "premises"], 1)
    if score >= 4:
        return rng.sample(["friendly", "competent", "quick"], rng.randint(0, 2))
    return []


def clear_history(branches: list[Branch], before: dt.date) -> None:
    """Remove generated past visits of these branches (today and later stay)."""
    tickets = Ticket.objects.filter(branch__in=branches, day__lt=before)
    appointments = Appointment.objects.filter(
        branch__in=branches, customer__email__endswith=HISTORY_DOMAIN
    )
    Rating.objects.filter(branch__in=branches, ticket__in=tickets).delete()
    Rating.objects.filter(branch__in=branches, appointment__in=appointments).delete()
    JourneyEvent.objects.filter(customer__email__endswith=HISTORY_DOMAIN).delete()
    JourneyEvent.objects.filter(branch__in=branches, ticket__in=tickets).delete()
    clear_service_level_history(tickets)
    tickets.filter(transferred_from__isnull=False).delete()
    tickets.delete()
    appointments.delete()
    Customer.objects.filter(email__endswith=HISTORY_DOMAIN, appointments__isnull=True).delete()


@transaction.atomic
def generate_history(branch: Branch, *, days: int, visits_per_day: int, seed: int = 1) -> int:
    """Create ``days`` of past visits at ``branch``; returns how many visits."""
    rng = random.Random(f"{branch.slug}-{seed}")
    tz = branch.tz
    today = branch.local_date(timezone.now())
    services = list(branch.services.filter(active=True).prefetch_related("advisors"))
    advisors_by_service = {
        s.id: [a for a in s.advisors.all() if a.branches.filter(id=branch.id).exists()]
        for s in services
    }
    bookable = [s for s in services if s.online_bookable and advisors_by_service[s.id]]
    walk_in = [s for s in services if s.walk_in and advisors_by_service[s.id]]
    customers = Customer.objects.bulk_create(
        Customer(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            email=f"kunde{n}.{branch.slug}@{HISTORY_DOMAIN}",
            language=rng.choice("ddde"),
        )
        for n in range(max(50, visits_per_day * 4))
    )
    rows = Rows()
    visits = 0
    for offset in range(days, 0, -1):
        day = today - dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        counters: dict[str, int] = {}
        busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        for _ in range(round(visits_per_day * rng.uniform(0.8, 1.2))):
            start = dt.datetime.combine(day, dt.time(9), tzinfo=tz) + dt.timedelta(
                minutes=_arrival_minute(rng)
            )
            if bookable and rng.random() < 0.45:
                visits += _appointment_visit(
                    rows,
                    rng,
                    branch,
                    day,
                    start,
                    bookable,
                    advisors_by_service,
                    customers,
                    counters,
                    busy,
                )
            elif walk_in:
                visits += _walk_in_visit(
                    rows, rng, branch, day, start, walk_in, advisors_by_service, counters
                )
    _save(rows, rng)
    add_service_level_history(branch, rows.tickets, rng)
    return visits


def _number(counters: dict[str, int], prefix: str) -> str:
    counters[prefix] = counters.get(prefix, 0) + 1
    return f"{prefix}{counters[prefix]:03d}"


def _event(
    rows: Rows,
    branch,
    kind,
    channel,
    at,
    *,
    customer=None,
    appointment=None,
    ticket=None,
    detail=None,
) -> None:
    rows.events.append(
        JourneyEvent(
            branch=branch,
            kind=kind,
            channel=channel,
            at=at,
            customer=customer,
            appointment=appointment,
            ticket=ticket,
            detail=detail or {},
        )
    )


def _served(rows, rng, branch, ticket, service, advisor, wait, customer, appointment=None):
    """Call, serve and maybe rate a ticket; returns nothing, fills ``rows``."""
    ticket.called_at = ticket.queued_at + dt.timedelta(minutes=wait)
    ticket.started_at = ticket.called_at + dt.timedelta(minutes=rng.uniform(0.5, 2))
    ticket.finished_at = ticket.started_at + dt.timedelta(
        minutes=service.duration_minutes * rng.uniform(0.6, 1.3)
    )
    ticket.status = TicketStatus.DONE
    ticket.advisor = advisor
    ticket.location = advisor.location
    for kind, channel, at in (
        (EventKind.CALLED, Channel.DISPLAY, ticket.called_at),
        (EventKind.STARTED, Channel.STAFF, ticket.started_at),
        (EventKind.FINISHED, Channel.STAFF, ticket.finished_at),
    ):
        _event(
            rows,
            branch,
            kind,
            channel,
            at,
            customer=customer,
            appointment=appointment,
            ticket=ticket,
            detail={"number": ticket.number, "advisor": advisor.name},
        )
    if rng.random() < 0.45:
        score = _score(rng, wait)
        given = ticket.finished_at + dt.timedelta(minutes=rng.uniform(1, 6))
        rows.ratings.append(
            Rating(
                branch=branch,
                client_id=uuid.uuid4(),
                score=score,
                tags=_tags(rng, score, wait),
                comment=COMMENTS.get(score, "") if rng.random() < 0.1 else "",
                ticket=ticket,
                appointment=appointment,
                customer=customer,
                service=service,
                advisor=advisor,
                wait_minutes=round(wait, 1),
                given_at=given,
            )
        )
        _event(
            rows,
            branch,
            EventKind.RATED,
            Channel.RATING,
            given,
            customer=customer,
            appointment=appointment,
            ticket=ticket,
            detail={"score": score},
        )


def _walk_in_visit(rows, rng, branch, day, queued, services, advisors_by_service, counters) -> int:
    service = rng.choice(services)
    advisor = rng.choice(advisors_by_service[service.id])
    ticket = Ticket(
        branch=branch,
        service=service,
        day=day,
        kind=TicketKind.WALK_IN,
        number=_number(counters, service.ticket_prefix),
        queued_at=queued,
    )
    rows.tickets.append(ticket)
    _event(
        rows,
        branch,
        EventKind.TICKET_ISSUED,
        Channel.KIOSK,
        queued,
        ticket=ticket,
        detail={"number": ticket.number, "kind": "walk_in", "service": service.slug},
    )
    minute = (queued.hour - 9) * 60 + queued.minute
    wait = rng.expovariate(1 / (4 + 14 * math.exp(-((minute - 160) ** 2) / (2 * 60**2))))
    if rng.random() < 0.05:
        ticket.status = TicketStatus.NO_SHOW
        ticket.called_at = queued + dt.timedelta(minutes=wait)
        ticket.finished_at = ticket.called_at + dt.timedelta(minutes=5)
        _event(rows, branch, EventKind.NO_SHOW, Channel.STAFF, ticket.finished_at, ticket=ticket)
        return 1
    _served(rows, rng, branch, ticket, service, advisor, wait, None)
    return 1


def _appointment_visit(
    rows, rng, branch, day, start, services, advisors_by_service, customers, counters, busy
) -> int:
    service = rng.choice(services)
    advisor = rng.choice(advisors_by_service[service.id])
    start = start.replace(minute=start.minute - start.minute % branch.slot_minutes)
    end = start + dt.timedelta(minutes=service.duration_minutes)
    taken = busy.setdefault(advisor.id, [])
    if any(start < e and s < end for s, e in taken):
        return 0
    taken.append((start, end))
    customer = rng.choice(customers)
    booked_at = start - dt.timedelta(days=rng.uniform(1, 14))
    roll = rng.random()
    status = (
        AppointmentStatus.CANCELLED
        if roll < 0.08
        else AppointmentStatus.NO_SHOW
        if roll < 0.14
        else AppointmentStatus.SERVED
    )
    appointment = Appointment(
        branch=branch,
        service=service,
        advisor=advisor,
        customer=customer,
        contact_name=customer.name,
        contact_email=customer.email,
        contact_phone=customer.phone,
        language=customer.language,
        status=status,
        code=new_code(),
        manage_token=new_manage_token(),
        channel=_booked_via(rng.random()),
        cancelled_at=booked_at + dt.timedelta(days=1)
        if status == AppointmentStatus.CANCELLED
        else None,
    )
    occupy(appointment, service, start)
    rows.appointments.append(appointment)
    _event(
        rows,
        branch,
        EventKind.BOOKED,
        appointment.channel,
        booked_at,
        customer=customer,
        appointment=appointment,
        detail={"service": service.slug},
    )
    if rng.random() < 0.97:
        rows.notifications.append(
            (appointment, NotificationKind.CONFIRMATION, booked_at + dt.timedelta(seconds=5))
        )
        _event(
            rows,
            branch,
            EventKind.CONFIRMATION_SENT,
            Channel.EMAIL,
            booked_at + dt.timedelta(seconds=5),
            customer=customer,
            appointment=appointment,
        )
    if status == AppointmentStatus.CANCELLED:
        _event(
            rows,
            branch,
            EventKind.CANCELLED,
            Channel.WEB,
            appointment.cancelled_at,
            customer=customer,
            appointment=appointment,
        )
        return 1
    if rng.random() < 0.85:
        reminded = start - dt.timedelta(hours=24)
        rows.notifications.append((appointment, NotificationKind.REMINDER_EMAIL, reminded))
        _event(
            rows,
            branch,
            EventKind.REMINDER_SENT,
            Channel.EMAIL,
            reminded,
            customer=customer,
            appointment=appointment,
        )
    if status == AppointmentStatus.NO_SHOW:
        _event(
            rows,
            branch,
            EventKind.NO_SHOW,
            Channel.SYSTEM,
            start + dt.timedelta(minutes=11),
            customer=customer,
            appointment=appointment,
        )
        return 1
    early = rng.uniform(-3, 15)
    arrived = start - dt.timedelta(minutes=early)
    appointment.checked_in_at = arrived
    ticket = Ticket(
        branch=branch,
        service=service,
        day=day,
        kind=TicketKind.APPOINTMENT,
        number=_number(counters, service.ticket_prefix),
        queued_at=arrived,
        appointment=appointment,
        customer=customer,
        arrival=Arrival.EARLY if early > 0 else Arrival.ON_TIME,
    )
    rows.tickets.append(ticket)
    _event(
        rows,
        branch,
        EventKind.CHECKED_IN,
        Channel.KIOSK,
        arrived,
        customer=customer,
        appointment=appointment,
        ticket=ticket,
        detail={"minutes_early": round(early)},
    )
    wait = max(0.0, early) + rng.expovariate(1 / 3)
    _served(rows, rng, branch, ticket, service, advisor, wait, customer, appointment)
    return 1


def _save(rows: Rows, rng: random.Random) -> None:
    Appointment.objects.bulk_create(rows.appointments, batch_size=1000)
    for ticket in rows.tickets:
        ticket.appointment_id = ticket.appointment.id if ticket.appointment else None
    Ticket.objects.bulk_create(rows.tickets, batch_size=1000)
    Notification.objects.bulk_create(
        (
            Notification(
                appointment=a,
                kind=kind,
                key=a.start.isoformat(),
                status=NotificationStatus.SENT,
                sent_at=at,
                claimed_at=at,
                attempts=1,
                recipient=a.contact_email,
            )
            for a, kind, at in rows.notifications
        ),
        batch_size=1000,
    )
    for rating in rows.ratings:
        rating.ticket_id = rating.ticket.id
        rating.appointment_id = rating.appointment.id if rating.appointment else None
    Rating.objects.bulk_create(rows.ratings, batch_size=1000)
    for event in rows.events:
        event.appointment_id = event.appointment.id if event.appointment else None
        event.ticket_id = event.ticket.id if event.ticket else None
    JourneyEvent.objects.bulk_create(rows.events, batch_size=2000)
    now = timezone.now()
    Alert.objects.bulk_create(
        Alert(
            rating=rating,
            branch=rating.branch,
            due=rating.given_at + dt.timedelta(hours=24),
            status=AlertStatus.RESOLVED
            if now - rating.given_at > dt.timedelta(days=3)
            else rng.choice([AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]),
            notified_at=rating.given_at,
            # Made-up history was "reported" when it happened: the overdue sweep must not
            # e-mail real managers about it the first minute the demo runs.
            overdue_notified_at=rating.given_at + dt.timedelta(hours=24),
            resolved_at=rating.given_at + dt.timedelta(hours=rng.uniform(1, 20))
            if now - rating.given_at > dt.timedelta(days=3)
            else None,
            note="Kunde angerufen." if now - rating.given_at > dt.timedelta(days=3) else "",
        )
        for rating in rows.ratings
        if rating.score <= 2
    )


def _booked_via(draw: float) -> str:
    """About one booking in ten is made by staff: most for a caller, some at the desk."""
    if draw < 0.07:
        return Channel.PHONE
    return Channel.DESK if draw < 0.1 else Channel.WEB

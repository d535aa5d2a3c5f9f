"""Read side of the branch floor: who waits where, for how long, and who serves."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, F, Q

from booking.models import (
    Absence,
    Advisor,
    AdvisorStatus,
    Branch,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
    WorkingHours,
)
from booking.selectors.dbfunctions import literal

RECENT_SERVICES = 20
RECENT_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class Place:
    position: int
    estimated_wait_minutes: int


@dataclass
class QueueSnapshot:
    branch: Branch
    waiting: list[Ticket]
    serving: list[Ticket]
    advisors: list[Advisor]
    places: dict[int, Place] = field(default_factory=dict)


def average_service_minutes(branch: Branch, service: Service, now: dt.datetime) -> float:
    """The mean of the last real service durations here, else the service's nominal duration."""
    recent = (
        Ticket.objects.filter(
            branch=branch,
            service=service,
            status=TicketStatus.DONE,
            started_at__isnull=False,
            finished_at__gte=now - RECENT_WINDOW,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_SERVICES]
    )
    durations = [(end - start).total_seconds() / 60 for start, end in recent]
    return sum(durations) / len(durations) if durations else float(service.duration_minutes)


def advisors_on_duty(branch: Branch, now: dt.datetime) -> list[Advisor]:
    """Advisors scheduled to work here now and not away."""
    local = branch.local(now)
    scheduled = WorkingHours.objects.filter(
        branch=branch, weekday=local.weekday(), start__lte=local.time(), end__gt=local.time()
    ).values_list("advisor_id", flat=True)
    away = Absence.objects.filter(start__lte=now, end__gt=now).values_list("advisor_id", flat=True)
    return list(
        Advisor.objects.filter(active=True, branches=branch, id__in=scheduled)
        .exclude(id__in=away)
        .prefetch_related("services")
    )


# Estimates move slowly; reading them again for every ticket would cost more than it tells.
PACE_SECONDS = 30


def service_pace(branch: Branch, service: Service, now: dt.datetime) -> tuple[float, int]:
    """Mean minutes per visit and how many advisors serve it now (logged-in ones first,
    else those scheduled; at least one)."""
    key = f"pace:{branch.id}:{service.id}"
    pace = cache.get(key)
    if pace is None:
        offering = [
            a
            for a in advisors_on_duty(branch, now)
            if any(s.id == service.id for s in a.services.all())
        ]
        logged_in = [
            a for a in offering if a.status in (AdvisorStatus.AVAILABLE, AdvisorStatus.BUSY)
        ]
        pace = (average_service_minutes(branch, service, now), max(1, len(logged_in or offering)))
        cache.set(key, pace, PACE_SECONDS)
    return pace


def waiting_order(tickets: list[Ticket]) -> list[Ticket]:
    """Priority tickets first, then first come, first served."""
    return sorted(tickets, key=lambda t: (not t.priority, t.queued_at, t.id))


def _appointment_places(tickets: list[Ticket], now: dt.datetime) -> dict[int, Place]:
    """One advisor's waiting appointments: in order of their start, ready at their start."""
    result: dict[int, Place] = {}
    ordered = sorted(
        tickets, key=lambda t: (t.appointment.start if t.appointment_id else t.queued_at, t.id)
    )
    for index, ticket in enumerate(ordered):
        start = ticket.appointment.start if ticket.appointment_id else now
        result[ticket.id] = appointment_place(index, start, now)
    return result


def appointment_place(ahead: int, start: dt.datetime, now: dt.datetime) -> Place:
    """A waiting appointment with its advisor: behind ``ahead`` earlier ones, ready at
    its start."""
    return Place(ahead + 1, max(0, math.ceil((start - now).total_seconds() / 60)))


def _walk_in_places(
    branch: Branch, tickets: list[Ticket], busy: int, now: dt.datetime
) -> dict[int, Place]:
    """One service's queue: those ahead, plus on average half a visit still running at each
    busy desk, shared among the advisors who can serve it."""
    average, servers = service_pace(branch, tickets[0].service, now)
    return {
        ticket.id: Place(index + 1, _walk_in_minutes(index, busy, average, servers))
        for index, ticket in enumerate(waiting_order(tickets))
    }


def _walk_in_minutes(ahead: int, busy: int, average: float, servers: int) -> int:
    return math.ceil((ahead + 0.5 * min(busy, servers)) * average / servers)


def _by_advisor(ticket: Ticket) -> bool:
    return ticket.kind == TicketKind.APPOINTMENT and ticket.advisor_id is not None


def places(
    branch: Branch, waiting: list[Ticket], serving: list[Ticket], now: dt.datetime
) -> dict[int, Place]:
    """Position and honest waiting estimate of every waiting ticket."""
    result: dict[int, Place] = {}
    busy_by_service: dict[int, int] = defaultdict(int)
    for ticket in serving:
        busy_by_service[ticket.service_id] += 1
    by_advisor: dict[int, list[Ticket]] = defaultdict(list)
    by_service: dict[int, list[Ticket]] = defaultdict(list)
    for ticket in waiting:
        if _by_advisor(ticket):
            by_advisor[ticket.advisor_id].append(ticket)
        else:
            by_service[ticket.service_id].append(ticket)
    for tickets in by_advisor.values():
        result.update(_appointment_places(tickets, now))
    for service_id, tickets in by_service.items():
        result.update(_walk_in_places(branch, tickets, busy_by_service[service_id], now))
    for ticket in waiting:
        if ticket.id in result:
            result[ticket.id] = running_late(result[ticket.id], _late_minutes(ticket))
    return result


def _open_tickets(branch: Branch):
    return Ticket.objects.filter(branch=branch).select_related(
        "service", "advisor", "appointment", "customer"
    )


def queue_snapshot(branch: Branch, now: dt.datetime) -> QueueSnapshot:
    waiting = waiting_order(list(_open_tickets(branch).filter(status=TicketStatus.WAITING)))
    serving = list(
        _open_tickets(branch)
        .filter(status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .order_by("called_at")
    )
    advisors = list(Advisor.objects.filter(branches=branch, active=True).order_by("name"))
    return QueueSnapshot(branch, waiting, serving, advisors, places(branch, waiting, serving, now))


def ticket_place(ticket: Ticket, now: dt.datetime) -> Place | None:
    """The place of one ticket: counts those ahead of it in the database, in the order
    of ``places`` (which the tests hold both to)."""
    if ticket.status != TicketStatus.WAITING:
        return None
    return running_late(_ticket_place(ticket, now), _late_minutes(ticket))


def _before(ticket: Ticket, field: str, value) -> Q:
    """Tickets ahead by ``field``, ties broken by id; a ticket not saved yet (counted
    before its insert) comes after every other of its time."""
    if ticket.id is None:
        return Q(**{f"{field}__lte": value})
    return Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": ticket.id})


def _ticket_place(ticket: Ticket, now: dt.datetime) -> Place:
    waiting = Ticket.objects.filter(branch_id=ticket.branch_id, status=TicketStatus.WAITING)
    if _by_advisor(ticket):
        start = ticket.appointment.start
        ahead = waiting.filter(kind=TicketKind.APPOINTMENT, advisor_id=ticket.advisor_id).filter(
            _before(ticket, "appointment__start", start)
        )
        return appointment_place(ahead.count(), start, now)
    ahead, busy = _walk_in_counts(ticket)
    average, servers = service_pace(ticket.branch, ticket.service, now)
    return Place(ahead + 1, _walk_in_minutes(ahead, busy, average, servers))


# A walk-in's place: those ahead of it in its service's queue (priority first, then
# first come; ties by id, and a ticket not saved yet comes after every other of its
# time) and the desks busy with that service. Built once per process: every walk-in
# ticket and a late visitor's check-in count it, and the ORM compiled the aggregate anew
# each time, at more cost than running it.
_WALK_IN_COUNTS = """
SELECT
    COUNT(*) FILTER (
        WHERE status = {waiting} AND NOT (kind = {appointment} AND advisor_id IS NOT NULL)
        AND (
            (priority AND NOT %(priority)s)
            OR (priority = %(priority)s
                AND (queued_at < %(at)s OR (queued_at = %(at)s AND id < %(id)s)))
        )
    ),
    COUNT(*) FILTER (WHERE status IN ({called}, {serving}))
FROM {ticket}
WHERE branch_id = %(branch)s AND service_id = %(service)s
"""
_UNSAVED = 2**63 - 1  # above every id


@functools.cache
def _walk_in_counts_statement() -> str:
    return _WALK_IN_COUNTS.format(
        ticket=connection.ops.quote_name(Ticket._meta.db_table),
        waiting=literal(TicketStatus.WAITING),
        appointment=literal(TicketKind.APPOINTMENT),
        called=literal(TicketStatus.CALLED),
        serving=literal(TicketStatus.SERVING),
    )


def _walk_in_counts(ticket: Ticket) -> tuple[int, int]:
    """(waiting ahead of the walk-in ``ticket``, desks busy with its service)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _walk_in_counts_statement(),
            {
                "priority": ticket.priority,
                "at": connection.ops.adapt_datetimefield_value(ticket.queued_at),
                "id": _UNSAVED if ticket.id is None else ticket.id,
                "branch": ticket.branch_id,
                "service": ticket.service_id,
            },
        )
        return tuple(cursor.fetchone())


# --- an advisor running late ---------------------------------------------------------


def running_late(place: Place, minutes: int | None) -> Place:
    """The place of a visitor whose advisor said they run ``minutes`` late."""
    if not minutes:
        return place
    return Place(place.position, place.estimated_wait_minutes + minutes)


def _late_minutes(ticket: Ticket) -> int:
    return (ticket.advisor.late_minutes or 0) if ticket.advisor_id else 0


DISPLAY_CALLED = 8


def display_snapshot(branch: Branch, now: dt.datetime) -> dict:
    """What the lobby screen shows: numbers and places only, never names."""
    day = branch.local_date(now)
    called = (
        Ticket.objects.filter(branch=branch, day=day, status=TicketStatus.CALLED)
        .order_by("-called_at")
        .values("number", "location", "called_at")[:DISPLAY_CALLED]
    )
    waiting = Ticket.objects.filter(branch=branch, day=day, status=TicketStatus.WAITING).count()
    return {"called": list(called), "waiting": waiting}


def visit_wait_minutes(ticket: Ticket) -> float | None:
    """From entering the queue to the first call (a transferred visit counts from the start)."""
    root = ticket.visit_root
    # A transferred ticket hands its number on, so a visit is its number on its day.
    first_call = (
        Ticket.objects.filter(
            branch_id=root.branch_id, day=root.day, number=root.number, called_at__isnull=False
        )
        .order_by("called_at")
        .values_list("called_at", flat=True)
        .first()
    )
    if first_call is None:
        return None
    return max(0.0, (first_call - root.queued_at).total_seconds() / 60)


def day_service_minutes(branch: Branch, day: dt.date) -> float | None:
    value = (
        Ticket.objects.filter(
            branch=branch, day=day, status=TicketStatus.DONE, started_at__isnull=False
        )
        .annotate(length=F("finished_at") - F("started_at"))
        .aggregate(avg=Avg("length"))["avg"]
    )
    return value.total_seconds() / 60 if value is not None else None

"""Service levels: a visitor waiting past the branch's target opens one ``wait`` alert.

Walk-ins are held to ``Branch.target_wait_minutes`` from entering the queue; visitors
with an appointment to ``target_start_delay_minutes`` after their appointment's start.
The sweep runs every minute on any number of workers: the partial unique constraint
``alert_one_wait_per_ticket`` is the claim, so a visit raises its alert exactly once.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from booking import events
from booking.models import Alert, AlertKind, AlertStatus, Branch, Ticket, TicketKind, TicketStatus
from booking.timeutils import resolve_now

# A wait alert asks someone to walk over now, not within the day.
WAIT_FOLLOW_UP = dt.timedelta(minutes=15)


def wait_deadline(ticket: Ticket, branch: Branch) -> dt.datetime:
    """When this visitor has waited longer than the branch promises."""
    if ticket.kind == TicketKind.APPOINTMENT and ticket.appointment_id:
        return ticket.appointment.start + dt.timedelta(minutes=branch.target_start_delay_minutes)
    return ticket.queued_at + dt.timedelta(minutes=branch.target_wait_minutes)


def waited_minutes(ticket: Ticket, now: dt.datetime) -> float:
    """Minutes waited so far: since entering the queue, or since the appointment's start."""
    since = ticket.queued_at
    if ticket.kind == TicketKind.APPOINTMENT and ticket.appointment_id:
        since = max(since, ticket.appointment.start)
    return round(max(0.0, (now - since).total_seconds() / 60), 1)


def _overdue_tickets(branch: Branch, now: dt.datetime):
    walk_in_cutoff = now - dt.timedelta(minutes=branch.target_wait_minutes)
    start_cutoff = now - dt.timedelta(minutes=branch.target_start_delay_minutes)
    return (
        Ticket.objects.filter(branch=branch, status=TicketStatus.WAITING)
        .filter(
            Q(kind=TicketKind.APPOINTMENT, appointment__start__lt=start_cutoff)
            | ~Q(kind=TicketKind.APPOINTMENT) & Q(queued_at__lt=walk_in_cutoff)
        )
        .select_related("appointment", "advisor", "transferred_from")
        .order_by("queued_at")
    )


def _visit_has_alert(ticket: Ticket) -> bool:
    """A transferred visit keeps the alert its first ticket raised."""
    return Alert.objects.filter(
        kind=AlertKind.WAIT,
        ticket__branch_id=ticket.branch_id,
        ticket__day=ticket.day,
        ticket__number=ticket.number,
    ).exists()


def wait_alert_open(*, ticket: Ticket, now: dt.datetime | None = None) -> Alert | None:
    """Open the ticket's wait alert; ``None`` if it (or its visit) has one already."""
    now = resolve_now(now)
    root = ticket.visit_root
    if ticket.transferred_from_id and _visit_has_alert(root):
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=AlertKind.WAIT,
                branch=ticket.branch,
                ticket=root,
                advisor=ticket.advisor,
                wait_minutes=waited_minutes(ticket, now),
                due=now + WAIT_FOLLOW_UP,
            )
            events.publish(
                events.AlertChanged(alert.id, ticket.branch.slug, opened=True, kind=AlertKind.WAIT)
            )
    except IntegrityError:
        return None  # another worker (or an earlier run) claimed it
    return alert


def wait_alerts_open(*, now: dt.datetime | None = None) -> int:
    """The sweep: open a wait alert for every visitor now waiting past the target."""
    now = resolve_now(now)
    opened = 0
    for branch in Branch.objects.filter(active=True):
        for ticket in _overdue_tickets(branch, now):
            if Alert.objects.filter(kind=AlertKind.WAIT, ticket_id=ticket.id).exists():
                continue
            ticket.branch = branch
            if wait_alert_open(ticket=ticket, now=now) is not None:
                opened += 1
    return opened


def wait_alerts_close(*, now: dt.datetime | None = None) -> int:
    """Close the wait alerts of visitors who were called or left meanwhile."""
    now = resolve_now(now)
    closed = 0
    candidates = Alert.objects.filter(
        kind=AlertKind.WAIT, status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]
    ).select_related("ticket", "branch")
    for alert in candidates:
        if _still_waiting(alert.ticket):
            continue
        with transaction.atomic():
            done = Alert.objects.filter(id=alert.id, status=alert.status).update(
                status=AlertStatus.RESOLVED,
                resolved_at=now,
                acknowledged_at=alert.acknowledged_at or now,
                note=alert.note or _("The visitor is no longer waiting."),
            )
            if done:
                closed += 1
                events.publish(
                    events.AlertChanged(alert.id, alert.branch.slug, kind=AlertKind.WAIT)
                )
    return closed


def _still_waiting(ticket: Ticket | None) -> bool:
    if ticket is None:
        return False
    return Ticket.objects.filter(
        branch_id=ticket.branch_id,
        day=ticket.day,
        number=ticket.number,
        status=TicketStatus.WAITING,
    ).exists()


def service_levels_sweep(*, now: dt.datetime | None = None) -> int:
    """Every minute: open the new wait alerts, close those whose visitor was called."""
    now = resolve_now(now)
    opened = wait_alerts_open(now=now)
    wait_alerts_close(now=now)
    return opened

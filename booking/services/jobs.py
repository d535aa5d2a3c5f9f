"""Periodic sweeps. Each claims its rows with a conditional update, so several
workers (or a retried job) never act on the same row twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from booking.models import Appointment, AppointmentStatus, Branch, Channel, EventKind
from booking.timeutils import resolve_now

from . import notifications, privacy, queue, ticket_messages
from .journey import event_record


def _send_or_queue(
    due: list[tuple[int, str]],
    queue: Callable[[int, str], object] | None,
    send: Callable[[int, str], object],
) -> int:
    """Hand each (id, kind) to ``queue`` (a task's ``delay``), or send it here."""
    for object_id, kind in due:
        if queue is not None:
            queue(object_id, kind)
            continue
        try:
            send(object_id, kind)
        except notifications.TransientSendError:
            continue  # stays failed; the next sweep tries again
    return len(due)


def send_due_reminders(
    *, queue: Callable[[int, str], object] | None = None, now: dt.datetime | None = None
) -> int:
    """Hand every due reminder to ``queue`` (a task's ``delay``), or send it here."""
    return _send_or_queue(
        notifications.reminders_due(now=now),
        queue,
        lambda appointment_id, kind: notifications.notification_send(
            appointment_id=appointment_id, kind=kind, now=now
        ),
    )


def retry_ticket_messages(
    *, queue: Callable[[int, str], object] | None = None, now: dt.datetime | None = None
) -> int:
    """Messages to waiting visitors that failed, or whose sender died mid-send, go again
    (each still at most once: the task claims it first)."""
    return _send_or_queue(
        ticket_messages.ticket_messages_unsent(now=now),
        queue,
        lambda ticket_id, kind: ticket_messages.ticket_message_send(
            ticket_id=ticket_id, kind=kind, now=now
        ),
    )


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Appointments nobody checked in for by the end of the branch's late grace period,
    and queue tickets whose visitor never came."""
    now = resolve_now(now)
    marked = queue.tickets_expire(now=now)
    for branch in Branch.objects.all():
        cutoff = now - dt.timedelta(minutes=branch.late_grace_minutes)
        candidates = Appointment.objects.filter(
            branch=branch, status=AppointmentStatus.BOOKED, start__lt=cutoff
        ).values_list("id", flat=True)
        for appointment_id in candidates:
            with transaction.atomic():
                claimed = Appointment.objects.filter(
                    id=appointment_id, status=AppointmentStatus.BOOKED
                ).update(status=AppointmentStatus.NO_SHOW)
                if claimed:
                    appointment = Appointment.objects.get(id=appointment_id)
                    event_record(
                        kind=EventKind.NO_SHOW,
                        channel=Channel.SYSTEM,
                        branch=branch,
                        appointment=appointment,
                        at=now,
                    )
                    marked += 1
    return marked


def flag_overdue_alerts(*, now: dt.datetime | None = None) -> int:
    from .alerts import alerts_flag_overdue

    return alerts_flag_overdue(now=now)


def forget_ticket_contacts(*, now: dt.datetime | None = None) -> int:
    from .visitor import ticket_contacts_forget

    return ticket_contacts_forget(now=now)


def anonymize_expired_customers(*, now: dt.datetime | None = None) -> int:
    count = 0
    for customer in privacy.customers_past_retention(now=now):
        privacy.customer_erase(customer, now=now)
        count += 1
    return count

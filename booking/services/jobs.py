"""Periodic sweeps. Each claims its rows with a conditional update, so several
workers (or a retried job) never act on the same row twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from booking.models import Appointment, AppointmentStatus, Branch, Channel, EventKind
from booking.timeutils import resolve_now

from . import (
    alerts,
    notifications,
    privacy,
    queue,
    recovery,
    service_levels,
    ticket_messages,
    visitor,
)
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


def resend_lost_messages(
    *, queue: Callable[[int, str, str], object] | None = None, now: dt.datetime | None = None
) -> int:
    """Nothing committed goes unsent: hand every lost message to ``queue`` (a task's
    ``delay``), or send it here. Sending claims each message once, so never twice."""
    lost = notifications.messages_unsent(now=now)
    for appointment_id, kind, key in lost:
        if queue is not None:
            queue(appointment_id, kind, key)
        else:
            try:
                notifications.notification_send(
                    appointment_id=appointment_id, kind=kind, key=key, now=now
                )
            except notifications.TransientSendError:
                continue  # stays failed; the next sweep tries again
    return len(lost)


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
    return alerts.alerts_flag_overdue(now=now)


def forget_ticket_contacts(*, now: dt.datetime | None = None) -> int:
    return visitor.ticket_contacts_forget(now=now)


def anonymize_expired_customers(*, now: dt.datetime | None = None) -> int:
    count = 0
    for customer in privacy.customers_past_retention(now=now):
        privacy.customer_erase(customer, now=now)
        count += 1
    return count


def check_service_levels(*, now: dt.datetime | None = None) -> int:
    """Open a wait alert for each visitor waiting past the branch's target (once)."""
    return service_levels.service_levels_sweep(now=now)


def ask_for_rerating(
    *, queue: Callable[[int, str], object] | None = None, now: dt.datetime | None = None
) -> int:
    """Send the "did we put it right?" link of each recovery whose time has come."""
    return recovery.recoveries_ask_rerating(queue=queue, now=now)

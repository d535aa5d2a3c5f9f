"""Celery tasks: thin wrappers that take ids, re-read, and call services.

Every task is idempotent, so a retry or a duplicate delivery sends nothing twice.
"""

from __future__ import annotations

from celery import shared_task

from booking import events
from booking.services import alerts, jobs, recovery
from booking.services.notifications import TransientSendError, notification_send
from booking.services.ticket_messages import ticket_message_send


@shared_task(
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_notification(appointment_id: int, kind: str, key: str | None = None) -> str | None:
    note = notification_send(appointment_id=appointment_id, kind=kind, key=key)
    return note.status if note else None


@shared_task(
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_ticket_message(ticket_id: int, kind: str) -> str | None:
    note = ticket_message_send(ticket_id=ticket_id, kind=kind)
    return note.status if note else None


@shared_task
def retry_ticket_messages() -> int:
    return jobs.retry_ticket_messages(queue=send_ticket_message.delay)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def notify_low_rating(alert_id: int) -> bool:
    return alerts.alert_notify(alert_id)


@shared_task
def send_due_reminders() -> int:
    return jobs.send_due_reminders(queue=send_notification.delay)


@shared_task
def resend_lost_messages() -> int:
    return jobs.resend_lost_messages(queue=send_notification.delay)


@shared_task
def mark_no_shows() -> int:
    return jobs.mark_no_shows()


@shared_task
def flag_overdue_alerts() -> int:
    return jobs.flag_overdue_alerts()


@shared_task
def forget_ticket_contacts() -> int:
    return jobs.forget_ticket_contacts()


@shared_task
def anonymize_expired_customers() -> int:
    return jobs.anonymize_expired_customers()


@shared_task
def check_service_levels() -> int:
    return jobs.check_service_levels()


@shared_task
def ask_for_rerating() -> int:
    return jobs.ask_for_rerating(queue=send_recovery_message.delay)


@shared_task(
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_recovery_message(recovery_id: int, kind: str) -> str | None:
    note = recovery.recovery_message_send(recovery_id=recovery_id, kind=kind)
    return note.status if note else None


def on_appointment_message_due(event: events.AppointmentMessageDue) -> None:
    send_notification.delay(event.appointment_id, event.kind)


def on_ticket_message_due(event: events.TicketMessageDue) -> None:
    send_ticket_message.delay(event.ticket_id, event.kind)


def on_alert_changed(event: events.AlertChanged) -> None:
    if event.opened and event.kind == "rating":
        notify_low_rating.delay(event.alert_id)


def on_recovery_message_due(event: events.RecoveryMessageDue) -> None:
    send_recovery_message.delay(event.recovery_id, event.kind)

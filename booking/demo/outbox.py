"""The history's messages: sent through the services at the moment they were due, to
nobody (the visitors are made up), so they are recorded as sent and on the journeys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.test.utils import override_settings

from booking import events
from booking.models import AlertKind
from booking.services import alerts, notifications, recovery, ticket_messages
from booking.sms import BaseSMSBackend


class NoSMS(BaseSMSBackend):
    """Sends nothing: the history's text messages went out long ago."""

    def send(self, to: str, text: str) -> None:
        return None


@contextmanager
def silent() -> Iterator[None]:
    """Messages go nowhere while the history is made; the rows that say they were sent,
    and the journeys, are written as always."""
    with (
        notifications.messages_unwritten(),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            SMS_BACKEND=f"{NoSMS.__module__}.{NoSMS.__qualname__}",
        ),
    ):
        yield


def deliver(told: list[events.Event], now: dt.datetime) -> None:
    """Send the messages a step's events ask for, as the tasks subscribed to them would
    (``booking.subscriptions``); live pages are not told about the past."""
    while told:
        event = told.pop(0)
        if isinstance(event, events.AppointmentMessageDue):
            notifications.notification_send(
                appointment_id=event.appointment_id, kind=event.kind, now=now
            )
        elif isinstance(event, events.TicketMessageDue):
            ticket_messages.ticket_message_send(ticket_id=event.ticket_id, kind=event.kind, now=now)
        elif isinstance(event, events.RecoveryMessageDue):
            recovery.recovery_message_send(recovery_id=event.recovery_id, kind=event.kind, now=now)
        elif (
            isinstance(event, events.AlertChanged)
            and event.opened
            and event.kind == AlertKind.RATING
        ):
            alerts.alert_notify(event.alert_id, now=now)

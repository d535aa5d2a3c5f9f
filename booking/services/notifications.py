"""Confirmation and reminder messages, each sent at most once per occurrence.

A message is claimed by inserting its unique ``Notification`` row before it is
sent, so a retried or duplicated job finds the row and sends nothing. A failed
send leaves the row ``failed`` for the next attempt to reclaim; one stuck in
``sending`` (a worker died mid-send) is reclaimed after ``STALE_CLAIM``.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.mime.image import MIMEImage

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from booking.dates import long_date
from booking.models import (
    Appointment,
    AppointmentStatus,
    Channel,
    EventKind,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from booking.sms import SMSError, get_sms_backend
from booking.timeutils import resolve_now

from .codes import format_code
from .documents import appointment_ics, manage_url, qr_png
from .journey import event_record

logger = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=10)
EMAIL_REMINDER_WINDOW = (dt.timedelta(hours=23), dt.timedelta(hours=25))
SMS_REMINDER_WINDOW = (dt.timedelta(hours=1, minutes=30), dt.timedelta(hours=2, minutes=30))
# While set, messages are claimed, marked sent and put on the journey as always, but
# never written nor handed to a backend (the demo history replays long-sent messages).
_unwritten: ContextVar[bool] = ContextVar("messages_unwritten", default=False)


@contextmanager
def messages_unwritten() -> Iterator[None]:
    token = _unwritten.set(True)
    try:
        yield
    finally:
        _unwritten.reset(token)


class TransientSendError(Exception):
    """The mail server or SMS gateway failed; worth trying again later."""


def _subject(kind: str, appointment: Appointment) -> str:
    subjects = {
        NotificationKind.CONFIRMATION: _("Your appointment on %(date)s is booked"),
        NotificationKind.RESCHEDULED: _("Your appointment has moved to %(date)s"),
        NotificationKind.CANCELLED: _("Your appointment on %(date)s is cancelled"),
        NotificationKind.REMINDER_EMAIL: _("Reminder: your appointment on %(date)s"),
    }
    return subjects[kind] % {"date": when(_local(appointment))}


def when(moment: dt.datetime) -> str:
    return f"{long_date(moment)}, {moment:%H:%M}"


def _local(appointment: Appointment) -> dt.datetime:
    return appointment.start.astimezone(appointment.branch.tz)


def _context(appointment: Appointment, kind: str) -> dict:
    start = _local(appointment)
    return {
        "kind": kind,
        "language": get_language()[:2],
        "appointment": appointment,
        # A bank writes formally: the whole name the booking was made under, no guessing
        # at "Frau"/"Herr" (bookings carry a name only).
        "customer_name": appointment.contact_name,
        "customer_first_name": appointment.first_name,
        "branch": appointment.branch,
        "service_name": appointment.service.display_name,
        "advisor_name": appointment.advisor.name,
        "location": appointment.advisor.location,
        "start": start,
        "end": appointment.end.astimezone(appointment.branch.tz),
        "day": long_date(start),
        "code": format_code(appointment.code),
        "manage_url": manage_url(appointment),
        "cancelled": kind == NotificationKind.CANCELLED,
        "what_to_bring": appointment.service.display_description,
    }


def _email(appointment: Appointment, kind: str) -> EmailMultiAlternatives:
    context = _context(appointment, kind)
    message = EmailMultiAlternatives(
        subject=_subject(kind, appointment),
        body=render_to_string("booking/email/appointment.txt", context),
        to=[appointment.contact_email],
    )
    message.attach_alternative(
        render_to_string("booking/email/appointment.html", context), "text/html"
    )
    message.mixed_subtype = "related"
    if kind != NotificationKind.CANCELLED:
        image = MIMEImage(qr_png(appointment.code), "png")
        image.add_header("Content-ID", "<checkin-qr>")
        image.add_header("Content-Disposition", "inline", filename="check-in-qr.png")
        message.attach(image)
    message.attach("appointment.ics", appointment_ics(appointment), "text/calendar")
    return message


def _sms_text(appointment: Appointment) -> str:
    return _(
        "Reminder: %(service)s with %(advisor)s at %(branch)s today at %(time)s. "
        "Check-in code %(code)s. Change: %(url)s"
    ) % {
        "service": appointment.service.display_name,
        "advisor": appointment.advisor.name,
        "branch": appointment.branch.name,
        "time": _local(appointment).strftime("%H:%M"),
        "code": format_code(appointment.code),
        "url": manage_url(appointment),
    }


def _still_wanted(appointment: Appointment, kind: str, key: str) -> bool:
    """A message about a time that has changed, or a booking since cancelled, is not sent."""
    if kind == NotificationKind.CANCELLED:
        return appointment.status == AppointmentStatus.CANCELLED
    if kind == NotificationKind.CONFIRMATION:
        return appointment.status != AppointmentStatus.CANCELLED
    return appointment.status == AppointmentStatus.BOOKED and appointment.start.isoformat() == key


def notification_claim(
    *, kind: str, key: str, now: dt.datetime, **about: object
) -> Notification | None:
    """Claim one message ``about`` an appointment or a ticket (``appointment=`` or
    ``ticket=``): the first claim inserts its unique row; a failed one, or one stuck in
    ``sending`` for ``STALE_CLAIM``, may be claimed again. ``None``: someone else has it."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                kind=kind, key=key, attempts=1, claimed_at=now, **about
            )
    except IntegrityError:
        pass
    reclaimable = Q(status=NotificationStatus.FAILED) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = (
        Notification.objects.filter(kind=kind, key=key, **about)
        .filter(reclaimable)
        .update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    return Notification.objects.get(kind=kind, key=key, **about) if claimed else None


def notification_skip(note: Notification) -> Notification:
    note.status = NotificationStatus.SKIPPED
    note.save(update_fields=["status"])
    return note


def notification_deliver(
    note: Notification,
    *,
    recipient: str,
    send: Callable[[], object],
    language: str,
    tz: dt.tzinfo,
    journey: dict | None,
) -> Notification:
    """Run ``send()`` in the recipient's language and time zone, then mark the message sent
    and record the ``journey`` event (keywords of ``event_record``; None: no event) in one
    transaction.

    A failed send leaves the row ``failed`` and raises ``TransientSendError``.
    """
    note.recipient = recipient
    try:
        if not _unwritten.get():
            with translation.override(language or "de"), timezone.override(tz):
                send()
    except (smtplib.SMTPException, OSError, SMSError) as error:
        note.status = NotificationStatus.FAILED
        note.error = str(error)[:2000]
        note.save(update_fields=["status", "error", "recipient"])
        logger.warning("sending %s (%s) failed: %s", note.kind, note.key, error)
        raise TransientSendError(str(error)) from error
    note.status = NotificationStatus.SENT
    note.sent_at = resolve_now(None)
    note.error = ""
    # Together, so whoever sees the message as sent also finds it on the journey.
    with transaction.atomic():
        note.save(update_fields=["status", "sent_at", "error", "recipient"])
        if journey is not None:
            event_record(at=note.sent_at, **journey)
    return note


def notification_key(appointment: Appointment) -> str:
    return appointment.start.isoformat()


def notification_send(
    *, appointment_id: int, kind: str, key: str | None = None, now: dt.datetime | None = None
) -> Notification | None:
    """Send one message about an appointment unless it was sent already.

    Returns the notification row if this call handled it, ``None`` if there was nothing
    to do. Raises ``TransientSendError`` when the send failed and may be retried.
    """
    now = resolve_now(now)
    appointment = (
        Appointment.objects.select_related("branch", "service", "advisor")
        .filter(id=appointment_id)
        .first()
    )
    if appointment is None:
        return None
    key = key or notification_key(appointment)
    note = notification_claim(kind=kind, key=key, now=now, appointment=appointment)
    if note is None:
        return None
    sms = kind == NotificationKind.REMINDER_SMS
    recipient = appointment.contact_phone if sms else appointment.contact_email
    if not recipient or not _still_wanted(appointment, kind, key):
        return notification_skip(note)
    reminder = kind in (NotificationKind.REMINDER_EMAIL, NotificationKind.REMINDER_SMS)

    def send() -> None:
        if sms:
            get_sms_backend().send(recipient, _sms_text(appointment))
        else:
            _email(appointment, kind).send()

    return notification_deliver(
        note,
        recipient=recipient,
        send=send,
        language=appointment.language,
        tz=appointment.branch.tz,
        journey={
            "kind": EventKind.REMINDER_SENT if reminder else EventKind.CONFIRMATION_SENT,
            "channel": Channel.SMS if sms else Channel.EMAIL,
            "branch": appointment.branch,
            "appointment": appointment,
            "detail": {"message": kind},
        },
    )


def reminders_due(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """(appointment id, kind) of every reminder whose time has come and that is not sent."""
    now = resolve_now(now)
    due: list[tuple[int, str]] = []
    for kind, (soonest, latest), needs in (
        (NotificationKind.REMINDER_EMAIL, EMAIL_REMINDER_WINDOW, ~Q(contact_email="")),
        (NotificationKind.REMINDER_SMS, SMS_REMINDER_WINDOW, ~Q(contact_phone="")),
    ):
        candidates = Appointment.objects.filter(
            needs,
            status=AppointmentStatus.BOOKED,
            start__gte=now + soonest,
            start__lte=now + latest,
        ).values_list("id", "start")
        done = set(
            Notification.objects.filter(
                kind=kind,
                appointment_id__in=[appointment_id for appointment_id, _start in candidates],
                status__in=[NotificationStatus.SENT, NotificationStatus.SKIPPED],
            ).values_list("appointment_id", "key")
        )
        due.extend(
            (appointment_id, kind)
            for appointment_id, start in candidates
            if (appointment_id, start.isoformat()) not in done
        )
    return due


# A confirmation normally leaves seconds after its booking commits; one still missing
# after this long was lost between the commit and the queue (a crashed process).
CONFIRMATION_GRACE = dt.timedelta(minutes=2)
# Bookings older than this are not confirmed any more: the visit may be long over.
CONFIRMATION_CUTOFF = dt.timedelta(days=2)
# Appointment messages the reminder sweep does not cover.
CHANGE_KINDS = (
    NotificationKind.CONFIRMATION,
    NotificationKind.RESCHEDULED,
    NotificationKind.CANCELLED,
)
MAX_ATTEMPTS = 8


def messages_unsent(*, now: dt.datetime | None = None) -> list[tuple[int, str, str]]:
    """(appointment id, kind, key) of what was committed but never sent: confirmations
    nobody queued, and changes whose send failed or whose sender died mid-way
    (claimed over ``STALE_CLAIM`` ago). ``notification_send`` still claims each once."""
    now = resolve_now(now)
    never_confirmed = (
        Appointment.objects.filter(
            created__lt=now - CONFIRMATION_GRACE,
            created__gte=now - CONFIRMATION_CUTOFF,
            end__gt=now,
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .exclude(notifications__kind=NotificationKind.CONFIRMATION)
        .values_list("id", "start")
    )
    unsent = [
        (appointment_id, NotificationKind.CONFIRMATION, start.isoformat())
        for appointment_id, start in never_confirmed
    ]
    stuck = Notification.objects.filter(
        Q(status=NotificationStatus.FAILED) | Q(status=NotificationStatus.SENDING),
        appointment__isnull=False,
        kind__in=CHANGE_KINDS,
        claimed_at__lt=now - STALE_CLAIM,
        attempts__lt=MAX_ATTEMPTS,
    ).values_list("appointment_id", "kind", "key")
    unsent.extend(stuck)
    return unsent

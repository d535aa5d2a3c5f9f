"""Winning a customer back after a low rating.

With the visitor's consent (``Rating.contact_ok``) a manager sends a personal message
with a rebooking link (``/r/<token>/book/``: the branch's next free times first). A
booking made through it is recorded on the recovery; later (a day after the rebooked
visit, or three days after the message when nothing was rebooked) a one-tap "did we
put it right?" link (``/r/<token>/``) asks again. Each message is claimed by its unique
``Notification`` row, so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from booking import events
from booking.exceptions import Conflict, Invalid, NotFound
from booking.models import (
    Alert,
    AlertKind,
    AlertStatus,
    Appointment,
    Channel,
    EventKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    Recovery,
)
from booking.selectors.contact import Contact, alert_contact
from booking.sms import get_sms_backend
from booking.timeutils import resolve_now
from booking.validators import strip_control_characters

from .journey import event_record
from .notifications import TransientSendError, notification_claim, notification_deliver

logger = logging.getLogger(__name__)

MAX_MESSAGE = 1000
# When to ask "did we put it right?": after the rebooked visit, or after a while without one.
AFTER_REBOOKED_VISIT = dt.timedelta(days=1)
WITHOUT_REBOOKING = dt.timedelta(days=3)


def _clean(message: str) -> str:
    text = strip_control_characters(message or "").strip()
    if not text:
        raise Invalid("blank", _("Please write a message."), field="message")
    if len(text) > MAX_MESSAGE:
        raise Invalid(
            "too_long",
            _("Please keep the message under %(n)s characters.") % {"n": MAX_MESSAGE},
            field="message",
        )
    return text


def recovery_send(
    *, alert: Alert, user: AbstractBaseUser, message: str, now: dt.datetime | None = None
) -> tuple[Recovery, bool]:
    """Send the customer a personal message with a rebooking link, once per alert.

    The same message again returns the first recovery (``False``); another message to
    the same customer is a conflict: one personal message per low rating.
    """
    now = resolve_now(now)
    text = _clean(message)
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .select_related(
                "branch", "rating__appointment", "rating__ticket__appointment", "rating__customer"
            )
            .get(id=alert.id)
        )
        existing = Recovery.objects.filter(alert=alert).first()
        if existing is not None:
            if existing.message == text:
                return existing, False
            raise Conflict(
                "recovery_sent", _("A personal message was already sent for this alert.")
            )
        if alert.kind != AlertKind.RATING or not (alert.rating and alert.rating.contact_ok):
            raise Conflict(
                "no_consent",
                _("The visitor did not agree to be contacted about this visit."),
            )
        if alert_contact(alert) is None:
            raise Conflict("no_contact", _("We have no phone number or e-mail for this visitor."))
        recovery = Recovery.objects.create(
            alert=alert, token=secrets.token_urlsafe(32), message=text, sent_by=user, sent_at=now
        )
        if alert.status == AlertStatus.OPEN:
            Alert.objects.filter(id=alert.id, status=AlertStatus.OPEN).update(
                status=AlertStatus.ACKNOWLEDGED, owner=user, acknowledged_at=now
            )
        events.publish(events.RecoveryMessageDue(recovery.id, NotificationKind.RECOVERY))
        events.publish(events.AlertChanged(alert.id, alert.branch.slug, kind=alert.kind))
    return recovery, True


def rebook_url(recovery: Recovery) -> str:
    return settings.SITE_URL + reverse("recovery-book", args=[recovery.token])


def rerate_url(recovery: Recovery) -> str:
    return settings.SITE_URL + reverse("recovery-rerate", args=[recovery.token])


def _anchor(recovery: Recovery) -> dict:
    """The visit a recovery's messages are about (their ``Notification`` rows hang on it)."""
    rating = recovery.alert.rating
    if rating.appointment_id:
        return {"appointment": rating.appointment}
    return {"ticket": rating.ticket}


def _texts(recovery: Recovery, kind: str, contact: Contact) -> tuple[str, str]:
    """(subject, text) in the customer's language."""
    branch = recovery.alert.branch
    if kind == NotificationKind.RECOVERY:
        subject = _("A personal message from %(branch)s") % {"branch": branch.name}
        text = _("%(message)s\n\nBook a new appointment with us: %(url)s") % {
            "message": recovery.message,
            "url": rebook_url(recovery),
        }
    else:
        subject = _("Did we put it right?")
        text = _("%(branch)s: did we put it right? One tap tells us (1 to 5): %(url)s") % {
            "branch": branch.name,
            "url": rerate_url(recovery),
        }
    return subject, text


def recovery_message_send(
    *, recovery_id: int, kind: str, now: dt.datetime | None = None
) -> Notification | None:
    """Send the recovery message or the re-rating link once (SMS if a phone is known)."""
    now = resolve_now(now)
    recovery = (
        Recovery.objects.select_related(
            "alert__branch",
            "alert__rating__appointment__customer",
            "alert__rating__ticket__appointment",
            "alert__rating__customer",
        )
        .filter(id=recovery_id)
        .first()
    )
    if recovery is None or recovery.alert.rating is None:
        return None
    note = notification_claim(
        kind=kind, key=f"recovery:{recovery.id}", now=now, **_anchor(recovery)
    )
    if note is None:
        return None
    contact = alert_contact(recovery.alert)
    if contact is None:  # erased meanwhile
        note.status = NotificationStatus.SKIPPED
        note.save(update_fields=["status"])
        return note
    sms = bool(contact.phone)

    def send() -> None:
        subject, text = _texts(recovery, kind, contact)
        if sms:
            get_sms_backend().send(contact.phone, text)
        else:
            EmailMessage(subject=subject, body=text, to=[contact.email]).send()

    rating = recovery.alert.rating
    sent = {
        "kind": EventKind.RECOVERY_SENT,
        "channel": Channel.SMS if sms else Channel.EMAIL,
        "branch": recovery.alert.branch,
        "customer": rating.customer,
        "appointment": rating.appointment,
        "ticket": rating.ticket,
        "detail": {"score": rating.score},
    }
    return notification_deliver(
        note,
        recipient=contact.phone if sms else contact.email,
        send=send,
        language=contact.language,
        tz=recovery.alert.branch.tz,
        journey=sent if kind == NotificationKind.RECOVERY else None,
    )


def recovery_by_token(token: str) -> Recovery:
    recovery = (
        Recovery.objects.select_related("alert__branch", "alert__rating__service")
        .filter(token=token)
        .first()
        if token
        else None
    )
    if recovery is None:
        raise NotFound("unknown_token", _("This link is not valid."))
    return recovery


def recovery_mark_booked(
    *, token: str, appointment: Appointment, now: dt.datetime | None = None
) -> bool:
    """A booking made through the rebooking link: recorded once, on the first booking."""
    now = resolve_now(now)
    with transaction.atomic():
        claimed = Recovery.objects.filter(token=token, booked_appointment__isnull=True).update(
            booked_appointment=appointment, booked_at=now
        )
        if claimed:
            recovery = Recovery.objects.select_related("alert").get(token=token)
            event_record(
                kind=EventKind.RECOVERY_BOOKED,
                channel=Channel.WEB,
                branch=appointment.branch,
                appointment=appointment,
                customer=appointment.customer,
                at=now,
                detail={"alert": recovery.alert_id},
            )
    return bool(claimed)


def recoveries_due_for_rerating(now: dt.datetime) -> list[int]:
    waiting = Recovery.objects.filter(rerating_sent_at__isnull=True, rerated_score__isnull=True)
    return list(
        waiting.filter(
            Q(booked_appointment__isnull=True, sent_at__lte=now - WITHOUT_REBOOKING)
            | Q(
                booked_appointment__isnull=False,
                booked_appointment__end__lte=now - AFTER_REBOOKED_VISIT,
            )
        ).values_list("id", flat=True)
    )


def recoveries_ask_rerating(
    *, queue: Callable[[int, str], object] | None = None, now: dt.datetime | None = None
) -> int:
    """Claim each due re-rating (one worker wins) and send or queue its link."""
    now = resolve_now(now)
    asked = 0
    for recovery_id in recoveries_due_for_rerating(now):
        claimed = Recovery.objects.filter(id=recovery_id, rerating_sent_at__isnull=True).update(
            rerating_sent_at=now
        )
        if not claimed:
            continue
        asked += 1
        if queue is not None:
            queue(recovery_id, NotificationKind.RERATING)
            continue
        try:
            recovery_message_send(recovery_id=recovery_id, kind=NotificationKind.RERATING, now=now)
        except TransientSendError:
            # Give the claim back: the next sweep tries again (the row keeps it unsent twice).
            Recovery.objects.filter(id=recovery_id).update(rerating_sent_at=None)
    return asked


def recovery_rerate(
    *, token: str, score: int, now: dt.datetime | None = None
) -> tuple[Recovery, bool]:
    """The customer's answer to "did we put it right?"; the first answer counts."""
    now = resolve_now(now)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise Invalid("score", _("A rating is a score from 1 to 5."), field="score")
    recovery = recovery_by_token(token)
    with transaction.atomic():
        claimed = Recovery.objects.filter(id=recovery.id, rerated_score__isnull=True).update(
            rerated_score=score, rerated_at=now
        )
        if claimed:
            rating = recovery.alert.rating
            event_record(
                kind=EventKind.RERATED,
                channel=Channel.WEB,
                branch=recovery.alert.branch,
                customer=rating.customer if rating else None,
                appointment=rating.appointment if rating else None,
                ticket=rating.ticket if rating else None,
                at=now,
                detail={"score": score, "before": rating.score if rating else None},
            )
            events.publish(
                events.AlertChanged(
                    recovery.alert_id, recovery.alert.branch.slug, kind=recovery.alert.kind
                )
            )
    recovery.refresh_from_db()
    return recovery, bool(claimed)

"""Follow-up of low ratings: open → acknowledged → resolved, with an owner and a due time."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from booking import events
from booking.exceptions import Conflict
from booking.models import RATING_TAGS, Alert, AlertKind, AlertStatus, Rating
from booking.timeutils import resolve_now
from booking.validators import strip_control_characters

logger = logging.getLogger(__name__)


def _manager_addresses(alert: Alert) -> list[str]:
    addresses = {alert.branch.email} if alert.branch.email else set()
    addresses.update(m.email for m in alert.branch.managers.all() if m.email)
    return sorted(addresses)


def alert_raise(rating: Rating, *, now: dt.datetime | None = None) -> Alert:
    """Open an alert for a low rating (once per rating)."""
    now = resolve_now(now)
    alert, created = Alert.objects.get_or_create(
        rating=rating,
        defaults={
            "branch": rating.branch,
            "kind": AlertKind.RATING,
            # The context a manager needs to follow up: whose visit, with whom, how long.
            "ticket": rating.ticket,
            "advisor": rating.advisor,
            "wait_minutes": rating.wait_minutes,
            "due": now + dt.timedelta(hours=settings.ALERT_FOLLOW_UP_HOURS),
        },
    )
    if created:
        _changed(alert, opened=True)
    return alert


def _changed(alert: Alert, *, opened: bool = False) -> None:
    events.publish(events.AlertChanged(alert.id, alert.branch.slug, opened=opened, kind=alert.kind))


def alert_notify(alert_id: int, *, now: dt.datetime | None = None) -> bool:
    """E-mail the branch's managers about a new low rating, once."""
    now = resolve_now(now)
    # Wait alerts are for whoever is on the floor now; only low ratings are e-mailed.
    unsent = Alert.objects.filter(id=alert_id, notified_at__isnull=True, kind=AlertKind.RATING)
    if not unsent.update(notified_at=now):
        return False
    alert = Alert.objects.select_related("branch", "rating", "rating__advisor").get(id=alert_id)
    recipients = _manager_addresses(alert)
    if not recipients:
        return True
    rating = alert.rating
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Low rating (%(score)s of 5) at %(branch)s") % {
            "score": rating.score,
            "branch": alert.branch.name,
        }
        body = _(
            "A visitor rated their visit %(score)s of 5.\nReasons: %(tags)s\nComment: %(comment)s\n"
            "Advisor: %(advisor)s\nPlease follow up by %(due)s:\n%(url)s"
        ) % {
            "score": rating.score,
            "tags": ", ".join(str(RATING_TAGS.get(tag, tag)) for tag in rating.tags) or "-",
            "comment": rating.comment or "-",
            "advisor": rating.advisor.name if rating.advisor else "-",
            "due": alert.due.astimezone(alert.branch.tz).strftime("%d.%m.%Y %H:%M"),
            "url": f"{settings.SITE_URL}/manager/{alert.branch.slug}/",
        }
        try:
            send_mail(subject, body, None, recipients)
        except OSError:
            # Let a retry send it: give the claim back.
            Alert.objects.filter(id=alert_id).update(notified_at=None)
            raise
    return True


def alert_acknowledge(
    alert: Alert, *, user: AbstractBaseUser, now: dt.datetime | None = None
) -> Alert:
    """Take ownership. Acknowledging again (by anyone) changes nothing."""
    now = resolve_now(now)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(id=alert.id)
        if alert.status == AlertStatus.RESOLVED:
            raise Conflict("wrong_state", _("This alert is already resolved."))
        if alert.status == AlertStatus.OPEN:
            alert.status = AlertStatus.ACKNOWLEDGED
            alert.owner = user
            alert.acknowledged_at = now
            alert.save(update_fields=["status", "owner", "acknowledged_at"])
            _changed(alert)
    return alert


def alert_resolve(
    alert: Alert, *, user: AbstractBaseUser, note: str, now: dt.datetime | None = None
) -> Alert:
    now = resolve_now(now)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(id=alert.id)
        if alert.status == AlertStatus.RESOLVED:
            raise Conflict("wrong_state", _("This alert is already resolved."))
        alert.status = AlertStatus.RESOLVED
        alert.owner = alert.owner or user
        alert.acknowledged_at = alert.acknowledged_at or now
        alert.resolved_at = now
        alert.note = strip_control_characters(note).strip()
        alert.save(update_fields=["status", "owner", "acknowledged_at", "resolved_at", "note"])
        _changed(alert)
    return alert


def alerts_flag_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the branch's managers, once, about each follow-up past its due time."""
    now = resolve_now(now)
    flagged = 0
    overdue = Alert.objects.filter(
        ~Q(status=AlertStatus.RESOLVED),
        kind=AlertKind.RATING,
        due__lt=now,
        overdue_notified_at__isnull=True,
    ).values_list("id", flat=True)
    for alert_id in overdue:
        claimed = Alert.objects.filter(id=alert_id, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        )
        if not claimed:
            continue
        flagged += 1
        alert = Alert.objects.select_related("branch", "rating").get(id=alert_id)
        recipients = _manager_addresses(alert)
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            try:
                send_mail(
                    _("Overdue follow-up: rating %(score)s at %(branch)s")
                    % {"score": alert.rating.score, "branch": alert.branch.name},
                    _(
                        "The follow-up of a low rating was due at %(due)s "
                        "and is not resolved.\n%(url)s"
                    )
                    % {
                        "due": alert.due.astimezone(alert.branch.tz).strftime("%d.%m.%Y %H:%M"),
                        "url": f"{settings.SITE_URL}/manager/{alert.branch.slug}/",
                    },
                    None,
                    recipients,
                )
            except OSError as error:
                logger.warning("overdue alert mail for %s failed: %s", alert_id, error)
    return flagged

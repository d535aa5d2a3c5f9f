"""Visitor ratings and the alerts low ratings raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .advisor import Advisor
from .appointment import Appointment, Customer
from .branch import Branch, Service
from .queue import Ticket

LOW_SCORE = 2
# Reason tags the kiosk offers (keys are stored; labels are shown). Other tags are kept as
# sent: an offline kiosk with an older list must not lose its ratings.
RATING_TAGS = {
    "friendly": _("friendly"),
    "competent": _("competent"),
    "quick": _("quick"),
    "waiting_time": _("waiting time"),
    "information": _("information"),
    "premises": _("premises"),
}


class Rating(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("branch")
    )
    client_id = models.UUIDField(_("client id"), unique=True)
    score = models.PositiveSmallIntegerField(_("score"))
    tags = models.JSONField(_("reason tags"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The visit: its first ticket and/or its appointment. Both unique: one rating a visit.
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="rating"
    )
    appointment = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="rating"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings"
    )
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True)
    advisor = models.ForeignKey(Advisor, on_delete=models.SET_NULL, null=True, blank=True)
    wait_minutes = models.FloatField(_("waited (minutes)"), null=True, blank=True)
    # After a low rating the kiosk asks "May we contact you about this?"
    contact_ok = models.BooleanField(_("may be contacted"), null=True, blank=True)
    device = models.ForeignKey(
        "booking.KioskDevice", on_delete=models.SET_NULL, null=True, blank=True
    )
    given_at = models.DateTimeField(_("given"))
    created = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["branch", "given_at"], name="rating_branch_given")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.given_at:%Y-%m-%d %H:%M})"

    @property
    def is_low(self) -> bool:
        return self.score <= LOW_SCORE


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")


class AlertKind(models.TextChoices):
    RATING = "rating", _("low rating")
    WAIT = "wait", _("waiting past the target")


class Alert(models.Model):
    """Something a manager has to follow up by a due time: a low rating, or a visitor
    waiting past the branch's target while still there."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=AlertKind.choices, default=AlertKind.RATING
    )
    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, null=True, blank=True, related_name="alert"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="alerts")
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    advisor = models.ForeignKey(Advisor, on_delete=models.SET_NULL, null=True, blank=True)
    wait_minutes = models.FloatField(_("waited (minutes)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    due = models.DateTimeField(_("follow up by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(_("managers told"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created"]
        indexes = [models.Index(fields=["branch", "status"], name="alert_branch_status")]
        constraints = [
            # A visitor waiting past the target raises one alert, however often it is checked.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(kind=AlertKind.WAIT),
                name="alert_one_wait_per_ticket",
            ),
            models.CheckConstraint(
                condition=Q(kind=AlertKind.WAIT) | Q(rating__isnull=False),
                name="alert_rating_has_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch}: {self.get_kind_display()}"


class Recovery(models.Model):
    """Winning a customer back after a low rating: a personal message with a rebooking
    link, then a one-tap "did we put it right?" re-rating (``/r/<token>/``)."""

    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="recovery")
    token = models.CharField(max_length=64, unique=True)
    message = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent"))
    booked_appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("rebooked"), null=True, blank=True)
    rerating_sent_at = models.DateTimeField(_("re-rating asked"), null=True, blank=True)
    rerated_score = models.PositiveSmallIntegerField(_("re-rated"), null=True, blank=True)
    rerated_at = models.DateTimeField(_("re-rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rerated_score__isnull=True)
                | Q(rerated_score__gte=1) & Q(rerated_score__lte=5),
                name="recovery_rerated_score_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert}: {self.sent_at:%Y-%m-%d}"

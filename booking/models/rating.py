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


class Alert(models.Model):
    """A low rating that someone has to follow up by a due time."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="alert")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="alerts")
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

    def __str__(self) -> str:
        return f"{self.branch}: {self.rating.score}"

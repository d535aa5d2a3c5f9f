"""Advisors (counter staff), their weekly hours and absences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .branch import WEEKDAYS, Branch, Service


class AdvisorStatus(models.TextChoices):
    AVAILABLE = "available", _("available")
    BUSY = "busy", _("busy")
    PAUSED = "paused", _("paused")
    OFFLINE = "offline", _("offline")


class PauseReason(models.TextChoices):
    LUNCH = "lunch", _("lunch")
    ADMIN = "admin", _("admin work")
    TRAINING = "training", _("training")
    OTHER = "other", _("other")


class Advisor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=120)
    branches = models.ManyToManyField(Branch, related_name="advisors", verbose_name=_("branches"))
    services = models.ManyToManyField(
        Service, related_name="advisors", verbose_name=_("services offered")
    )
    location = models.CharField(
        _("room or desk"), max_length=60, blank=True, help_text=_("Shown to visitors, e.g. Room 2.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AdvisorStatus.choices, default=AdvisorStatus.OFFLINE
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=10, choices=PauseReason.choices, blank=True
    )
    # "Running late, about N minutes", told to the advisor's waiting visitors; cleared
    # when the advisor sets another status.
    late_minutes = models.PositiveSmallIntegerField(
        _("running late (minutes)"), null=True, blank=True
    )
    late_since = models.DateTimeField(_("running late since"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        advisor = super().from_db(db, field_names, values)
        # Remembered so that moving the login to someone else also ends its live access.
        advisor._loaded_user_id = advisor.__dict__.get("user_id")
        return advisor


class WorkingHours(models.Model):
    """A weekly working interval; a lunch break is the gap between two intervals."""

    advisor = models.ForeignKey(
        Advisor, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("advisor")
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, verbose_name=_("branch"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="working_hours_order"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="working_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Absence(models.Model):
    """Time an advisor is away: holiday, sickness, training, a one-off break."""

    advisor = models.ForeignKey(
        Advisor, on_delete=models.CASCADE, related_name="absences", verbose_name=_("advisor")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="absence_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor}: {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class StatusPeriod(models.Model):
    """How long an advisor spent in a status (and why, for pauses): one row per change."""

    advisor = models.ForeignKey(
        Advisor, on_delete=models.CASCADE, related_name="status_periods", verbose_name=_("advisor")
    )
    status = models.CharField(_("status"), max_length=10, choices=AdvisorStatus.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=PauseReason.choices, blank=True)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("status period")
        verbose_name_plural = _("status periods")
        ordering = ["start"]
        indexes = [models.Index(fields=["advisor", "start"], name="status_period_advisor_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="status_period_order",
            ),
            # At most one open period per advisor: a status change closes the last one.
            models.UniqueConstraint(
                fields=["advisor"],
                condition=models.Q(end__isnull=True),
                name="status_period_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisor}: {self.status} {self.start:%Y-%m-%d %H:%M}"

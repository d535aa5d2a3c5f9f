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
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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

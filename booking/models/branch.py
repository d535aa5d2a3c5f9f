"""Branches, their opening hours and closures, and the services they offer."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class LatePolicy(models.TextChoices):
    PRIORITY_WALK_IN = "priority_walk_in", _("Priority walk-in ticket for the same service")
    WALK_IN = "walk_in", _("Ordinary walk-in ticket for the same service")
    REFUSE = "refuse", _("No ticket; ask at the desk")


class Branch(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(
        _("manager e-mail"), blank=True, help_text=_("Low ratings and alerts are sent here.")
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_timezone]
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot grid (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text=_("Appointments start on this grid, counted from local midnight."),
    )
    min_lead_minutes = models.PositiveIntegerField(_("minimum lead time (minutes)"), default=60)
    horizon_days = models.PositiveIntegerField(
        _("booking horizon (days)"), default=90, validators=[MinValueValidator(1)]
    )
    checkin_early_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before start)"), default=60
    )
    late_grace_minutes = models.PositiveIntegerField(
        _("late arrivals still on time (minutes)"), default=10
    )
    late_policy = models.CharField(
        _("policy for later arrivals"),
        max_length=20,
        choices=LatePolicy.choices,
        default=LatePolicy.PRIORITY_WALK_IN,
    )
    call_ahead_minutes = models.PositiveIntegerField(
        _("appointments are due (minutes before start)"),
        default=5,
        help_text=_("'Call next' offers an appointment this long before its start."),
    )
    remote_queue = models.BooleanField(
        _("remote queue"),
        default=True,
        help_text=_(
            "Visitors may join the walk-in queue from their phone while the branch is open."
        ),
    )
    target_wait_minutes = models.PositiveIntegerField(
        _("target wait for walk-ins (minutes)"),
        default=15,
        help_text=_("A walk-in waiting longer opens an alert for the managers."),
    )
    target_start_delay_minutes = models.PositiveIntegerField(
        _("target start delay for appointments (minutes)"),
        default=5,
        help_text=_("An appointment not begun this long after its start opens an alert."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_branches",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return self.local(moment).date()

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip()) if p)


class OpeningHours(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("branch")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_order"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="opening_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Whole days a branch is closed: public holidays, works outings."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="closures", verbose_name=_("branch")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="closure_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date} {self.reason}"


prefix_validator = RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters."))


class Service(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.TextField(_("what to bring (German)"), blank=True)
    description_en = models.TextField(_("what to bring (English)"), blank=True)
    branches = models.ManyToManyField(
        Branch, related_name="services", verbose_name=_("branches"), blank=True
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    buffer_before_minutes = models.PositiveIntegerField(_("buffer before (minutes)"), default=0)
    buffer_after_minutes = models.PositiveIntegerField(_("buffer after (minutes)"), default=0)
    online_bookable = models.BooleanField(_("bookable online"), default=True)
    walk_in = models.BooleanField(_("walk-in tickets"), default=False)
    ticket_prefix = models.CharField(
        _("ticket prefix"), max_length=2, default="A", validators=[prefix_validator]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (German when no English name is set)."""
        return (
            self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name
        )

    @property
    def display_description(self) -> str:
        english = (get_language() or "").startswith("en") and self.description_en
        return self.description_en if english else self.description

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_after_minutes)

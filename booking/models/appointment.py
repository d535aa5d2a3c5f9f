"""Customers and their appointments."""

from __future__ import annotations

from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from .advisor import Advisor
from .branch import Branch, Service
from .constraints import PostgresExclusionConstraint


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, default="de")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    anonymized_at = models.DateTimeField(_("anonymized"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)


def first_name_of(name: str) -> str:
    """What the kiosk and the greeting show of a person: the first word of the name."""
    return name.split()[0] if name.strip() else ""


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    CHECKED_IN = "checked_in", _("checked in")
    SERVED = "served", _("served")
    NO_SHOW = "no_show", _("no-show")


# Appointments in these states hold their advisor's time and their check-in code.
LIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Appointment(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("branch")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("service")
    )
    advisor = models.ForeignKey(
        Advisor, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("advisor")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("customer")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The advisor's time this appointment holds: start/end widened by the service's buffers.
    occupied_from = models.DateTimeField(_("occupied from"))
    occupied_until = models.DateTimeField(_("occupied until"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    code = models.CharField(_("check-in code"), max_length=8, db_index=True)
    manage_token = models.CharField(_("manage token"), max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    channel = models.CharField(_("booked via"), max_length=10, default="web")
    # The contact details this booking's messages, manage page and greeting use. They
    # belong to the booking: a later booking with the same e-mail never changes them.
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, default="de")
    topic = models.TextField(_("what the customer wants to talk about"), max_length=500, blank=True)
    # Bumped on every change the customer's calendar must learn of (iCalendar SEQUENCE).
    revision = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["advisor", "start"], name="appointment_advisor_start"),
            models.Index(fields=["branch", "start"], name="appointment_branch_start"),
            models.Index(fields=["status", "start"], name="appointment_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="appointment_order"
            ),
            models.CheckConstraint(
                condition=Q(occupied_from__lte=models.F("start"))
                & Q(occupied_until__gte=models.F("end")),
                name="appointment_occupies_itself",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status__in=LIVE_STATUSES),
                name="appointment_live_code_unique",
            ),
            PostgresExclusionConstraint(
                name="appointment_no_double_booking",
                expressions=[
                    (
                        TsTzRange("occupied_from", "occupied_until", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("advisor", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=LIVE_STATUSES),
                violation_error_message=_("This advisor is already booked at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start:%Y-%m-%d %H:%M} {self.advisor}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def first_name(self) -> str:
        return first_name_of(self.contact_name)

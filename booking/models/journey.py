"""The customer journey: one event per touchpoint, in time order."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .appointment import Appointment, Customer
from .branch import Branch
from .queue import Ticket


class Channel(models.TextChoices):
    WEB = "web", _("web")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    KIOSK = "kiosk", _("kiosk")
    DISPLAY = "display", _("lobby screen")
    STAFF = "staff", _("staff")
    RATING = "rating", _("rating")
    SYSTEM = "system", _("system")
    PHONE = "phone", _("phone")
    DESK = "desk", _("desk")


class EventKind(models.TextChoices):
    BOOKED = "booked", _("booked")
    RESCHEDULED = "rescheduled", _("rescheduled")
    CANCELLED = "cancelled", _("cancelled")
    CONFIRMATION_SENT = "confirmation_sent", _("confirmation sent")
    REMINDER_SENT = "reminder_sent", _("reminder sent")
    CHECKED_IN = "checked_in", _("checked in")
    TICKET_ISSUED = "ticket_issued", _("ticket issued")
    CALLED = "called", _("called")
    STARTED = "started", _("started")
    FINISHED = "finished", _("finished")
    NO_SHOW = "no_show", _("no-show")
    TRANSFERRED = "transferred", _("transferred")
    RATED = "rated", _("rated")
    LEFT = "left", _("left the queue")
    TURN_SOON_SENT = "turn_soon_sent", _("told it is almost their turn")
    CALL_SENT = "call_sent", _("told where to go")
    RUNNING_LATE = "running_late", _("told the advisor runs late")
    SWITCHED = "switched", _("switched to another advisor")
    CONTACT_CHANGED = "contact_changed", _("contact details changed")
    RECOVERY_SENT = "recovery_sent", _("recovery message sent")
    RECOVERY_BOOKED = "recovery_booked", _("rebooked after a recovery message")
    RERATED = "rerated", _("re-rated")


class JourneyEvent(models.Model):
    at = models.DateTimeField(_("at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="events")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("journey event")
        verbose_name_plural = _("journey events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["customer", "at"], name="event_customer_at"),
            models.Index(fields=["branch", "kind", "at"], name="event_branch_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.channel} {self.kind}"

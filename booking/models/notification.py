"""A record of every message the system sends; its unique key makes sending idempotent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .appointment import Appointment
from .queue import Ticket


class NotificationKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("booking confirmation")
    RESCHEDULED = "rescheduled", _("reschedule confirmation")
    CANCELLED = "cancelled", _("cancellation confirmation")
    REMINDER_EMAIL = "reminder_email", _("reminder e-mail")
    REMINDER_SMS = "reminder_sms", _("reminder SMS")
    TURN_SOON = "turn_soon", _("almost your turn")
    CALLED = "called", _("please come in")
    RUNNING_LATE = "running_late", _("your advisor runs late")
    RECOVERY = "recovery", _("personal message after a low rating")
    RERATING = "rerating", _("did we put it right?")


class NotificationStatus(models.TextChoices):
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Notification(models.Model):
    # What the message is about: an appointment, or a waiting visitor's ticket.
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    # Which occurrence this is: the appointment's start for reminders and confirmations,
    # so a rescheduled appointment gets its reminders again, a retried job does not.
    key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.SENDING,
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "key"],
                condition=models.Q(appointment__isnull=False),
                name="notification_once",
            ),
            models.UniqueConstraint(
                fields=["ticket", "kind", "key"],
                condition=models.Q(ticket__isnull=False),
                name="notification_once_per_ticket",
            ),
            models.CheckConstraint(
                condition=models.Q(appointment__isnull=False) | models.Q(ticket__isnull=False),
                name="notification_is_about_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.recipient} {self.status}"

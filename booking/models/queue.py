"""Queue tickets: one per visit waiting in the branch (appointment or walk-in)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .advisor import Advisor
from .appointment import Appointment, Customer
from .branch import Branch, Service


class TicketKind(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment")
    WALK_IN = "walk_in", _("walk-in")


class Arrival(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("serving")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("no-show")
    TRANSFERRED = "transferred", _("transferred")
    LEFT = "left", _("left the queue")


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


def status_token_new() -> str:
    """The secret of a ticket's status link: 256 bits."""
    return secrets.token_urlsafe(32)


class Ticket(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("branch")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("service")
    )
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=TicketKind.choices)
    priority = models.BooleanField(_("priority"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("appointment"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("customer"),
    )
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("advisor"),
    )
    location = models.CharField(_("room or desk"), max_length=60, blank=True)
    arrival = models.CharField(_("arrival"), max_length=8, choices=Arrival.choices, blank=True)
    transferred_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name=_("transferred from"),
    )
    # A kiosk's or client's id for the request that made this ticket: a resent request
    # (a timeout, an offline kiosk) finds the ticket instead of making a second one.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)
    # The visitor's private status link (``/t/<token>/``); after a transfer the first
    # ticket's token still leads to the visit.
    status_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, default=status_token_new
    )
    channel = models.CharField(_("taken via"), max_length=10, default="kiosk")
    # The estimate shown when the ticket was issued: the promise that stats hold it to.
    promised_wait_minutes = models.PositiveIntegerField(
        _("promised wait (minutes)"), null=True, blank=True
    )
    # Contact for messages while waiting (walk-ins; appointments use their booking's).
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    # When the visitor entered the queue; a transferred ticket keeps its visitor's place.
    queued_at = models.DateTimeField(_("queued"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["queued_at", "id"]
        indexes = [
            models.Index(fields=["branch", "status", "queued_at"], name="ticket_branch_queue"),
            models.Index(fields=["branch", "day"], name="ticket_branch_day"),
            models.Index(fields=["service", "finished_at"], name="ticket_service_finished"),
            # Places in the queue: one advisor's appointments, one service's walk-ins.
            models.Index(fields=["advisor", "status"], name="ticket_advisor_status"),
            models.Index(fields=["branch", "service", "status"], name="ticket_service_queue"),
            # Call next reads the head of the queue in its order, whatever its length:
            # walk-ins priority first, then first come; due appointments nobody has.
            models.Index(
                fields=["branch", "status", "-priority", "queued_at", "id"],
                name="ticket_waiting_order",
            ),
            models.Index(
                fields=["branch"],
                condition=Q(status="waiting", kind="appointment", advisor__isnull=True),
                name="ticket_waiting_unassigned",
            ),
            # A check-in counts the booked advisor's waiting appointments. Without it
            # the count walked the branch's whole waiting queue (ticket_waiting_order)
            # when the statistics were stale, as they are on a fresh day's tickets.
            models.Index(
                fields=["advisor", "branch"],
                condition=Q(status="waiting", kind="appointment", advisor__isnull=False),
                name="ticket_waiting_with_advisor",
            ),
        ]
        constraints = [
            # A transferred ticket hands its number on to its successor.
            models.UniqueConstraint(
                fields=["branch", "day", "number"],
                condition=~Q(status=TicketStatus.TRANSFERRED),
                name="ticket_number_unique_per_branch_day",
            ),
            # One open ticket per appointment: a second check-in finds the first.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(appointment__isnull=False) & Q(transferred_from__isnull=True),
                name="ticket_one_per_appointment",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def visit_root(self) -> Ticket:
        """The first ticket of this visit (before any transfer)."""
        ticket = self
        while ticket.transferred_from_id:
            ticket = ticket.transferred_from
        return ticket


class TicketCounter(models.Model):
    """The last number handed out per branch, day and prefix."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)
    day = models.DateField()
    prefix = models.CharField(max_length=2)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "day", "prefix"], name="ticket_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.day} {self.prefix}{self.last:03d}"

"""The branch floor as clients see it: tickets, the queue, the lobby screen, ratings, alerts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from booking.models import Advisor, Alert, Branch, Channel, Rating, Ticket, first_name_of
from booking.selectors.contact import alert_contact
from booking.selectors.display import recent_calls
from booking.selectors.queue import Place, display_snapshot, queue_snapshot, ticket_place
from booking.selectors.visitor import ticket_status_url
from booking.timeutils import iso

from .fields import BranchTimeField


class AdvisorRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TicketOut(serializers.Serializer):
    """A ticket as kiosks and lobby clients see it (a first name at most).

    The fields document the answer; ``to_representation`` writes it out, because
    building fifteen field objects for every answer cost more than the rest of a kiosk
    check-in's response (a test holds both to the same keys).
    """

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    priority = serializers.BooleanField()
    arrival = serializers.CharField()
    location = serializers.CharField()
    service = serializers.CharField(source="service.slug")
    service_name = serializers.CharField(source="service.display_name")
    advisor = AdvisorRef(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)
    created = BranchTimeField(source="queued_at")
    called_at = BranchTimeField(allow_null=True)
    appointment_start = BranchTimeField(source="appointment.start", allow_null=True)
    # The visitor's private status page (the first ticket's link, also after a transfer).
    status_url = serializers.SerializerMethodField()
    promised_wait_minutes = serializers.IntegerField(allow_null=True)

    def to_representation(self, ticket: Ticket) -> dict:
        tz = ticket.branch.tz
        place = self.context.get("places", {}).get(ticket.id)
        advisor = ticket.advisor
        appointment = ticket.appointment
        return {
            "id": ticket.id,
            "number": ticket.number,
            "kind": str(ticket.kind),
            "status": str(ticket.status),
            "priority": ticket.priority,
            "arrival": str(ticket.arrival),
            "location": ticket.location,
            "service": ticket.service.slug,
            "service_name": ticket.service.display_name,
            "advisor": {"id": advisor.id, "name": advisor.name} if advisor else None,
            "position": place.position if place else None,
            "estimated_wait_minutes": place.estimated_wait_minutes if place else None,
            "created": iso(ticket.queued_at, tz),
            "called_at": iso(ticket.called_at, tz),
            "appointment_start": iso(appointment.start, tz) if appointment else None,
            "status_url": self.get_status_url(ticket),
            "promised_wait_minutes": ticket.promised_wait_minutes,
        }

    def get_status_url(self, ticket: Ticket) -> str | None:
        return ticket_status_url(ticket)


class CustomerBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VisitorBrief(serializers.Serializer):
    """The visitor's customer record, or (``id`` null) the name a walk-in gave."""

    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class StaffTicketOut(TicketOut):
    """Staff of the branch also see who the visitor is."""

    customer = VisitorBrief(allow_null=True)
    started_at = BranchTimeField(allow_null=True)
    # Joined from outside and following on their phone: maybe not in the lobby yet.
    remote = serializers.SerializerMethodField()
    # The name the visit was booked or taken under (also without a customer record).
    visitor_name = serializers.SerializerMethodField()

    def to_representation(self, ticket: Ticket) -> dict:
        data = super().to_representation(ticket)
        data["remote"] = self.get_remote(ticket)
        data["visitor_name"] = self.get_visitor_name(ticket)
        customer = ticket.customer
        if customer is not None:
            data["customer"] = {"id": customer.id, "name": visitor_name(ticket) or customer.name}
        elif ticket.contact_name:  # a walk-in who gave their name at the desk
            data["customer"] = {"id": None, "name": ticket.contact_name}
        else:
            data["customer"] = None
        data["started_at"] = iso(ticket.started_at, ticket.branch.tz)
        return data

    def get_remote(self, ticket: Ticket) -> bool:
        return ticket.channel == Channel.WEB

    def get_visitor_name(self, ticket: Ticket) -> str:
        return visitor_name(ticket)


class AdvisorStatusOut(serializers.ModelSerializer):
    class Meta:
        model = Advisor
        # Why a colleague pauses and how late they run, for the desk's "who waits for whom".
        fields = ["id", "name", "status", "location", "pause_reason", "late_minutes"]


class QueueOut(serializers.Serializer):
    waiting = StaffTicketOut(many=True)
    serving = StaffTicketOut(many=True)
    advisors = AdvisorStatusOut(many=True)


class DisplayCalledOut(serializers.Serializer):
    number = serializers.CharField()
    location = serializers.CharField()
    called_at = serializers.CharField()


class DisplayRecentOut(DisplayCalledOut):
    current = serializers.BooleanField(help_text="still waiting for the visitor")


class DisplayOut(serializers.Serializer):
    called = DisplayCalledOut(many=True)
    waiting = serializers.IntegerField()
    recent = DisplayRecentOut(many=True, help_text="the day's last calls, newest first")


class RatingOut(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    service_name = serializers.CharField(source="service.display_name", default="")
    advisor = AdvisorRef(allow_null=True)
    given_at = BranchTimeField()
    ticket = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "client_id",
            "branch",
            "score",
            "tags",
            "comment",
            "ticket",
            "service",
            "service_name",
            "advisor",
            "wait_minutes",
            "contact_ok",
            "given_at",
        ]


class AlertOut(serializers.ModelSerializer):
    """A low rating or a visitor waiting past the target, with the context to follow up."""

    kind = serializers.CharField()
    score = serializers.IntegerField(source="rating.score", allow_null=True, default=None)
    comment = serializers.CharField(source="rating.comment", default="")
    tags = serializers.ListField(source="rating.tags", child=serializers.CharField(), default=list)
    ticket = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    visitor = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()
    advisor = serializers.SerializerMethodField()
    wait_minutes = serializers.SerializerMethodField()
    contact_ok = serializers.SerializerMethodField()
    recoverable = serializers.SerializerMethodField()
    recovery = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    created = BranchTimeField()
    due = BranchTimeField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "score",
            "comment",
            "tags",
            "ticket",
            "number",
            "service_name",
            "visitor",
            "customer",
            "advisor",
            "wait_minutes",
            "contact_ok",
            "recoverable",
            "recovery",
            "created",
            "status",
            "owner",
            "due",
            "overdue",
            "note",
        ]

    def _ticket(self, alert: Alert) -> Ticket | None:
        return alert.ticket or (alert.rating.ticket if alert.rating else None)

    def get_ticket(self, alert: Alert) -> int | None:
        ticket = self._ticket(alert)
        return ticket.id if ticket else None

    def get_number(self, alert: Alert) -> str | None:
        ticket = self._ticket(alert)
        return ticket.number if ticket else None

    def get_service_name(self, alert: Alert) -> str | None:
        ticket = self._ticket(alert)
        if ticket is not None:
            return ticket.service.display_name
        service = alert.rating.service if alert.rating else None
        return service.display_name if service else None

    def get_visitor(self, alert: Alert) -> str | None:
        """A first name at most, whatever the alert is about."""
        return alert_visitor(alert)

    def get_customer(self, alert: Alert) -> int | None:
        """Whose journey the manager page links to (not a name: the page asks again)."""
        customer_id = alert.rating.customer_id if alert.rating else None
        ticket = self._ticket(alert)
        return customer_id or (ticket.customer_id if ticket else None)

    def get_advisor(self, alert: Alert) -> dict | None:
        advisor = alert.advisor or (alert.rating.advisor if alert.rating else None)
        return {"id": advisor.id, "name": advisor.name} if advisor else None

    def get_wait_minutes(self, alert: Alert) -> float | None:
        value = alert.wait_minutes
        if value is None and alert.rating is not None:
            value = alert.rating.wait_minutes
        return None if value is None else round(value, 1)

    def get_contact_ok(self, alert: Alert) -> bool:
        return bool(alert.rating and alert.rating.contact_ok)

    def get_recoverable(self, alert: Alert) -> bool:
        """Consent given and a phone or e-mail known: the manager page offers "win back"."""
        return self.get_contact_ok(alert) and alert_contact(alert) is not None

    def get_recovery(self, alert: Alert) -> dict | None:
        recovery = getattr(alert, "recovery", None)
        if recovery is None:
            return None
        tz = alert.branch.tz
        return {
            "sent_at": iso(recovery.sent_at, tz),
            "booked": recovery.booked_appointment_id is not None,
            "rerated_score": recovery.rerated_score,
        }

    def get_owner(self, alert: Alert) -> str | None:
        if alert.owner is None:
            return None
        return alert.owner.get_full_name() or alert.owner.get_username()

    def get_overdue(self, alert: Alert) -> bool:
        return alert.status != "resolved" and alert.due < timezone.now()


ALERT_RELATED = (
    "branch",
    "owner",
    "advisor",
    "recovery",
    "ticket__service",
    "ticket__appointment",
    "ticket__customer",
    "rating__ticket__service",
    "rating__ticket__appointment",
    "rating__ticket__customer",
    "rating__appointment",
    "rating__customer",
    "rating__advisor",
    "rating__service",
)


def alert_visitor(alert: Alert) -> str | None:
    """The visitor's first name: the booking's contact, else the ticket's, else the customer's."""
    rating = alert.rating
    ticket = alert.ticket or (rating.ticket if rating else None)
    appointment = (rating.appointment if rating else None) or (
        ticket.appointment if ticket else None
    )
    customer = (rating.customer if rating else None) or (ticket.customer if ticket else None)
    for name in (
        appointment.contact_name if appointment else "",
        ticket.contact_name if ticket else "",
        customer.name if customer else "",
    ):
        if name and name.strip():
            return first_name_of(name)
    return None


def visitor_name(ticket: Ticket) -> str:
    """The name the visit was booked or taken under (never another booking's)."""
    if ticket.appointment_id:
        return ticket.appointment.contact_name
    return ticket.contact_name


def ticket_payload(
    ticket: Ticket, now: dt.datetime, *, staff: bool = False, place: Place | None = None
) -> dict:
    """A ticket's answer; ``place`` spares the count when the caller knows it."""
    place = place or ticket_place(ticket, now)
    serializer = StaffTicketOut if staff else TicketOut
    return serializer(ticket, context={"places": {ticket.id: place} if place else {}}).data


def queue_payload(branch: Branch, now: dt.datetime) -> dict:
    snapshot = queue_snapshot(branch, now)
    context = {"places": snapshot.places}
    return {
        "waiting": StaffTicketOut(snapshot.waiting, many=True, context=context).data,
        "serving": StaffTicketOut(snapshot.serving, many=True, context=context).data,
        "advisors": AdvisorStatusOut(snapshot.advisors, many=True).data,
    }


def display_payload(branch: Branch, now: dt.datetime) -> dict:
    snapshot = display_snapshot(branch, now)
    tz = branch.tz
    return {
        "called": [
            {
                "number": row["number"],
                "location": row["location"],
                "called_at": iso(row["called_at"], tz),
            }
            for row in snapshot["called"]
        ],
        "waiting": snapshot["waiting"],
        "recent": [
            {
                "number": row["number"],
                "location": row["location"],
                "called_at": iso(row["called_at"], tz),
                "current": row["current"],
            }
            for row in recent_calls(branch, now)
        ],
    }


def rating_payload(rating: Rating) -> dict:
    return RatingOut(rating).data


def alert_payload(alert: Alert) -> dict:
    return AlertOut(alert).data

"""The branch floor as clients see it: tickets, the queue, the lobby screen, ratings, alerts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from booking.models import Advisor, Alert, Branch, Channel, Rating, Ticket
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
    called_at = BranchTimeField()
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


class StaffTicketOut(TicketOut):
    """Staff of the branch also see who the visitor is."""

    customer = CustomerBrief(allow_null=True)
    started_at = BranchTimeField()
    # Joined from outside and following on their phone: maybe not in the lobby yet.
    remote = serializers.SerializerMethodField()
    # The name the visit was booked or taken under (also without a customer record).
    visitor_name = serializers.SerializerMethodField()

    def to_representation(self, ticket: Ticket) -> dict:
        data = super().to_representation(ticket)
        data["remote"] = self.get_remote(ticket)
        data["visitor_name"] = self.get_visitor_name(ticket)
        customer = ticket.customer
        data["customer"] = (
            {"id": customer.id, "name": visitor_name(ticket) or customer.name} if customer else None
        )
        data["started_at"] = iso(ticket.started_at, ticket.branch.tz)
        return data

    def get_remote(self, ticket: Ticket) -> bool:
        return ticket.channel == Channel.WEB

    def get_visitor_name(self, ticket: Ticket) -> str:
        return visitor_name(ticket)


class AdvisorStatusOut(serializers.ModelSerializer):
    class Meta:
        model = Advisor
        fields = ["id", "name", "status", "location"]


class QueueOut(serializers.Serializer):
    waiting = StaffTicketOut(many=True)
    serving = StaffTicketOut(many=True)
    advisors = AdvisorStatusOut(many=True)


class DisplayCalledOut(serializers.Serializer):
    number = serializers.CharField()
    location = serializers.CharField()
    called_at = serializers.CharField()


class DisplayOut(serializers.Serializer):
    called = DisplayCalledOut(many=True)
    waiting = serializers.IntegerField()


class RatingOut(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_name = serializers.CharField(source="service.display_name", default="")
    advisor = AdvisorRef(allow_null=True)
    given_at = BranchTimeField()
    ticket = serializers.PrimaryKeyRelatedField(read_only=True)

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
            "given_at",
        ]


class AlertOut(serializers.ModelSerializer):
    score = serializers.IntegerField(source="rating.score")
    comment = serializers.CharField(source="rating.comment")
    tags = serializers.ListField(source="rating.tags", child=serializers.CharField())
    owner = serializers.SerializerMethodField()
    created = BranchTimeField()
    due = BranchTimeField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "score",
            "comment",
            "tags",
            "created",
            "status",
            "owner",
            "due",
            "overdue",
            "note",
        ]

    def get_owner(self, alert: Alert) -> str | None:
        if alert.owner is None:
            return None
        return alert.owner.get_full_name() or alert.owner.get_username()

    def get_overdue(self, alert: Alert) -> bool:
        return alert.status != "resolved" and alert.due < timezone.now()


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
    }


def rating_payload(rating: Rating) -> dict:
    return RatingOut(rating).data


def alert_payload(alert: Alert) -> dict:
    return AlertOut(alert).data

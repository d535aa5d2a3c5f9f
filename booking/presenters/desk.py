"""The desk's view of bookings, and an advisor's own status and feedback."""

from __future__ import annotations

from rest_framework import serializers

from booking.models import Advisor, Appointment
from booking.services.codes import format_code
from booking.timeutils import iso

from .fields import BranchTimeField
from .floor import AdvisorRef


class DeskCustomerOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class DeskTicketOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()


class DeskAppointmentOut(serializers.Serializer):
    """A booking as staff of its branch see it at the desk (the booking's own contact)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    code_display = serializers.CharField(help_text="the code as printed, e.g. ABCD-EFGH")
    status = serializers.CharField()
    start = BranchTimeField()
    end = BranchTimeField()
    service = serializers.CharField()
    service_name = serializers.CharField()
    advisor = AdvisorRef()
    location = serializers.CharField()
    customer = DeskCustomerOut()
    language = serializers.CharField()
    topic = serializers.CharField()
    channel = serializers.CharField()
    ticket = DeskTicketOut(allow_null=True)

    def to_representation(self, appointment: Appointment) -> dict:
        tz = appointment.branch.tz
        tickets = getattr(appointment, "visit_tickets", None)
        if tickets is None:
            tickets = list(appointment.tickets.order_by("-id")[:1])
        ticket = tickets[0] if tickets else None
        return {
            "id": appointment.id,
            "code": appointment.code,
            "code_display": format_code(appointment.code),
            "status": appointment.status,
            "start": iso(appointment.start, tz),
            "end": iso(appointment.end, tz),
            "service": appointment.service.slug,
            "service_name": appointment.service.display_name,
            "advisor": {"id": appointment.advisor.id, "name": appointment.advisor.name},
            "location": appointment.advisor.location,
            "customer": {
                "id": appointment.customer_id,
                "name": appointment.contact_name,
                "email": appointment.contact_email,
                "phone": appointment.contact_phone,
            },
            "language": appointment.language,
            "topic": appointment.topic,
            "channel": appointment.channel,
            "ticket": (
                {"id": ticket.id, "number": ticket.number, "status": ticket.status}
                if ticket
                else None
            ),
        }


class MyStatusOut(serializers.ModelSerializer):
    """An advisor's own status, with why they pause and how late they run."""

    late_since = serializers.SerializerMethodField()

    class Meta:
        model = Advisor
        fields = ["id", "name", "status", "location", "pause_reason", "late_minutes", "late_since"]

    def get_late_since(self, advisor: Advisor) -> str | None:
        branch = advisor.branches.first()
        return iso(advisor.late_since, branch.tz) if branch and advisor.late_since else None


class OwnRatingOut(serializers.Serializer):
    """One of the advisor's own ratings; the comment only of a visit they served."""

    id = serializers.IntegerField()
    score = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField(allow_null=True)
    given_at = BranchTimeField()
    date = serializers.DateField()
    service = serializers.CharField(allow_null=True)
    service_name = serializers.CharField()
    served_by_me = serializers.BooleanField()

    def to_representation(self, rating) -> dict:
        tz = rating.branch.tz
        served = bool(getattr(rating, "served_by_me", False))
        return {
            "id": rating.id,
            "score": rating.score,
            "tags": list(rating.tags or []),
            "comment": (rating.comment or "") if served else None,
            "given_at": iso(rating.given_at, tz),
            "date": rating.given_at.astimezone(tz).date().isoformat(),
            "service": rating.service.slug if rating.service else None,
            "service_name": rating.service.display_name if rating.service else "",
            "served_by_me": served,
        }


class WeekMeanOut(serializers.Serializer):
    week = serializers.CharField(help_text="ISO week, e.g. 2026-W48")
    start = serializers.DateField(help_text="its Monday")
    count = serializers.IntegerField()
    avg = serializers.FloatField()

"""Request and response shapes of the public API (see DESIGN.md, "API contract")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from booking.models import (
    Advisor,
    AdvisorStatus,
    Appointment,
    Branch,
    OpeningHours,
    PauseReason,
    Service,
)
from booking.presenters.fields import BranchTimeField, WallClockField
from booking.presenters.floor import AdvisorRef, CustomerBrief, TicketOut
from booking.presenters.recovery import WithinTargetOut
from booking.services.advisors import MAX_LATE_MINUTES
from booking.services.documents import manage_url
from booking.validators import phone_validator, refuse_control_characters

from .fields import DayField, RequestDateTimeField

LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English")]


class OpeningHoursOut(serializers.ModelSerializer):
    opens = WallClockField()
    closes = WallClockField()

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class BranchOut(serializers.ModelSerializer):
    opening_hours = OpeningHoursOut(many=True)

    class Meta:
        model = Branch
        fields = [
            "slug",
            "name",
            "address",
            "street",
            "postal_code",
            "city",
            "phone",
            "timezone",
            "opening_hours",
        ]


class ServiceOut(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    duration = serializers.IntegerField(source="duration_minutes")

    class Meta:
        model = Service
        fields = ["slug", "name", "description", "duration", "online_bookable", "walk_in"]


class CustomerRef(serializers.Serializer):
    first_name = serializers.CharField()


class AppointmentOut(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_name = serializers.CharField(source="service.display_name")
    branch_name = serializers.CharField(source="branch.name")
    advisor = AdvisorRef()
    location = serializers.CharField(source="advisor.location")
    customer = CustomerRef(source="*")
    start = BranchTimeField()
    end = BranchTimeField()
    manage_url = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "code",
            "manage_token",
            "branch",
            "branch_name",
            "service",
            "service_name",
            "advisor",
            "location",
            "start",
            "end",
            "status",
            "customer",
            "topic",
            "manage_url",
        ]

    def get_manage_url(self, appointment: Appointment) -> str:
        return manage_url(appointment)


class CustomerIn(serializers.Serializer):
    name = serializers.CharField(max_length=150, validators=[refuse_control_characters])
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", validators=[phone_validator]
    )
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class BookingIn(serializers.Serializer):
    branch = serializers.SlugRelatedField(
        slug_field="slug", queryset=Branch.objects.filter(active=True)
    )
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    start = RequestDateTimeField()
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.filter(active=True), required=False, allow_null=True
    )
    customer = CustomerIn()
    # Checked for length once control characters are gone (booking.services.appointments).
    topic = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, trim_whitespace=False
    )


class AppointmentChangeIn(serializers.Serializer):
    """A new time (optionally with an advisor), a new mobile number, or both."""

    start = RequestDateTimeField(required=False)
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.filter(active=True), required=False, allow_null=True
    )
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, validators=[phone_validator]
    )

    def validate(self, attrs):
        if "start" not in attrs and "phone" not in attrs:
            raise serializers.ValidationError(_("Give a new start time or a phone number."))
        if "advisor" in attrs and "start" not in attrs:
            raise serializers.ValidationError(
                {"start": [_("A new advisor needs the start time too.")]}
            )
        return attrs


class AvailabilityQuery(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    to = DayField(required=False)
    advisor = serializers.IntegerField(required=False, min_value=1)

    MAX_DAYS = 62

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        return {"from": DayField(required=False), **super().get_fields()}

    def validate(self, attrs):
        # Without "from": the branch's today (the view knows the branch and the clock).
        attrs.setdefault("from", self.context["today"])
        attrs.setdefault("to", attrs["from"])
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": _("'to' must not be before 'from'.")})
        if (attrs["to"] - attrs["from"]).days >= self.MAX_DAYS:
            raise serializers.ValidationError(
                {"to": _("Ask for at most %(days)s days at once.") % {"days": self.MAX_DAYS}}
            )
        return attrs


class SlotOut(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()
    advisors = serializers.ListField(child=serializers.IntegerField())


class AvailabilityOut(serializers.Serializer):
    branch = serializers.CharField()
    service = serializers.CharField()
    timezone = serializers.CharField()
    advisors = AdvisorRef(many=True)
    slots = SlotOut(many=True)


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


# --- branch floor ------------------------------------------------------------------------


class KioskBranchOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class KioskServiceOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="display_name")


class KioskOut(serializers.Serializer):
    branch = KioskBranchOut()
    mode = serializers.CharField()
    walk_in_services = KioskServiceOut(many=True)
    languages = serializers.ListField(child=serializers.CharField())
    device = serializers.CharField()
    rating_tags = serializers.ListField(child=serializers.DictField())
    speech = serializers.BooleanField(help_text="read each screen aloud (espeak-ng)")


class CheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    # An offline kiosk delivers its check-ins later: its id for the check-in and when the
    # visitor was there (up to 24 hours old).
    client_id = serializers.UUIDField(required=False)
    checked_in_at = RequestDateTimeField(required=False)


class CheckInOut(serializers.Serializer):
    ticket = TicketOut()
    first_name = serializers.CharField()
    advisor = AdvisorRef(allow_null=True)
    location = serializers.CharField()
    start = serializers.CharField()
    arrival = serializers.CharField()
    message = serializers.CharField()
    repeated = serializers.BooleanField()
    language = serializers.CharField(help_text="the language the customer booked in")


class WalkInIn(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    # The same id again (a timeout, then a retry) answers 200 with the same ticket.
    client_id = serializers.UUIDField(required=False)


class RatingIn(serializers.Serializer):
    ticket = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    code = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64)
    score = serializers.IntegerField(min_value=1, max_value=5)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10, default=list
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    client_id = serializers.UUIDField()
    given_at = RequestDateTimeField(required=False)
    # The answer to "May we contact you about this?" (asked after a 1 or 2).
    contact_ok = serializers.BooleanField(required=False, allow_null=True, default=None)


class AlertResolveIn(serializers.Serializer):
    note = serializers.CharField(max_length=4000, allow_blank=True)


class TransferIn(serializers.Serializer):
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.filter(active=True), required=False, allow_null=True
    )
    service = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Service.objects.filter(active=True),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs):
        if not attrs.get("advisor") and not attrs.get("service"):
            raise serializers.ValidationError(_("Name an advisor or a service to transfer to."))
        return attrs


class AdvisorStatusIn(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*AdvisorStatus.choices, ("running_late", _("running late"))]
    )
    reason = serializers.ChoiceField(
        choices=PauseReason.choices, required=False, allow_blank=True, help_text="for paused"
    )
    minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_LATE_MINUTES, required=False, help_text="for running_late"
    )


class StatsQuery(serializers.Serializer):
    date = DayField(required=False)


class TicketCountsOut(serializers.Serializer):
    total = serializers.IntegerField()
    served = serializers.IntegerField()
    no_show = serializers.IntegerField()
    walk_in = serializers.IntegerField()
    appointment = serializers.IntegerField()
    waiting = serializers.IntegerField()


class WaitOut(serializers.Serializer):
    avg = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class ServiceMinutesOut(serializers.Serializer):
    avg = serializers.FloatField(allow_null=True)


class RatingSummaryOut(serializers.Serializer):
    count = serializers.IntegerField()
    avg = serializers.FloatField(allow_null=True)
    histogram = serializers.DictField(child=serializers.IntegerField())


class AdvisorPausesOut(serializers.Serializer):
    advisor = AdvisorRef()
    minutes = serializers.DictField(child=serializers.FloatField(), help_text="by reason")
    total = serializers.FloatField()


class PromisesOut(serializers.Serializer):
    kept = serializers.IntegerField(help_text="called within the promised wait + 5 min")
    broken = serializers.IntegerField(help_text="called later, or gave up after that")


class StatsOut(serializers.Serializer):
    date = serializers.DateField()
    tickets = TicketCountsOut()
    wait_minutes = WaitOut()
    service_minutes = ServiceMinutesOut()
    ratings = RatingSummaryOut()
    within_target = WithinTargetOut()
    pauses = serializers.DictField(
        child=serializers.FloatField(), help_text="paused minutes of the day by reason"
    )
    pauses_by_advisor = AdvisorPausesOut(many=True)
    promises = PromisesOut()
    estimate_error_minutes = serializers.FloatField(
        allow_null=True, help_text="mean absolute error of the promised waits, last 7 days"
    )
    estimate_error_visits = serializers.IntegerField()
    estimate_error_days = serializers.IntegerField()


# --- analytics ----------------------------------------------------------------------------


class FunnelStepOut(serializers.Serializer):
    step = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class FunnelOut(serializers.Serializer):
    steps = FunnelStepOut(many=True)
    cancelled = serializers.IntegerField()
    no_show = serializers.IntegerField()
    cancellation_rate = serializers.FloatField()
    no_show_rate = serializers.FloatField()


class SatisfactionRowOut(serializers.Serializer):
    key = serializers.CharField()
    count = serializers.IntegerField()
    avg_score = serializers.FloatField()
    avg_wait_minutes = serializers.FloatField(allow_null=True)


class SatisfactionOut(serializers.Serializer):
    by = serializers.CharField()
    rows = SatisfactionRowOut(many=True)
    won_back = serializers.IntegerField()
    recoveries = serializers.DictField(child=serializers.IntegerField())


class JourneyEventOut(serializers.Serializer):
    """One touchpoint, at the local time of the branch where it happened."""

    at = BranchTimeField()
    channel = serializers.CharField()
    kind = serializers.CharField()
    branch = serializers.CharField(source="branch.slug")
    appointment = serializers.IntegerField(source="appointment_id", allow_null=True)
    ticket = serializers.IntegerField(source="ticket_id", allow_null=True)
    detail = serializers.DictField()


class JourneyOut(serializers.Serializer):
    customer = CustomerBrief()
    events = JourneyEventOut(many=True)


class ErasedOut(serializers.Serializer):
    id = serializers.IntegerField()
    anonymized_at = serializers.CharField()


class VisitOut(serializers.Serializer):
    date = serializers.DateField()
    service = serializers.CharField()
    advisor = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    topic = serializers.CharField()


class VisitHistoryOut(serializers.Serializer):
    topic = serializers.CharField(help_text="what the visitor wants to talk about")
    visits = VisitOut(many=True)

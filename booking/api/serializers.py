"""Request and response shapes of the public API (see DESIGN.md, "API contract")."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from booking.models import Advisor, Appointment, Branch, OpeningHours, Service
from booking.services.documents import manage_url

from .fields import BranchTimeField, RequestDateTimeField

phone_validator = RegexValidator(
    r"^\+?[0-9 ()/\-]{6,24}$", _("Enter a phone number of digits, e.g. +49 30 1234567.")
)
LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English")]


class OpeningHoursOut(serializers.ModelSerializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")

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


class AdvisorRef(serializers.ModelSerializer):
    class Meta:
        model = Advisor
        fields = ["id", "name"]


class CustomerRef(serializers.Serializer):
    first_name = serializers.CharField()


class AppointmentOut(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_name = serializers.CharField(source="service.display_name")
    branch_name = serializers.CharField(source="branch.name")
    advisor = AdvisorRef()
    location = serializers.CharField(source="advisor.location")
    customer = CustomerRef()
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
            "manage_url",
        ]

    def get_manage_url(self, appointment: Appointment) -> str:
        return manage_url(appointment)


class CustomerIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
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


class RescheduleIn(serializers.Serializer):
    start = RequestDateTimeField()
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.filter(active=True), required=False, allow_null=True
    )


class AvailabilityQuery(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    to = serializers.DateField(required=False)
    advisor = serializers.IntegerField(required=False, min_value=1)

    MAX_DAYS = 62

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        return {"from": serializers.DateField(), **super().get_fields()}

    def validate(self, attrs):
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

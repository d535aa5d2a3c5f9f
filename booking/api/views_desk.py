"""The desk and the advisor: the day's bookings, check-in and walk-ins at the desk,
bookings on behalf of a caller, and an advisor's own feedback."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from booking.models import Advisor, Appointment, Channel, Service
from booking.presenters import floor as p
from booking.presenters.checkin import checkin_payload
from booking.presenters.desk import DeskAppointmentOut, OwnRatingOut, WeekMeanOut
from booking.selectors.access import staff_branches
from booking.selectors.advisors import own_mean, own_ratings, weekly_means
from booking.selectors.desk import day_appointments
from booking.services.appointments import appointment_book
from booking.services.checkin import checkin_perform
from booking.services.queue import walk_in_take
from booking.validators import refuse_control_characters

from . import serializers as s
from .permissions import acting_advisor, staff_branch
from .views_public import customer_data
from .views_staff import StaffView


class DayQuery(serializers.Serializer):
    date = serializers.DateField(required=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)


class StaffBookingIn(s.BookingIn):
    """The public booking's body; the branch comes from the path, plus how it came in."""

    branch = serializers.SlugField(required=False)
    channel = serializers.ChoiceField(choices=[Channel.PHONE, Channel.DESK])


class BranchAppointmentsView(StaffView, generics.ListAPIView):
    """``GET``: the branch's appointments of a day; ``POST``: book on behalf of a caller
    or a visitor at the desk."""

    serializer_class = DeskAppointmentOut

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="local day, default today"),
            OpenApiParameter("search", str, description="name, e-mail, phone or code"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        branch = staff_branch(self.request, self.kwargs["branch"])
        query = DayQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or branch.local_date(timezone.now())
        return day_appointments(branch, day, query.validated_data.get("search", ""))

    @extend_schema(
        request=StaffBookingIn,
        responses={201: s.AppointmentOut, 409: OpenApiResponse(description="the slot is gone")},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request, branch: str):
        branch_obj = staff_branch(request, branch)
        data = StaffBookingIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("branch", branch_obj.slug) != branch_obj.slug:
            raise serializers.ValidationError(
                {"branch": [_("Book at the branch of the address, or leave this out.")]}
            )
        appointment, created = appointment_book(
            branch=branch_obj,
            service=values["service"],
            start=values["start"],
            advisor=values.get("advisor"),
            customer=customer_data(values),
            channel=values["channel"],
            idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100] or None,
            topic=values["topic"],
        )
        response = Response(s.AppointmentOut(appointment).data, status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class AppointmentCheckInView(StaffView):
    """The desk checks a visitor in, exactly as the kiosk would (channel ``staff``)."""

    @extend_schema(
        request=None,
        responses={
            200: s.CheckInOut,
            404: OpenApiResponse(description="no such booking at your branches"),
            409: OpenApiResponse(description="cancelled, other day, too early, served"),
        },
    )
    def post(self, request, appointment_id: int):
        appointment = get_object_or_404(
            Appointment.objects.select_related("branch"),
            id=appointment_id,
            branch__in=staff_branches(request.user),
        )
        result = checkin_perform(
            branch=appointment.branch,
            channel=Channel.STAFF,
            appointment_id=appointment.id,
            detail={"by": request.user.get_username()},
        )
        return Response(checkin_payload(result, timezone.now(), staff=True))


class DeskTicketIn(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=150,
        validators=[refuse_control_characters],
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        validators=[s.phone_validator],
    )
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.filter(active=True), required=False, allow_null=True
    )


class DeskTicketView(StaffView):
    """A walk-in ticket for a visitor at the desk, optionally for one advisor."""

    @extend_schema(
        request=DeskTicketIn,
        responses={
            201: p.StaffTicketOut,
            409: OpenApiResponse(description="nobody offers the service now"),
        },
    )
    def post(self, request, branch: str):
        branch_obj = staff_branch(request, branch)
        data = DeskTicketIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ticket = walk_in_take(
            branch=branch_obj,
            service=values["service"],
            channel=Channel.DESK,
            advisor=values.get("advisor"),
            name=values["name"],
            phone=values["phone"],
        )
        return Response(
            p.ticket_payload(ticket, timezone.now(), staff=True), status=status.HTTP_201_CREATED
        )


class WeeksQuery(serializers.Serializer):
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=104, default=12)


class MyRatingsOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OwnRatingOut(many=True)
    advisor = p.AdvisorRef()
    avg = serializers.FloatField(allow_null=True)
    weeks = WeekMeanOut(many=True)


class MyRatingsView(StaffView):
    """The calling advisor's own ratings (a page of them) and their mean by week."""

    @extend_schema(
        parameters=[
            OpenApiParameter("weeks", int, description="weeks of means (default 12)"),
            OpenApiParameter("page", int),
        ],
        responses=MyRatingsOut,
    )
    def get(self, request):
        query = WeeksQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        advisor = acting_advisor(request)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(own_ratings(advisor), request, view=self)
        response = paginator.get_paginated_response(OwnRatingOut(page, many=True).data)
        response.data["advisor"] = {"id": advisor.id, "name": advisor.name}
        response.data["avg"] = own_mean(advisor)
        response.data["weeks"] = weekly_means(
            advisor, weeks=query.validated_data["weeks"], now=timezone.now()
        )
        return response

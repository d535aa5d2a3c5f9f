"""Public API: branches, services, free slots, booking and the manage link."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.exceptions import Invalid
from booking.models import Appointment, Branch, Channel
from booking.selectors.availability import availability_offer
from booking.services.appointments import (
    CustomerData,
    appointment_book,
    appointment_cancel,
    appointment_change_phone,
    appointment_reschedule,
)
from booking.services.documents import appointment_ics, qr_png
from booking.timeutils import resolve_now

from . import serializers as s
from .throttles import BookingThrottle, LoginThrottle, PublicReadThrottle


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [PublicReadThrottle]


class ManageLinkView(PublicView):
    """Answers about one booking carry its code and secret link: no cache keeps them."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def branch_or_404(slug: str) -> Branch:
    return get_object_or_404(Branch, slug=slug, active=True)


def appointment_or_404(token: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("branch", "service", "advisor", "customer"),
        manage_token=token,
    )


class BranchListView(PublicView, generics.ListAPIView):
    serializer_class = s.BranchOut
    queryset = Branch.objects.filter(active=True).prefetch_related("opening_hours")


class ServiceListView(PublicView, generics.ListAPIView):
    serializer_class = s.ServiceOut

    def get_queryset(self):
        return branch_or_404(self.kwargs["branch"]).services.filter(active=True)


class AvailabilityView(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter("service", str, required=True),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="first local day (default: today)"
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last local day (default: from)"),
            OpenApiParameter("advisor", int),
        ],
        responses=s.AvailabilityOut,
    )
    def get(self, request, branch: str):
        branch_obj = branch_or_404(branch)
        now = resolve_now(None)
        query = s.AvailabilityQuery(
            data=request.query_params, context={"today": branch_obj.local_date(now)}
        )
        query.is_valid(raise_exception=True)
        service = query.validated_data["service"]
        offer = availability_offer(
            branch=branch_obj,
            service=service,
            first=query.validated_data["from"],
            last=query.validated_data["to"],
            now=now,
            advisor_id=query.validated_data.get("advisor"),
        )
        return Response(
            {
                "branch": branch_obj.slug,
                "service": service.slug,
                "timezone": branch_obj.timezone,
                "advisors": [{"id": id_, "name": name} for id_, name in offer.advisors],
                "slots": offer.slots,
            }
        )


def customer_data(validated: dict) -> CustomerData:
    customer = validated["customer"]
    language = customer.get("language") or (get_language() or "de")[:2]
    return CustomerData(
        name=customer["name"],
        email=customer["email"],
        phone=customer.get("phone", ""),
        language=language if language in ("de", "en") else "de",
    )


class AppointmentCreateView(ManageLinkView):
    throttle_classes = [BookingThrottle]

    @extend_schema(
        request=s.BookingIn,
        responses={201: s.AppointmentOut},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        data = s.BookingIn(data=request.data)
        data.is_valid(raise_exception=True)
        appointment, created = appointment_book(
            branch=data.validated_data["branch"],
            service=data.validated_data["service"],
            start=data.validated_data["start"],
            advisor=data.validated_data.get("advisor"),
            customer=customer_data(data.validated_data),
            channel=Channel.WEB,
            idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100] or None,
            topic=data.validated_data["topic"],
        )
        response = Response(s.AppointmentOut(appointment).data, status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


class AppointmentDetailView(ManageLinkView):
    @extend_schema(responses=s.AppointmentOut)
    def get(self, request, token: str):
        return Response(s.AppointmentOut(appointment_or_404(token)).data)

    @extend_schema(request=s.AppointmentChangeIn, responses=s.AppointmentOut)
    def patch(self, request, token: str):
        appointment = appointment_or_404(token)
        data = s.AppointmentChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "start" in values:
            appointment = appointment_reschedule(
                appointment=appointment, start=values["start"], advisor=values.get("advisor")
            )
        if "phone" in values:
            appointment_change_phone(appointment=appointment, phone=values["phone"])
        return Response(s.AppointmentOut(appointment_or_404(token)).data)


class AppointmentCancelView(ManageLinkView):
    @extend_schema(request=None, responses=s.AppointmentOut)
    def post(self, request, token: str):
        appointment_cancel(appointment=appointment_or_404(token))
        return Response(s.AppointmentOut(appointment_or_404(token)).data)


class AppointmentQRView(ManageLinkView):
    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request, token: str):
        appointment = appointment_or_404(token)
        response = HttpResponse(qr_png(appointment.code), content_type="image/png")
        return response


class AppointmentCalendarView(ManageLinkView):
    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request, token: str):
        appointment = appointment_or_404(token)
        response = HttpResponse(
            appointment_ics(appointment), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
        return response


class TokenLoginView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [LoginThrottle]

    @extend_schema(request=s.TokenIn, responses=s.TokenOut)
    def post(self, request):
        data = s.TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise Invalid("wrong_credentials", _("Wrong username or password."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

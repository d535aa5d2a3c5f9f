"""Kiosk API (``Authorization: Device <token>``): device settings, check-in, tickets, ratings."""

from __future__ import annotations

from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.models import RATING_TAGS, DeviceMode, KioskDevice
from booking.presenters import floor as p
from booking.presenters.checkin import checkin_payload
from booking.selectors.catalog import walk_in_services
from booking.services.checkin import checkin_at_kiosk
from booking.services.queue import walk_in_take
from booking.services.ratings import rating_submit
from booking.services.resends import walk_in_take_once

from . import serializers as s
from .authentication import DeviceAuthentication
from .permissions import IsKioskDevice, require_mode


class KioskView(APIView):
    authentication_classes = [DeviceAuthentication]
    permission_classes = [IsKioskDevice]

    @property
    def device(self) -> KioskDevice:
        return self.request.auth

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Without Accept-Language the kiosk speaks its configured language.
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(self.device.language)
            request.LANGUAGE_CODE = self.device.language


class KioskInfoView(KioskView):
    @extend_schema(responses=s.KioskOut)
    def get(self, request):
        branch = self.device.branch
        services = walk_in_services(branch).order_by("name")
        answer = {
            "branch": branch,
            "mode": self.device.mode,
            "device": self.device.name,
            "walk_in_services": services,
            "languages": ["de", "en"],
            "rating_tags": [{"key": k, "label": str(v)} for k, v in RATING_TAGS.items()],
            "speech": self.device.speech,
        }
        return Response(s.KioskOut(answer).data)


class CheckInView(KioskView):
    @extend_schema(
        request=s.CheckInIn,
        responses={
            200: s.CheckInOut,
            404: OpenApiResponse(description="unknown code"),
            409: OpenApiResponse(description="cancelled, other day, other branch, too early"),
            429: OpenApiResponse(description="too many wrong codes from this kiosk"),
        },
    )
    def post(self, request):
        require_mode(self.device, DeviceMode.CHECKIN)
        data = s.CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = checkin_at_kiosk(
            device=self.device,
            code=values["code"],
            arrived_at=values.get("checked_in_at"),
            client_id=values.get("client_id"),
        )
        return Response(checkin_payload(result, timezone.now()))


class WalkInView(KioskView):
    @extend_schema(
        request=s.WalkInIn,
        responses={
            201: p.TicketOut,
            200: OpenApiResponse(p.TicketOut, description="the same client_id again"),
        },
    )
    def post(self, request):
        require_mode(self.device, DeviceMode.CHECKIN)
        data = s.WalkInIn(data=request.data)
        data.is_valid(raise_exception=True)
        branch, service = self.device.branch, data.validated_data["service"]
        client_id = data.validated_data.get("client_id")
        if client_id is None:
            ticket, created = walk_in_take(branch=branch, service=service), True
        else:
            ticket, created = walk_in_take_once(branch=branch, service=service, client_id=client_id)
        return Response(
            p.ticket_payload(ticket, timezone.now()),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RatingView(KioskView):
    @extend_schema(
        request=s.RatingIn,
        responses={
            201: p.RatingOut,
            200: p.RatingOut,
            404: OpenApiResponse(description="unknown code or ticket number"),
            409: OpenApiResponse(description="this visit was rated already"),
            429: OpenApiResponse(description="too many wrong codes from this kiosk"),
        },
    )
    def post(self, request):
        require_mode(self.device, DeviceMode.SURVEY)
        data = s.RatingIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rating, created = rating_submit(
            device=self.device,
            client_id=values["client_id"],
            score=values["score"],
            tags=values.get("tags"),
            comment=values.get("comment", ""),
            ticket_id=values.get("ticket"),
            code=values.get("code"),
            given_at=values.get("given_at"),
            contact_ok=values.get("contact_ok"),
        )
        return Response(
            p.RatingOut(rating).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

"""The visitor's phone: the status link's API, leaving and switching, joining remotely.

All public: the status token is the visitor's key, as the manage token is a booking's.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from booking.exceptions import NotFound
from booking.models import Branch, Service
from booking.presenters import floor as p
from booking.presenters.visitor import TicketStatusOut, status_payload
from booking.selectors.visitor import Visit, visit_by_token
from booking.services.visitor import queue_join, ticket_leave, ticket_switch

from .serializers import LANGUAGE_CHOICES, phone_validator
from .throttles import BookingThrottle
from .views_public import PublicView


def visit_or_404(token: str) -> Visit:
    visit = visit_by_token(token)
    if visit is None:
        raise NotFound(
            "not_found", _("This link is not known. Please check it or ask at the desk.")
        )
    return visit


def _no_store(response: Response) -> Response:
    # The answer is one visitor's, fetched with their secret link.
    response["Cache-Control"] = "no-store"
    return response


def _status(token: str) -> Response:
    """The visit's status now (after a switch, its new ticket's)."""
    return _no_store(Response(status_payload(visit_or_404(token), timezone.now())))


class TicketStatusView(PublicView):
    @extend_schema(
        responses={200: TicketStatusOut, 404: OpenApiResponse(description="unknown link")}
    )
    def get(self, request, token: str):
        return _status(token)


class TicketVisitActionView(PublicView):
    """``POST .../status/{status_token}/leave/`` and ``.../switch/``: answer the status."""

    throttle_classes = [BookingThrottle]
    action_name = ""
    actions = {"leave": ticket_leave, "switch": ticket_switch}

    @extend_schema(
        request=None,
        responses={
            200: TicketStatusOut,
            404: OpenApiResponse(description="unknown link"),
            409: OpenApiResponse(
                description="not waiting (called, served, gone); for a switch also: the "
                "advisor is on time or no colleague offers the service"
            ),
        },
    )
    def post(self, request, token: str):
        self.actions[self.action_name](visit=visit_or_404(token))
        return _status(token)


def request_language() -> str:
    language = (get_language() or "de")[:2]
    return language if language in ("de", "en") else "de"


class QueueJoinIn(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.filter(active=True)
    )
    name = serializers.CharField(max_length=150)
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", validators=[phone_validator]
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    client_id = serializers.UUIDField(required=False, allow_null=True)


class QueueJoinView(PublicView):
    throttle_classes = [BookingThrottle]

    @extend_schema(
        request=QueueJoinIn,
        responses={
            201: p.TicketOut,
            200: OpenApiResponse(p.TicketOut, description="the same client_id again"),
            409: OpenApiResponse(description="remote queue off, or nobody offers the service"),
        },
    )
    def post(self, request, branch: str):
        branch_obj = get_object_or_404(Branch, slug=branch, active=True)
        data = QueueJoinIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ticket, created = queue_join(
            branch=branch_obj,
            service=values["service"],
            name=values["name"],
            phone=values["phone"],
            email=values["email"],
            language=values.get("language") or request_language(),
            client_id=values.get("client_id"),
        )
        return _no_store(
            Response(
                p.ticket_payload(ticket, timezone.now()),
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )
        )

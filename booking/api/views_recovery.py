"""Service levels and recovery: win a customer back; journeys as they really ran."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from booking.models import Alert
from booking.presenters import floor as p
from booking.presenters.recovery import PathsOut
from booking.selectors.paths import SEGMENTS, journey_paths
from booking.services.recovery import recovery_send

from .views_analytics import PERIOD_PARAMETERS, period_of
from .views_staff import StaffView, managed_alert


class RecoverIn(serializers.Serializer):
    message = serializers.CharField(max_length=1000)


class RecoverView(StaffView):
    """A personal message with a rebooking link, to a visitor who agreed to be contacted."""

    @extend_schema(
        request=RecoverIn,
        responses={
            201: p.AlertOut,
            200: p.AlertOut,
            409: OpenApiResponse(description="no consent, no contact, or already sent"),
        },
    )
    def post(self, request, alert_id: int):
        alert = managed_alert(request, alert_id)
        data = RecoverIn(data=request.data)
        data.is_valid(raise_exception=True)
        _recovery, created = recovery_send(
            alert=alert, user=request.user, message=data.validated_data["message"]
        )
        alert = Alert.objects.select_related(*p.ALERT_RELATED).get(id=alert.id)
        return Response(
            p.alert_payload(alert),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PathsQuery(serializers.Serializer):
    segment = serializers.ChoiceField(choices=SEGMENTS, required=False)


class PathsView(StaffView):
    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("segment", str, enum=list(SEGMENTS))],
        responses=PathsOut,
    )
    def get(self, request, branch: str):
        period, _values = period_of(request, branch)
        query = PathsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paths = journey_paths(period, segment=query.validated_data.get("segment"))
        return Response(PathsOut(paths).data)

"""The kiosk's offline manifest (``GET /api/v1/kiosk/manifest/?date=``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from booking.models import DeviceMode
from booking.presenters.kiosk import ManifestOut, manifest_payload
from booking.selectors.manifest import manifest_appointments

from .permissions import require_mode
from .views_kiosk import KioskView

# A kiosk keeps today's and tomorrow's manifest; yesterday covers a request that
# crossed midnight. Other days are nobody's business at the entrance.
DAYS_AROUND_TODAY = 1


class ManifestIn(serializers.Serializer):
    date = serializers.DateField(required=False)

    def validate_date(self, day: dt.date) -> dt.date:
        today = self.context["today"]
        if abs((day - today).days) > DAYS_AROUND_TODAY:
            raise serializers.ValidationError(
                _("A kiosk can load the bookings of yesterday, today and tomorrow only.")
            )
        return day


class ManifestView(KioskView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", str, description="YYYY-MM-DD; default: today in the branch's time zone"
            )
        ],
        responses=ManifestOut,
    )
    def get(self, request):
        require_mode(self.device, DeviceMode.CHECKIN)
        branch = self.device.branch
        today = branch.local_date(timezone.now())
        data = ManifestIn(data=request.query_params, context={"today": today})
        data.is_valid(raise_exception=True)
        day = data.validated_data.get("date", today)
        return Response(manifest_payload(self.device, day, manifest_appointments(branch, day)))

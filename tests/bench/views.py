"""The baseline of the floor benchmark: the least a check-in-like write can do."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.models import Appointment


class BaselineView(APIView):
    """One ``select_for_update`` of a row by its indexed code, one update, a tiny answer."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []

    def post(self, request):
        with transaction.atomic():
            row = Appointment.objects.select_for_update().only("id").get(code=request.data["code"])
            Appointment.objects.filter(id=row.id).update(checked_in_at=timezone.now())
        return Response({"ok": True})

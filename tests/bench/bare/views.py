"""The least each measured request can do, written the plain way."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import AppointmentRow


class Healthz(APIView):
    """A DRF GET without a database: the floor of any request."""

    def get(self, request):
        return Response({"ok": True})


class LockedUpdate(APIView):
    """One ``select_for_update`` of a row by its indexed code, one update, a tiny answer."""

    def post(self, request):
        with transaction.atomic():
            rows = AppointmentRow.objects.select_for_update().only("id")
            row = rows.get(code=request.data["code"])
            AppointmentRow.objects.filter(id=row.id).update(checked_in_at=timezone.now())
        return Response({"ok": True})

"""The day's live bookings of a branch, for a kiosk's offline manifest."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from booking.models import LIVE_STATUSES, Appointment, Branch
from booking.timeutils import local_midnight


def manifest_appointments(branch: Branch, day: dt.date) -> QuerySet[Appointment]:
    """Live bookings starting on the branch's local ``day``, in start order."""
    start = local_midnight(day, branch.tz)
    end = local_midnight(day + dt.timedelta(days=1), branch.tz)
    return (
        Appointment.objects.filter(
            branch=branch, status__in=LIVE_STATUSES, start__gte=start, start__lt=end
        )
        .select_related("advisor")
        .only("code", "contact_name", "language", "start", "advisor__name", "advisor__location")
        .order_by("start", "id")
    )

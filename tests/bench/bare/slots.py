"""Free slots the plain way: an ORM view that reads the hours and the bookings and walks
the slot grid, as a developer would write it without caches or tricks.

The baseline of ``bench_availability``: it answers the same rules as the project (working
hours minus closures and absences, bookings widened by the service's buffers, the lead
time and horizon, the branch's grid from local midnight) with the same slots. The rows
are read through the ORM as they come (aware datetimes); the walk compares seconds since
the epoch. The grid steps in real time, which is the branch's wall clock on every day
without a clock change (the benchmark's days).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import (
    AbsenceRow,
    AdvisorRow,
    AppointmentRow,
    BranchRow,
    ClosureRow,
    ServiceRow,
    WorkingHoursRow,
)

LIVE = ("booked", "checked_in")


def seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def joined(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Working intervals that touch (9-12 and 12-17) are one stretch."""
    result: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


class Slots(APIView):
    def get(self, request, branch: str):
        branch = get_object_or_404(BranchRow, slug=branch, active=True)
        service = get_object_or_404(ServiceRow, slug=request.query_params["service"], active=True)
        first = dt.date.fromisoformat(request.query_params["from"])
        last = dt.date.fromisoformat(request.query_params["to"])
        tz = ZoneInfo(branch.timezone)
        now = timezone.now()
        range_start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
        range_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        duration = service.duration_minutes * 60
        before = service.buffer_before_minutes * 60
        after = service.buffer_after_minutes * 60
        step = branch.slot_minutes * 60
        earliest = max(seconds(now) + branch.min_lead_minutes * 60, seconds(range_start))
        latest = min(seconds(now + dt.timedelta(days=branch.horizon_days)), seconds(range_end) - 1)

        advisors = list(
            AdvisorRow.objects.filter(active=True, branches=branch, services=service)
            .order_by("id")
            .values("id", "name")
        )
        advisor_ids = [a["id"] for a in advisors]
        closed = set()
        for closure in ClosureRow.objects.filter(
            branch=branch, start_date__lte=last, end_date__gte=first
        ):
            closed.update(days_between(closure.start_date, closure.end_date))
        hours = defaultdict(list)
        for row in WorkingHoursRow.objects.filter(branch=branch, advisor_id__in=advisor_ids):
            hours[(row.advisor_id, row.weekday)].append((row.start, row.end))
        absences = defaultdict(list)
        for row in AbsenceRow.objects.filter(
            advisor_id__in=advisor_ids, start__lt=range_end, end__gt=range_start
        ):
            absences[row.advisor_id].append((seconds(row.start), seconds(row.end)))
        # Each booking is filed under the local days its occupied time touches.
        busy = defaultdict(list)
        margin = dt.timedelta(seconds=duration + before + after, days=1)
        for advisor_id, start, end in AppointmentRow.objects.filter(
            advisor_id__in=advisor_ids,
            status__in=LIVE,
            occupied_from__lt=range_end + margin,
            occupied_until__gt=range_start - margin,
        ).values_list("advisor_id", "occupied_from", "occupied_until"):
            for day in {start.astimezone(tz).date(), end.astimezone(tz).date()}:
                busy[(advisor_id, day)].append((seconds(start), seconds(end)))

        found = defaultdict(list)
        for day in days_between(first, last):
            if day in closed:
                continue
            midnight = seconds(dt.datetime.combine(day, dt.time(0), tzinfo=tz))
            for advisor_id in advisor_ids:
                intervals = joined(
                    [
                        (
                            seconds(dt.datetime.combine(day, start, tzinfo=tz)),
                            seconds(dt.datetime.combine(day, end, tzinfo=tz)),
                        )
                        for start, end in hours.get((advisor_id, day.weekday()), [])
                    ]
                )
                taken = busy.get((advisor_id, day), [])
                away = absences.get(advisor_id, [])
                for work_start, work_end in intervals:
                    slot = midnight - ((midnight - work_start) // step) * step
                    while slot + duration <= work_end:
                        if (
                            earliest <= slot <= latest
                            and not overlaps(slot, slot + duration, away)
                            and not overlaps(slot - before, slot + duration + after, taken)
                        ):
                            found[slot].append(advisor_id)
                        slot += step

        slots = [
            {
                "start": dt.datetime.fromtimestamp(start, tz).isoformat(timespec="seconds"),
                "end": dt.datetime.fromtimestamp(start + duration, tz).isoformat(
                    timespec="seconds"
                ),
                "advisors": sorted(ids),
            }
            for start, ids in sorted(found.items())
        ]
        offered = {a for slot in slots for a in slot["advisors"]}
        return Response(
            {
                "branch": branch.slug,
                "service": service.slug,
                "timezone": branch.timezone,
                "advisors": [a for a in advisors if a["id"] in offered],
                "slots": slots,
            }
        )

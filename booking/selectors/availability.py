"""Load what the slot engine needs for a branch, service and range of local days."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from booking.models import (
    LIVE_STATUSES,
    Absence,
    Advisor,
    Appointment,
    Branch,
    Closure,
    Service,
    WorkingHours,
)
from booking.services.availability import (
    AdvisorSchedule,
    SlotRequest,
    WorkInterval,
    free_slots,
    subtract,
)
from booking.timeutils import at_local, daterange, epoch, from_epoch, iso, local_midnight

from .availability_cache import versions
from .dbfunctions import Epoch

# Hours change rarely and every change bumps their version; the lifetime bounds how long
# an entry nobody asks for again stays, and how long a process with a cache of its own
# (no REDIS_URL) misses a change made by another process.
HOURS_SECONDS = 5 * 60
# Part of every key: a release that changes what is cached never reads an older release's.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    advisors: list[int]


def bookable_window(branch: Branch, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Earliest and latest start a customer may book now."""
    return (
        now + dt.timedelta(minutes=branch.min_lead_minutes),
        now + dt.timedelta(days=branch.horizon_days),
    )


def _closed_days(branch: Branch, first: dt.date, last: dt.date) -> set[dt.date]:
    closed: set[dt.date] = set()
    rows = Closure.objects.filter(branch=branch, start_date__lte=last, end_date__gte=first)
    for start, end in rows.values_list("start_date", "end_date"):
        closed.update(daterange(max(start, first), min(end, last)))
    return closed


def _work_intervals(
    branch: Branch, advisor_ids: list[int], first: dt.date, last: dt.date
) -> dict[int, list[WorkInterval]]:
    tz = branch.tz
    closed = _closed_days(branch, first, last)
    weekly: dict[int, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    rows = WorkingHours.objects.filter(branch=branch, advisor_id__in=advisor_ids)
    for advisor_id, weekday, start, end in rows.values_list(
        "advisor_id", "weekday", "start", "end"
    ):
        weekly[weekday].append((advisor_id, start, end))
    work: dict[int, list[WorkInterval]] = defaultdict(list)
    for day in daterange(first, last):
        if day in closed:
            continue
        # Advisors mostly share their hours: each distinct interval of a day is placed once.
        placed: dict[tuple[dt.time, dt.time], WorkInterval] = {}
        for advisor_id, start, end in weekly.get(day.weekday(), ()):
            interval = placed.get((start, end))
            if interval is None:
                begins = epoch(at_local(day, start, tz))
                seconds_into_day = start.hour * 3600 + start.minute * 60 + start.second
                interval = placed[(start, end)] = WorkInterval(
                    begins, epoch(at_local(day, end, tz)), begins - seconds_into_day
                )
            work[advisor_id].append(interval)
    return {advisor_id: _joined(intervals) for advisor_id, intervals in work.items()}


def _joined(intervals: list[WorkInterval]) -> list[WorkInterval]:
    """Touching intervals (9-12 and 12-17) are one stretch: a slot may span the seam."""
    joined: list[WorkInterval] = []
    for interval in sorted(intervals, key=lambda i: i.start):
        last = joined[-1] if joined else None
        if last and interval.start <= last.end and interval.grid_origin == last.grid_origin:
            joined[-1] = WorkInterval(last.start, max(last.end, interval.end), last.grid_origin)
        else:
            joined.append(interval)
    return joined


def _without_absences(
    work: dict[int, list[WorkInterval]], range_start: dt.datetime, range_end: dt.datetime
) -> None:
    absences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = Absence.objects.filter(
        advisor_id__in=list(work), start__lt=range_end, end__gt=range_start
    ).values_list("advisor_id", Epoch("start"), Epoch("end"))
    for advisor_id, start, end in rows:
        absences[advisor_id].append((start, end))
    for advisor_id, holes in absences.items():
        if advisor_id not in work:
            continue
        pieces: list[WorkInterval] = []
        for interval in work[advisor_id]:
            for start, end in subtract([(interval.start, interval.end)], holes):
                pieces.append(WorkInterval(start, end, interval.grid_origin))
        work[advisor_id] = pieces


def _busy(
    advisor_ids: list[int],
    range_start: dt.datetime,
    range_end: dt.datetime,
    exclude_appointment_id: int | None,
) -> dict[int, list[tuple[int, int]]]:
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if not advisor_ids:
        return busy
    rows = Appointment.objects.filter(
        advisor_id__in=advisor_ids,
        status__in=LIVE_STATUSES,
        occupied_from__lt=range_end,
        occupied_until__gt=range_start,
    ).order_by()
    if exclude_appointment_id is not None:
        rows = rows.exclude(id=exclude_appointment_id)
    rows = rows.values_list("advisor_id", Epoch("occupied_from"), Epoch("occupied_until"))
    # Thousands of rows of three integers: a plain cursor skips the ORM's per-row converters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for advisor_id, start, end in cursor.fetchall():
            busy[advisor_id].append((start, end))
    return busy


def _busy_margin(service: Service) -> dt.timedelta:
    """Buffers reach beyond the range's edges, so busy time is read a little wider."""
    return dt.timedelta(
        minutes=service.duration_minutes
        + service.buffer_before_minutes
        + service.buffer_after_minutes
        + 24 * 60
    )


def _bookable_advisors(branch: Branch, service: Service, advisor_id: int | None):
    advisors = Advisor.objects.filter(active=True, branches=branch, services=service)
    return advisors if advisor_id is None else advisors.filter(id=advisor_id)


def _slot_request(branch: Branch, service: Service, earliest: int, latest: int) -> SlotRequest:
    return SlotRequest(
        duration=service.duration_minutes * 60,
        buffer_before=service.buffer_before_minutes * 60,
        buffer_after=service.buffer_after_minutes * 60,
        step=branch.slot_minutes * 60,
        earliest=earliest,
        latest=latest,
    )


def slot_inputs(
    *,
    branch: Branch,
    service: Service,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    advisor_id: int | None = None,
    exclude_appointment_id: int | None = None,
    include_bookings: bool = True,
) -> tuple[list[AdvisorSchedule], SlotRequest] | None:
    """Everything the slot engine needs, read from the database (None: nobody to book)."""
    tz = branch.tz
    advisor_ids = list(_bookable_advisors(branch, service, advisor_id).values_list("id", flat=True))
    if not advisor_ids or last < first:
        return None
    range_start = local_midnight(first, tz)
    range_end = local_midnight(last + dt.timedelta(days=1), tz)
    earliest, latest = bookable_window(branch, now)
    work = _work_intervals(branch, advisor_ids, first, last)
    _without_absences(work, range_start, range_end)
    margin = _busy_margin(service)
    busy = (
        _busy(list(work), range_start - margin, range_end + margin, exclude_appointment_id)
        if include_bookings
        else {}
    )
    request = _slot_request(
        branch,
        service,
        earliest=max(epoch(earliest), epoch(range_start)),
        latest=min(epoch(latest), epoch(range_end) - 1),
    )
    schedules = [
        AdvisorSchedule(advisor_id, intervals, busy.get(advisor_id, []))
        for advisor_id, intervals in work.items()
    ]
    return schedules, request


def available_slots(
    *,
    branch: Branch,
    service: Service,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    advisor_id: int | None = None,
    exclude_appointment_id: int | None = None,
    include_bookings: bool = True,
) -> list[Slot]:
    """Free slots on local days ``first``..``last`` at ``branch`` for ``service``.

    ``include_bookings=False`` answers which slots exist at all (hours, absences, closures).
    """
    inputs = slot_inputs(
        branch=branch,
        service=service,
        first=first,
        last=last,
        now=now,
        advisor_id=advisor_id,
        exclude_appointment_id=exclude_appointment_id,
        include_bookings=include_bookings,
    )
    if inputs is None:
        return []
    schedules, request = inputs
    tz = branch.tz
    return [
        Slot(
            start=from_epoch(start, tz), end=from_epoch(start + request.duration, tz), advisors=ids
        )
        for start, ids in free_slots(schedules, request)
    ]


def free_advisors_at(
    *,
    branch: Branch,
    service: Service,
    start: dt.datetime,
    now: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> list[int]:
    """Advisors who could take an appointment starting exactly at ``start``."""
    day = branch.local_date(start)
    for slot in available_slots(
        branch=branch,
        service=service,
        first=day,
        last=day,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    ):
        if slot.start == start:
            return slot.advisors
    return []


@dataclass(frozen=True)
class Hours:
    """Who can be booked when over a range, bookings aside: the weekly hours of the
    advisors offering the service, expanded to days, without closures and absences.

    ``labels`` holds the local ISO time of every grid start and its end, written once
    when the hours are expanded; ``names`` the advisors' names, by name.
    """

    work: dict[int, list[WorkInterval]]
    labels: dict[int, str]
    names: list[tuple[int, str]]


@dataclass(frozen=True)
class Offer:
    """Free slots as the API serves them (``start``, ``end``, ``advisors``), and the
    ``(id, name)`` of the advisors they offer."""

    slots: list[dict]
    advisors: list[tuple[int, str]]


@dataclass(frozen=True)
class _Answer:
    starts: list[int]
    offer: Offer


def _labels(work: dict[int, list[WorkInterval]], duration: int, step: int, tz) -> dict[int, str]:
    moments: set[int] = set()
    for interval in {interval for intervals in work.values() for interval in intervals}:
        start = interval.start + (interval.grid_origin - interval.start) % step
        while start + duration <= interval.end:
            moments.update((start, start + duration))
            start += step
    return {moment: iso(from_epoch(moment, tz), tz) for moment in moments}


def _hours_fresh(
    branch: Branch, service: Service, first: dt.date, last: dt.date, advisor_id: int | None
) -> Hours:
    tz = branch.tz
    advisors = _bookable_advisors(branch, service, advisor_id)
    names = list(advisors.order_by("name", "id").values_list("id", "name"))
    work = _work_intervals(branch, [advisor for advisor, _name in names], first, last)
    _without_absences(work, local_midnight(first, tz), local_midnight(last + dt.timedelta(1), tz))
    labels = _labels(work, service.duration_minutes * 60, branch.slot_minutes * 60, tz)
    return Hours(work=work, labels=labels, names=names)


def _key(kind: str, branch: Branch, service: Service, *parts: object) -> str:
    # The branch's and the service's own rules are part of the key, so an answer is never
    # served for rules other than those just read.
    rules = (
        branch.timezone,
        branch.slot_minutes,
        service.duration_minutes,
        service.buffer_before_minutes,
        service.buffer_after_minutes,
    )
    parts = ("availability", CACHE_FORMAT, kind, branch.id, service.id, *rules, *parts)
    return ":".join(str(part) for part in parts)


def _answer_fresh(
    branch: Branch, service: Service, first: dt.date, last: dt.date, hours: Hours
) -> _Answer:
    tz = branch.tz
    range_start = local_midnight(first, tz)
    range_end = local_midnight(last + dt.timedelta(days=1), tz)
    margin = _busy_margin(service)
    busy = _busy(list(hours.work), range_start - margin, range_end + margin, None)
    request = _slot_request(
        branch, service, earliest=epoch(range_start), latest=epoch(range_end) - 1
    )
    duration = request.duration
    found = free_slots(
        [
            AdvisorSchedule(advisor_id, intervals, busy.get(advisor_id, []))
            for advisor_id, intervals in hours.work.items()
        ],
        request,
    )
    labels = hours.labels

    def label(moment: int) -> str:
        return labels.get(moment) or iso(from_epoch(moment, tz), tz)

    slots = [
        {"start": label(start), "end": label(start + duration), "advisors": ids}
        for start, ids in found
    ]
    offered = {advisor for _start, ids in found for advisor in ids}
    advisors = [name for name in hours.names if name[0] in offered]
    return _Answer([start for start, _ids in found], Offer(slots, advisors))


def availability_offer(
    *,
    branch: Branch,
    service: Service,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    advisor_id: int | None = None,
) -> Offer:
    """Free slots on local days ``first``..``last``, as ``available_slots`` finds them,
    ready to serve.

    The expanded hours are cached under the hours version, the whole answer for
    ``AVAILABILITY_CACHE_SECONDS`` under the hours and the branch's bookings versions
    (see ``availability_cache``); the answer does not depend on the clock, which only
    cuts it to the bookable window here.
    """
    hours_version, bookings_version = versions(branch.id)
    scope = (first, last, advisor_id or "all")
    answer_key = _key("answer", branch, service, *scope, hours_version, bookings_version)
    seconds = settings.AVAILABILITY_CACHE_SECONDS
    answer = cache.get(answer_key) if seconds else None
    if answer is None:
        hours_key = _key("hours", branch, service, *scope, hours_version)
        hours = cache.get(hours_key)
        if hours is None:
            hours = _hours_fresh(branch, service, first, last, advisor_id)
            cache.set(hours_key, hours, HOURS_SECONDS)
        answer = _answer_fresh(branch, service, first, last, hours)
        if seconds:
            cache.set(answer_key, answer, seconds)
    earliest, latest = bookable_window(branch, now)
    low = bisect_left(answer.starts, epoch(earliest))
    high = bisect_right(answer.starts, epoch(latest))
    if low == 0 and high == len(answer.starts):
        return answer.offer
    slots = answer.offer.slots[low:high]
    offered = {advisor for slot in slots for advisor in slot["advisors"]}
    return Offer(slots, [name for name in answer.offer.advisors if name[0] in offered])

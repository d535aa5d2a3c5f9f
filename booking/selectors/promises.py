"""Promises kept: was the wait shown at the kiosk (or on the phone) the wait it became?

A visit's promise is the estimate its first ticket was issued with. It is kept when the
visitor was called within the promise plus ``GRACE``, and broken when they were called
later, or gave up (left, or never came) after that time had passed. Visits still
waiting, or gone sooner, have not decided it yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from booking.models import Branch, Ticket, TicketStatus

GRACE = dt.timedelta(minutes=5)
ERROR_DAYS = 7


@dataclass(frozen=True)
class _Visit:
    day: dt.date
    queued_at: dt.datetime
    promised: int
    first_call: dt.datetime | None
    gave_up_at: dt.datetime | None


def _visits(branch: Branch, first: dt.date, last: dt.date) -> list[_Visit]:
    """Visits of those days with a promise: a visit is its number on its day."""
    rows = Ticket.objects.filter(branch=branch, day__gte=first, day__lte=last).values_list(
        "day",
        "number",
        "transferred_from_id",
        "queued_at",
        "promised_wait_minutes",
        "called_at",
        "status",
        "finished_at",
    )
    roots: dict[tuple[dt.date, str], tuple[dt.datetime, int | None]] = {}
    calls: dict[tuple[dt.date, str], dt.datetime] = {}
    gave_up: dict[tuple[dt.date, str], dt.datetime] = {}
    for day, number, parent, queued_at, promised, called_at, status, finished_at in rows:
        key = (day, number)
        if parent is None:
            roots[key] = (queued_at, promised)
        if called_at is not None and (key not in calls or called_at < calls[key]):
            calls[key] = called_at
        if status in (TicketStatus.LEFT, TicketStatus.NO_SHOW) and finished_at is not None:
            gave_up[key] = finished_at
    return [
        _Visit(key[0], queued_at, promised, calls.get(key), gave_up.get(key))
        for key, (queued_at, promised) in roots.items()
        if promised is not None
    ]


def _kept(visit: _Visit) -> bool | None:
    due = visit.queued_at + dt.timedelta(minutes=visit.promised) + GRACE
    if visit.first_call is not None:
        return visit.first_call <= due
    if visit.gave_up_at is not None and visit.gave_up_at > due:
        return False
    return None


def promise_figures(branch: Branch, day: dt.date) -> dict:
    """The day's promises kept and broken, and the estimator's mean absolute error in
    minutes over the ``ERROR_DAYS`` days up to that day (called visits only)."""
    visits = _visits(branch, day - dt.timedelta(days=ERROR_DAYS - 1), day)
    verdicts = [_kept(visit) for visit in visits if visit.day == day]
    errors = [
        abs((visit.first_call - visit.queued_at).total_seconds() / 60 - visit.promised)
        for visit in visits
        if visit.first_call is not None
    ]
    return {
        "promises": {
            "kept": sum(1 for verdict in verdicts if verdict is True),
            "broken": sum(1 for verdict in verdicts if verdict is False),
        },
        "estimate_error_minutes": round(sum(errors) / len(errors), 1) if errors else None,
        "estimate_error_visits": len(errors),
        "estimate_error_days": ERROR_DAYS,
    }

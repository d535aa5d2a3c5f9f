"""Service levels as managers read them: the share of visitors served within target,
reason tags counted, and customers won back after a low rating."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    When,
)
from django.db.models.functions import Coalesce

from booking.models import LOW_SCORE, Branch, Recovery, Ticket, TicketKind
from booking.timeutils import resolve_now

from .analytics import Period


def _first_call():
    """When the visit was first called: its first ticket's call, or (transferred before
    being called) its successor's. A join, not a subquery per ticket: a quarter of a busy
    branch has thousands of visits."""
    return Coalesce(F("called_at"), F("transferred_to__called_at"))


def _deadline(branch: Branch):
    """A walk-in's target from joining the queue; an appointment's from its start."""
    wait = dt.timedelta(minutes=branch.target_wait_minutes)
    delay = dt.timedelta(minutes=branch.target_start_delay_minutes)
    return Case(
        When(
            kind=TicketKind.APPOINTMENT,
            appointment__isnull=False,
            then=ExpressionWrapper(F("appointment__start") + delay, output_field=DateTimeField()),
        ),
        default=ExpressionWrapper(F("queued_at") + wait, output_field=DateTimeField()),
        output_field=DateTimeField(),
    )


def within_target_by_day(
    branch: Branch, first: dt.date, last: dt.date, *, now: dt.datetime | None = None
) -> list[dict]:
    """Per day: visits that were called or are past their target, and how many were called
    in time. A visitor still waiting within the target counts neither way yet."""
    now = resolve_now(now)
    rows = (
        Ticket.objects.filter(
            branch=branch, day__gte=first, day__lte=last, transferred_from__isnull=True
        )
        .annotate(first_call=_first_call(), deadline=_deadline(branch))
        .values("day")
        .annotate(
            visits=Count("id", filter=Q(first_call__isnull=False) | Q(deadline__lt=now)),
            within=Count("id", filter=Q(first_call__lte=F("deadline"))),
        )
        .order_by("day")
    )
    return [
        {
            "key": row["day"].isoformat(),
            "visits": row["visits"],
            "within": row["within"],
            "share": round(row["within"] / row["visits"], 3) if row["visits"] else None,
        }
        for row in rows
    ]


def within_target_day(branch: Branch, day: dt.date, *, now: dt.datetime | None = None) -> dict:
    rows = within_target_by_day(branch, day, day, now=now)
    if rows:
        row = rows[0]
        return {"visits": row["visits"], "within": row["within"], "share": row["share"]}
    return {"visits": 0, "within": 0, "share": None}


def recoveries_summary(period: Period) -> dict:
    """Recoveries whose message went out in the period, and those re-rated 4-5 after a 1-2."""
    recoveries = Recovery.objects.filter(
        alert__branch=period.branch, sent_at__gte=period.start, sent_at__lt=period.end
    )
    figures = recoveries.aggregate(
        sent=Count("id"),
        rebooked=Count("id", filter=Q(booked_appointment__isnull=False)),
        rerated=Count("id", filter=Q(rerated_score__isnull=False)),
        won_back=Count("id", filter=Q(rerated_score__gte=4, alert__rating__score__lte=LOW_SCORE)),
    )
    return figures

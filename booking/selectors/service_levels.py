"""Service levels as managers read them: the share of visitors served within target,
reason tags counted, and customers won back after a low rating."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

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

from booking.models import LOW_SCORE, Branch, Rating, Recovery, Ticket, TicketKind
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


def tag_counts(period: Period) -> list[dict]:
    """Reason tags of the period's ratings, most frequent first (a rating counts once per tag).

    Counted in Python over the tags column only: JSON arrays unnest differently on each
    database, and a quarter of a busy branch is a few thousand short lists.
    """
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0])
    rows = Rating.objects.filter(
        branch=period.branch, given_at__gte=period.start, given_at__lt=period.end
    ).exclude(tags=[])
    for tags, score, wait in rows.values_list("tags", "score", "wait_minutes"):
        for tag in set(tags or []):
            entry = totals[str(tag)]
            entry[0] += 1
            entry[1] += score
            if wait is not None:
                entry[2] += wait
                entry[3] += 1
    ordered = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
    return [
        {
            "key": tag,
            "count": count,
            "avg_score": round(score_sum / count, 2),
            "avg_wait_minutes": round(wait_sum / waits, 1) if waits else None,
        }
        for tag, (count, score_sum, wait_sum, waits) in ordered
    ]


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

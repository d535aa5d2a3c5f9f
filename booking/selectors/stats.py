"""Daily figures of a branch."""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Avg, Count

from booking.models import Branch, Rating, Ticket, TicketStatus
from booking.timeutils import local_midnight

from .promises import promise_figures
from .queue import day_service_minutes


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p90 of [1..10] is 9)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def branch_day_stats(branch: Branch, day: dt.date) -> dict:
    tickets = Ticket.objects.filter(branch=branch, day=day)
    # A visit is its first ticket; transfers add rows but not visitors.
    visits = tickets.filter(transferred_from__isnull=True)
    final = tickets.exclude(status=TicketStatus.TRANSFERRED)
    waits: list[float] = []
    first_calls: dict[str, dt.datetime] = {}
    for number, called_at in tickets.filter(called_at__isnull=False).values_list(
        "number", "called_at"
    ):
        if number not in first_calls or called_at < first_calls[number]:
            first_calls[number] = called_at
    for number, queued_at in visits.values_list("number", "queued_at"):
        if number in first_calls:
            waits.append(max(0.0, (first_calls[number] - queued_at).total_seconds() / 60))
    start = local_midnight(day, branch.tz)
    ratings = Rating.objects.filter(
        branch=branch,
        given_at__gte=start,
        given_at__lt=local_midnight(day + dt.timedelta(days=1), branch.tz),
    )
    histogram = {str(score): 0 for score in range(1, 6)}
    histogram.update(
        {str(score): n for score, n in ratings.values_list("score").annotate(n=Count("id"))}
    )
    return {
        "date": day.isoformat(),
        "tickets": {
            "total": visits.count(),
            "served": final.filter(status=TicketStatus.DONE).count(),
            "no_show": final.filter(status=TicketStatus.NO_SHOW).count(),
            # A late arrival queues as a walk-in but came for an appointment.
            "walk_in": visits.filter(appointment__isnull=True).count(),
            "appointment": visits.filter(appointment__isnull=False).count(),
            "waiting": final.filter(status=TicketStatus.WAITING).count(),
        },
        "wait_minutes": {
            "avg": _round(sum(waits) / len(waits)) if waits else None,
            "p90": _round(percentile(waits, 0.9)),
            "max": _round(max(waits)) if waits else None,
        },
        "service_minutes": {"avg": _round(day_service_minutes(branch, day))},
        "ratings": {
            "count": sum(histogram.values()),
            "avg": _round(ratings.aggregate(avg=Avg("score"))["avg"]),
            "histogram": histogram,
        },
        # Promised waits kept, and how far the estimates were off (the visitor's phone).
        **promise_figures(branch, day),
    }

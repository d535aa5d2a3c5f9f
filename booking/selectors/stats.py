"""Daily figures of a branch."""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Avg, Count, Q

from booking.models import (
    AdvisorStatus,
    Branch,
    PauseReason,
    Rating,
    StatusPeriod,
    Ticket,
    TicketStatus,
)
from booking.timeutils import local_midnight, resolve_now

from .promises import promise_figures
from .queue import day_service_minutes
from .service_levels import within_target_day


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p90 of [1..10] is 9)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def branch_day_stats(branch: Branch, day: dt.date, now: dt.datetime | None = None) -> dict:
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
        # Visitors called within the branch's target (walk-ins) or start delay (appointments).
        "within_target": within_target_day(branch, day),
        "ratings": {
            "count": sum(histogram.values()),
            "avg": _round(ratings.aggregate(avg=Avg("score"))["avg"]),
            "histogram": histogram,
        },
        **day_pauses(branch, day, resolve_now(now)),
        # Promised waits kept, and how far the estimates were off (the visitor's phone).
        **promise_figures(branch, day),
    }


def day_pauses(branch: Branch, day: dt.date, now: dt.datetime) -> dict:
    """Minutes the branch's advisors were paused on a local day, by reason, in total and
    per advisor (a pause still going counts until ``now``)."""
    start = local_midnight(day, branch.tz)
    end = local_midnight(day + dt.timedelta(days=1), branch.tz)
    periods = (
        StatusPeriod.objects.filter(
            advisor__branches=branch, status=AdvisorStatus.PAUSED, start__lt=min(end, now)
        )
        .filter(Q(end__isnull=True) | Q(end__gt=start))
        .select_related("advisor")
        .order_by("advisor__name", "advisor_id", "start")
    )
    reasons = list(PauseReason.values)
    total = dict.fromkeys(reasons, 0.0)
    by_advisor: dict[int, dict] = {}
    for period in periods:
        until = min(period.end or now, end)
        minutes = (until - max(period.start, start)).total_seconds() / 60
        if minutes <= 0:
            continue
        reason = period.reason if period.reason in total else PauseReason.OTHER
        total[reason] += minutes
        row = by_advisor.setdefault(
            period.advisor_id,
            {
                "advisor": {"id": period.advisor_id, "name": period.advisor.name},
                "minutes": dict.fromkeys(reasons, 0.0),
            },
        )
        row["minutes"][reason] += minutes
    rows = list(by_advisor.values())
    for row in rows:
        row["minutes"] = {reason: round(m, 1) for reason, m in row["minutes"].items()}
        row["total"] = round(sum(row["minutes"].values()), 1)
    return {
        "pauses": {reason: round(m, 1) for reason, m in total.items()},
        "pauses_by_advisor": rows,
    }

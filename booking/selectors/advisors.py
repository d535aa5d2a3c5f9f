"""What an advisor reads about themselves: their own ratings and their mean by week."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncWeek

from booking.models import Advisor, Rating, Ticket


def own_ratings(advisor: Advisor) -> QuerySet[Rating]:
    """Ratings of visits the advisor ended with, newest first; ``served_by_me`` tells
    whether the advisor served (started) the visit themselves, the only case in which
    they may read its comment."""
    # A visit's tickets share the branch, day and number (a transfer hands it on).
    served = Ticket.objects.filter(
        branch_id=OuterRef("ticket__branch_id"),
        day=OuterRef("ticket__day"),
        number=OuterRef("ticket__number"),
        advisor_id=advisor.id,
        started_at__isnull=False,
    )
    return (
        Rating.objects.filter(advisor=advisor)
        .annotate(served_by_me=Exists(served))
        .select_related("branch", "service")
        .order_by("-given_at", "-id")
    )


def own_mean(advisor: Advisor) -> float | None:
    mean = Rating.objects.filter(advisor=advisor).aggregate(avg=Avg("score"))["avg"]
    return None if mean is None else round(mean, 2)


def weekly_means(advisor: Advisor, *, weeks: int, now: dt.datetime) -> list[dict]:
    """The advisor's mean score per week (Monday to Sunday), the latest ``weeks`` weeks."""
    branch = advisor.branches.order_by("id").first()
    tz = branch.tz if branch else dt.UTC
    today = now.astimezone(tz).date()
    monday = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = dt.datetime.combine(monday, dt.time(0), tzinfo=tz)
    rows = (
        Rating.objects.filter(advisor=advisor, given_at__gte=since)
        .annotate(week=TruncWeek("given_at", tzinfo=tz))
        .values("week")
        .annotate(count=Count("id"), avg=Avg("score"))
        .order_by("week")
    )
    result = []
    for row in rows:
        week = row["week"]
        start = week.date() if isinstance(week, dt.datetime) else week
        year, number, _weekday = start.isocalendar()
        result.append(
            {
                "week": f"{year}-W{number:02d}",
                "start": start.isoformat(),
                "count": row["count"],
                "avg": round(row["avg"], 2),
            }
        )
    return result

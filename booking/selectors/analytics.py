"""What the manager learns from every visit: funnel, satisfaction, journeys.

Every figure is one aggregate query (conditional counts, grouped averages), so a
quarter of a busy branch is answered by the database, not by Python loops.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, TruncDate

from booking.models import (
    Appointment,
    AppointmentStatus,
    Branch,
    Customer,
    JourneyEvent,
    Notification,
    NotificationKind,
    NotificationStatus,
    Rating,
)
from booking.timeutils import local_midnight

FUNNEL_STEPS = ("booked", "confirmed", "reminded", "arrived", "served", "rated")
SATISFACTION_DIMENSIONS = ("day", "service", "advisor", "hour", "wait", "visit", "tag")
WAIT_BANDS = ((5, "0-5"), (10, "5-10"), (20, "10-20"), (30, "20-30"))


@dataclass(frozen=True)
class Period:
    branch: Branch
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.first, self.branch.tz)

    @property
    def end(self) -> dt.datetime:
        return local_midnight(self.last + dt.timedelta(days=1), self.branch.tz)


def _sent(kinds) -> Exists:
    return Exists(
        Notification.objects.filter(
            appointment=OuterRef("pk"), kind__in=kinds, status=NotificationStatus.SENT
        )
    )


def funnel(period: Period, *, service: str | None = None, channel: str | None = None) -> dict:
    """Appointments whose visit day lies in the period, step by step."""
    appointments = Appointment.objects.filter(
        branch=period.branch, start__gte=period.start, start__lt=period.end
    )
    if service:
        appointments = appointments.filter(service__slug=service)
    if channel:
        appointments = appointments.filter(channel=channel)
    figures = appointments.annotate(
        confirmed=_sent([NotificationKind.CONFIRMATION]),
        reminded=_sent([NotificationKind.REMINDER_EMAIL, NotificationKind.REMINDER_SMS]),
        rated=Exists(Rating.objects.filter(appointment=OuterRef("pk"))),
    ).aggregate(
        booked=Count("id"),
        confirmed_n=Count("id", filter=Q(confirmed=True)),
        reminded_n=Count("id", filter=Q(reminded=True)),
        arrived=Count("id", filter=Q(checked_in_at__isnull=False)),
        served=Count("id", filter=Q(status=AppointmentStatus.SERVED)),
        rated_n=Count("id", filter=Q(rated=True)),
        cancelled=Count("id", filter=Q(status=AppointmentStatus.CANCELLED)),
        no_show=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
    )
    counts = {
        "booked": figures["booked"],
        "confirmed": figures["confirmed_n"],
        "reminded": figures["reminded_n"],
        "arrived": figures["arrived"],
        "served": figures["served"],
        "rated": figures["rated_n"],
    }
    booked = counts["booked"] or 1
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "steps": [
            {"step": step, "count": counts[step], "share": round(counts[step] / booked, 3)}
            for step in FUNNEL_STEPS
        ],
        "cancelled": figures["cancelled"],
        "no_show": figures["no_show"],
        "cancellation_rate": round(figures["cancelled"] / booked, 3),
        "no_show_rate": round(figures["no_show"] / booked, 3),
    }


def _wait_band() -> Case:
    whens = [When(wait_minutes__lt=limit, then=Value(label)) for limit, label in WAIT_BANDS]
    return Case(
        When(wait_minutes__isnull=True, then=Value("unknown")),
        *whens,
        default=Value("30+"),
        output_field=CharField(),
    )


def _visit_kind() -> Case:
    return Case(
        When(appointment__isnull=False, then=Value("appointment")),
        When(ticket__isnull=False, then=Value("walk_in")),
        default=Value("anonymous"),
        output_field=CharField(),
    )


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


def satisfaction(period: Period, by: str) -> list[dict]:
    """Ratings given in the period, grouped: count, mean score, mean wait before the call."""
    if by == "tag":
        return tag_counts(period)
    tz = period.branch.tz
    keys = {
        "day": TruncDate("given_at", tzinfo=tz),
        "service": F("service__name"),
        "advisor": F("advisor__name"),
        "hour": ExtractHour("given_at", tzinfo=tz),
        "wait": _wait_band(),
        "visit": _visit_kind(),
    }
    rows = (
        Rating.objects.filter(
            branch=period.branch, given_at__gte=period.start, given_at__lt=period.end
        )
        .annotate(key=keys[by])
        .values("key")
        .annotate(count=Count("id"), avg_score=Avg("score"), avg_wait_minutes=Avg("wait_minutes"))
        .order_by("key")
    )
    ordered = sorted(rows, key=_band_order) if by == "wait" else rows
    return [
        {
            "key": _key(row["key"]),
            "count": row["count"],
            "avg_score": round(row["avg_score"], 2),
            "avg_wait_minutes": None
            if row["avg_wait_minutes"] is None
            else round(row["avg_wait_minutes"], 1),
        }
        for row in ordered
    ]


def _band_order(row: dict) -> int:
    labels = [label for _limit, label in WAIT_BANDS] + ["30+", "unknown"]
    return labels.index(row["key"])


def _key(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def customers_of(branches: QuerySet[Branch]) -> QuerySet[Customer]:
    """Customers who booked at, or visited, one of these branches."""
    return Customer.objects.filter(
        Q(appointments__branch__in=branches) | Q(tickets__branch__in=branches)
    ).distinct()


def customer_search(branches: QuerySet[Branch], text: str) -> QuerySet[Customer]:
    customers = customers_of(branches).filter(anonymized_at__isnull=True)
    text = text.strip()
    if text:
        customers = customers.filter(Q(name__icontains=text) | Q(email__icontains=text))
    return customers.order_by("name", "id")


def journey(customer: Customer, branches: QuerySet[Branch]) -> QuerySet[JourneyEvent]:
    """The customer's touchpoints at these branches, in time order."""
    return (
        JourneyEvent.objects.filter(customer=customer, branch__in=branches)
        .select_related("branch")
        .order_by("at", "id")
    )


def visit_history(customer: Customer, branches, *, limit: int = 3) -> list[dict]:
    """The customer's last visits at ``branches``, for the advisor who calls them."""
    served = (
        Appointment.objects.filter(
            customer=customer, status=AppointmentStatus.SERVED, branch__in=branches
        )
        .select_related("service", "advisor", "branch")
        .order_by("-start")[:limit]
    )
    ratings = dict(
        Rating.objects.filter(appointment__in=[a.id for a in served]).values_list(
            "appointment_id", "score"
        )
    )
    return [
        {
            "date": a.start.astimezone(a.branch.tz).date().isoformat(),
            "service": a.service.display_name,
            "advisor": a.advisor.name,
            "rating": ratings.get(a.id),
            "topic": a.topic,
        }
        for a in served
    ]

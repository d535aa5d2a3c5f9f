"""Journeys as they really ran: the most common sequences of touchpoints.

A visit is an appointment (all its events, its tickets' included) or, for a walk-in, its
number on its day (a transfer keeps the number). A customer's visit that ended
cancelled or as a no-show continues into their next one within ``FOLLOW_ON`` (cancelled
and rebooked, no-show then walk-in), and so does a booking made through a recovery
link. Repeats in a row (two reminders) count once. A journey belongs to the period in
which its last event happened.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Min

from booking.models import EventKind, JourneyEvent, Rating, Ticket
from booking.timeutils import epoch

from .analytics import Period
from .dbfunctions import Epoch

# Events of a visit may start before the period (a booking two weeks ahead).
LOOK_BACK = dt.timedelta(days=21)
FOLLOW_ON = int(dt.timedelta(days=14).total_seconds())
ENDED_EARLY = {EventKind.CANCELLED, EventKind.NO_SHOW}
VISITS = {EventKind.CHECKED_IN, EventKind.FINISHED}
SEGMENTS = ("new", "returning")
CACHE_SECONDS = 3600


@dataclass
class Journey:
    """A visit's touchpoints; ``first`` and ``last`` are seconds since the epoch."""

    customer_id: int | None
    steps: list[str] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    score: int | None = None

    def add(self, kind: str, at: int) -> None:
        """Events come in time order: the first sets the start, each the end."""
        if not self.steps or self.steps[-1] != kind:
            self.steps.append(kind)
        if self.first is None:
            self.first = at
        self.last = at

    def absorb(self, later: Journey) -> None:
        for kind in later.steps:
            if not self.steps or self.steps[-1] != kind:
                self.steps.append(kind)
        self.last = later.last
        self.score = later.score if later.score is not None else self.score


def _visits(rows, roots: dict[int, int], scores: dict[tuple, int]) -> list[Journey]:
    """One journey per visit, in the order of its first event."""
    visits: dict[tuple, Journey] = {}
    for at, kind, customer_id, appointment_id, ticket_id in rows:
        if appointment_id is not None:
            key: tuple = ("a", appointment_id)
        elif ticket_id is not None:
            key = ("t", roots.get(ticket_id, ticket_id))
        else:
            continue  # an event of no visit (an anonymous rating without a ticket)
        journey = visits.get(key)
        if journey is None:
            journey = visits[key] = Journey(customer_id)
            journey.score = scores.get(key)
        journey.customer_id = journey.customer_id or customer_id
        journey.add(kind, at)
    return sorted(visits.values(), key=lambda j: j.first)


def _transfer_roots(branch_id: int, since: dt.datetime) -> dict[int, int]:
    """Ticket id -> the first ticket of its visit, for the few visits that were transferred."""
    links = dict(
        Ticket.objects.filter(
            branch_id=branch_id, transferred_from__isnull=False, queued_at__gte=since
        ).values_list("id", "transferred_from_id")
    )
    roots = {}
    for ticket_id in links:
        root = ticket_id
        while root in links:
            root = links[root]
        roots[ticket_id] = root
    return roots


def _scores(branch_id: int, since: dt.datetime, until: dt.datetime) -> dict[tuple, int]:
    """The rating of each visit (appointment, else first ticket) given in the window."""
    scores: dict[tuple, int] = {}
    for appointment_id, ticket_id, score in Rating.objects.filter(
        branch_id=branch_id, given_at__gte=since, given_at__lt=until
    ).values_list("appointment_id", "ticket_id", "score"):
        if appointment_id is not None:
            scores[("a", appointment_id)] = score
        elif ticket_id is not None:
            scores[("t", ticket_id)] = score
    return scores


def _chain(visits: list[Journey]) -> list[Journey]:
    """Join a customer's visit that ended early to their next one (and rebookings)."""
    open_by_customer: dict[int, Journey] = {}
    journeys: list[Journey] = []
    for visit in visits:
        earlier = open_by_customer.get(visit.customer_id) if visit.customer_id else None
        follows = earlier is not None and (
            (earlier.steps[-1] in ENDED_EARLY and visit.first - earlier.last <= FOLLOW_ON)
            or EventKind.RECOVERY_BOOKED in visit.steps
        )
        if follows:
            earlier.absorb(visit)
            continue
        journeys.append(visit)
        if visit.customer_id:
            open_by_customer[visit.customer_id] = visit
    return journeys


def _returning(journeys: list[Journey]) -> set[int]:
    """Customers who had visited (checked in or been served) before a journey's start."""
    customers = {j.customer_id for j in journeys if j.customer_id}
    if not customers:
        return set()
    firsts = dict(
        JourneyEvent.objects.filter(customer_id__in=customers, kind__in=VISITS)
        .values("customer_id")
        .annotate(first=Min(Epoch("at")))
        .values_list("customer_id", "first")
        .order_by()
    )
    return {
        id(j)
        for j in journeys
        if j.customer_id and j.customer_id in firsts and firsts[j.customer_id] < j.first
    }


def journey_paths(period: Period, *, segment: str | None = None, limit: int = 12) -> dict:
    """``{"paths": [{"steps", "count", "avg_score"}], "journeys"}``, most common first.

    Kept in the cache under the branch's newest event: any new touchpoint (a rating, a
    recovery, a check-in) makes a new key, so the answer is never stale, and a manager
    paging through the same quarter does not walk 40 k events each time.
    """
    newest = JourneyEvent.objects.filter(branch=period.branch).order_by("-id").values("id").first()
    key = ":".join(
        [
            "paths",
            str(period.branch.id),
            period.first.isoformat(),
            period.last.isoformat(),
            segment or "all",
            str(limit),
            str(newest["id"] if newest else 0),
        ]
    )
    result = cache.get(key)
    if result is None:
        result = journey_paths_fresh(period, segment=segment, limit=limit)
        cache.set(key, result, CACHE_SECONDS)
    return result


def journey_paths_fresh(period: Period, *, segment: str | None = None, limit: int = 12) -> dict:
    """The same, computed now from the events."""
    since = period.start - LOOK_BACK
    # Five plain columns, no join and no JSON: a quarter of a busy branch is ~40 k rows.
    # Times as whole seconds: building 40 k aware datetimes cost more than the whole walk.
    events = (
        JourneyEvent.objects.filter(branch=period.branch, at__gte=since, at__lt=period.end)
        .order_by("at", "id")
        .values_list(Epoch("at"), "kind", "customer_id", "appointment_id", "ticket_id")
    )
    # The rows as the driver gives them: Django's per-value conversions cost more than
    # the rest of the walk.
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    roots = _transfer_roots(period.branch.id, since)
    scores = _scores(period.branch.id, since, period.end)
    start = epoch(period.start)
    journeys = [j for j in _chain(_visits(rows, roots, scores)) if j.last >= start]
    if segment in SEGMENTS:
        returning = _returning(journeys)
        journeys = [
            j
            for j in journeys
            if j.customer_id and ((id(j) in returning) == (segment == "returning"))
        ]
    counts: Counter[tuple[str, ...]] = Counter()
    scores: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for journey in journeys:
        steps = tuple(journey.steps)
        counts[steps] += 1
        if journey.score is not None:
            scores[steps].append(journey.score)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "segment": segment or "all",
        "journeys": len(journeys),
        "paths": [
            {
                "steps": list(steps),
                "count": count,
                "avg_score": round(sum(scores[steps]) / len(scores[steps]), 2)
                if scores[steps]
                else None,
            }
            for steps, count in ranked
        ],
    }

"""A quarter of demo history (90 days x 2 branches x 60 visits a day), shared by the
benchmarks of the manager page."""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from booking.models import Branch
from booking.selectors import analytics

DAYS = 90
VISITS_PER_DAY = 60
ROUNDS = 7


@dataclass
class Quarter:
    branch: Branch
    period: analytics.Period
    seeded_seconds: float

    @property
    def manager_url(self) -> str:
        return f"/manager/{self.branch.slug}/?from={self.period.first}&to={self.period.last}"


def seed_quarter() -> Quarter:
    """Seed the demo with 90 days of history; the period ends today at ``mitte``."""
    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--history",
        str(DAYS),
        "--visits-per-day",
        str(VISITS_PER_DAY),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    branch = Branch.objects.get(slug="mitte")
    today = branch.local_date(timezone.now())
    return Quarter(branch, analytics.Period(branch, today - dt.timedelta(days=DAYS), today), seeded)


def timed(function, rounds: int = ROUNDS) -> float:
    """The median of ``rounds`` calls in milliseconds, after one call to warm up."""
    function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)

"""The manager dashboard over 90 days x 2 branches x ~200 visits a day.

Prints the time of the analytics (funnel and six satisfaction cuts) and of the whole
manager page, next to a baseline measured in the same run: one plain aggregate over
the same ratings. Target: the dashboard under 300 ms. Run with ``scripts/bench dashboard``.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from booking.models import Branch, JourneyEvent, Rating, Ticket
from booking.selectors import analytics

DAYS = 90
VISITS_PER_DAY = 200
ROUNDS = 7

pytestmark = pytest.mark.django_db(transaction=True)


def timed(function, rounds: int = ROUNDS) -> float:
    function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def test_the_manager_dashboard_for_a_quarter():
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
    period = analytics.Period(branch, today - dt.timedelta(days=DAYS), today)

    def dashboard():
        analytics.funnel(period)
        for dimension in analytics.SATISFACTION_DIMENSIONS:
            analytics.satisfaction(period, dimension)

    baseline = timed(lambda: Rating.objects.filter(branch=branch).count())
    figures = timed(dashboard)
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    url = f"/manager/mitte/?from={period.first}&to={period.last}"
    assert client.get(url).status_code == 200
    page = timed(lambda: client.get(url))
    visits = Ticket.objects.filter(transferred_from__isnull=True).count()
    print(
        f"\n{connection.vendor}: {visits} visits, {Rating.objects.count()} ratings, "
        f"{JourneyEvent.objects.count()} journey events (seeded in {seeded:.0f} s)"
    )
    print(f"  baseline: COUNT of one branch's ratings   {baseline:8.1f} ms")
    print(
        f"  funnel + six satisfaction cuts, 90 days    {figures:8.1f} ms "
        f"({figures / baseline:.0f}x)"
    )
    print(f"  whole manager page, 90 days                {page:8.1f} ms  ({page / baseline:.0f}x)")
    print(f"  -> target under 300 ms: {'met' if page < 300 else 'NOT met'}")

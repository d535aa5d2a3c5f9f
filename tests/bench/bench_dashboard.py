"""The manager dashboard over 90 days x 2 branches x ~200 visits a day.

Prints the time of the analytics (funnel and six satisfaction cuts) and of the whole
manager page, next to a baseline measured in the same run: one plain aggregate over
the same ratings. Target: the dashboard under 300 ms. Run with ``scripts/bench dashboard``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from booking.models import JourneyEvent, Rating, Ticket
from booking.selectors import analytics

from .quarter import seed_quarter, timed

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_dashboard_for_a_quarter():
    quarter = seed_quarter()
    branch, period = quarter.branch, quarter.period

    def dashboard():
        analytics.funnel(period)
        for dimension in analytics.SATISFACTION_DIMENSIONS:
            analytics.satisfaction(period, dimension)

    baseline = timed(lambda: Rating.objects.filter(branch=branch).count())
    figures = timed(dashboard)
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    url = quarter.manager_url
    assert client.get(url).status_code == 200
    page = timed(lambda: client.get(url))
    visits = Ticket.objects.filter(transferred_from__isnull=True).count()
    print(
        f"\n{connection.vendor}: {visits} visits, {Rating.objects.count()} ratings, "
        f"{JourneyEvent.objects.count()} journey events (seeded in {quarter.seeded_seconds:.0f} s)"
    )
    print(f"  baseline: COUNT of one branch's ratings   {baseline:8.1f} ms")
    print(
        f"  funnel + six satisfaction cuts, 90 days    {figures:8.1f} ms "
        f"({figures / baseline:.0f}x)"
    )
    print(f"  whole manager page, 90 days                {page:8.1f} ms  ({page / baseline:.0f}x)")
    print(f"  -> target under 300 ms: {'met' if page < 300 else 'NOT met'}")

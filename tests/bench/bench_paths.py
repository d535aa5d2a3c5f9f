"""Journeys as they ran over 90 days x 2 branches x ~200 visits a day of demo history.

Prints the time of the paths query (all customers, and the new-customer segment) and of
the whole manager page (which draws the flow, the share within target and the reasons),
next to a baseline measured in the same run: a plain COUNT over the branch's journey
events of the period. Target: the manager page under 300 ms, also with a cold cache
(the paths computed afresh). ``scripts/bench paths``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client

from booking.models import Alert, JourneyEvent, Recovery, Ticket
from booking.selectors.paths import journey_paths, journey_paths_fresh

from .quarter import seed_quarter, timed

pytestmark = pytest.mark.django_db(transaction=True)


def test_journey_paths_for_a_quarter():
    quarter = seed_quarter()
    branch, period = quarter.branch, quarter.period

    baseline = timed(
        lambda: JourneyEvent.objects.filter(
            branch=branch, at__gte=period.start, at__lt=period.end
        ).count()
    )
    paths = timed(lambda: journey_paths_fresh(period))
    segment = timed(lambda: journey_paths_fresh(period, segment="new"))
    cached = timed(lambda: journey_paths(period))
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    url = quarter.manager_url
    assert client.get(url).status_code == 200
    page = timed(lambda: client.get(url))

    def cold_page():
        cache.clear()
        client.force_login(get_user_model().objects.get(username="manager"))
        client.get(url)

    cold = timed(cold_page, rounds=3)
    result = journey_paths(period)
    print(
        f"\n{connection.vendor}: {Ticket.objects.count()} tickets, "
        f"{JourneyEvent.objects.count()} journey events, {Alert.objects.count()} alerts, "
        f"{Recovery.objects.count()} recoveries (seeded in {quarter.seeded_seconds:.0f} s); "
        f"{result['journeys']} journeys at mitte, {len(result['paths'])} paths shown"
    )
    print(f"  baseline: COUNT of mitte's events, 90 days  {baseline:8.1f} ms")
    print(f"  paths, all customers, computed             {paths:8.1f} ms ({paths / baseline:.0f}x)")
    print(f"  paths, new customers, computed             {segment:8.1f} ms")
    print(f"  paths, from the cache (no new event)       {cached:8.1f} ms")
    print(f"  whole manager page, 90 days, cache warm    {page:8.1f} ms ({page / baseline:.0f}x)")
    print(f"  whole manager page, 90 days, cache cold    {cold:8.1f} ms")
    print(f"  -> target under 300 ms, cache cold: {'met' if cold < 300 else 'NOT met'}")

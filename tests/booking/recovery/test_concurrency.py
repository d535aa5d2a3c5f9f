"""Several workers sweeping at once still open one wait alert per visitor (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from booking.models import Alert
from booking.services.service_levels import service_levels_sweep

from .conftest import minutes

pytestmark = pytest.mark.django_db(transaction=True)


def simultaneously(calls) -> list:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("workers", [2, 6])
def test_concurrent_sweeps_open_one_alert_per_visitor(walk_in, branch, service, now, workers):
    from booking.services import queue

    second = queue.walk_in_take(branch=branch, service=service, now=now)
    later = minutes(now, 20)
    opened = simultaneously([lambda: service_levels_sweep(now=later)] * workers)
    assert sum(opened) == 2
    assert sorted(Alert.objects.values_list("ticket_id", flat=True)) == [walk_in.id, second.id]

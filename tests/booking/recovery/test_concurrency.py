"""Several workers sweeping at once still open one wait alert per visitor (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from booking.models import Alert
from booking.services.service_levels import service_levels_sweep
from tests.support import simultaneously

from .conftest import minutes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("workers", [2, 6])
def test_concurrent_sweeps_open_one_alert_per_visitor(walk_in, branch, service, now, workers):
    from booking.services import queue

    second = queue.walk_in_take(branch=branch, service=service, now=now)
    later = minutes(now, 20)
    opened = simultaneously([lambda: service_levels_sweep(now=later)] * workers)
    assert sum(opened) == 2
    assert sorted(Alert.objects.values_list("ticket_id", flat=True)) == [walk_in.id, second.id]

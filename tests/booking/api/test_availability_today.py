"""Availability without a first day answers the branch's today (on its own clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.booking.floor.conftest import on_duty_all_week

pytestmark = pytest.mark.django_db


def test_availability_without_from_lists_todays_free_times(api, branch_open_now, service, anna):
    on_duty_all_week(anna, branch_open_now)
    body = api.get("/api/v1/branches/mitte/availability/?service=beratung").json()
    today = branch_open_now.local_date(timezone.now())
    assert body["slots"]
    assert {dt.date.fromisoformat(s["start"][:10]) for s in body["slots"]} == {today}


def test_availability_with_only_to_starts_today(api, branch_open_now, service, anna):
    on_duty_all_week(anna, branch_open_now)
    today = branch_open_now.local_date(timezone.now())
    tomorrow = today + dt.timedelta(days=1)
    body = api.get(f"/api/v1/branches/mitte/availability/?service=beratung&to={tomorrow}").json()
    assert {s["start"][:10] for s in body["slots"]} == {today.isoformat(), tomorrow.isoformat()}

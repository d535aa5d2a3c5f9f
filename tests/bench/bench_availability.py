"""Free slots for 20 advisors x 30 days with ~40 % booked.

Prints the slot engine against the straightforward reference finder (same inputs, same
run), and the API's availability answer against a bare request to the same server.
Run with ``scripts/bench availability``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

import pytest
from django.test import Client
from django.utils import timezone

from booking.models import (
    Advisor,
    Appointment,
    Branch,
    Customer,
    Service,
    WorkingHours,
)
from booking.selectors.availability import slot_inputs
from booking.services.availability import free_slots
from booking.timeutils import local_midnight
from tests.reference_slots import reference_free_slots
from tests.support import booked

ADVISORS = 20
DAYS = 30
BOOKED_SHARE = 0.4
ROUNDS = 15


def timed(function, rounds: int = ROUNDS) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def figure(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    print(f"  {name:<44} median {median:8.2f} ms   p90 {p90:8.2f} ms")
    return median


@pytest.fixture
def world(db):
    random.seed(7)
    branch = Branch.objects.create(slug="bench", name="Bench", horizon_days=120, min_lead_minutes=0)
    service = Service.objects.create(slug="beratung", name="Beratung", duration_minutes=30)
    service.branches.add(branch)
    customer = Customer.objects.create(name="Bench", email="bench@example.org")
    first = branch.local_date(timezone.now()) + dt.timedelta(days=1)
    appointments = []
    for index in range(ADVISORS):
        advisor = Advisor.objects.create(name=f"Advisor {index}")
        advisor.branches.add(branch)
        advisor.services.add(service)
        WorkingHours.objects.bulk_create(
            WorkingHours(advisor=advisor, branch=branch, weekday=d, start=s, end=e)
            for d in range(5)
            for s, e in ((dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(17)))
        )
        for offset in range(DAYS):
            day = first + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour, half in [(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]:
                if random.random() >= BOOKED_SHARE:
                    continue
                start = dt.datetime.combine(day, dt.time(hour, half), tzinfo=branch.tz)
                appointments.append(
                    booked(
                        branch=branch,
                        service=service,
                        advisor=advisor,
                        customer=customer,
                        start=start,
                        save=False,
                    )
                )
    Appointment.objects.bulk_create(appointments, batch_size=1000)
    return branch, service, first, len(appointments)


def test_availability_for_twenty_advisors_and_thirty_days(world):
    branch, service, first, booked = world
    last = first + dt.timedelta(days=DAYS - 1)
    now = local_midnight(first, branch.tz)
    schedules, request = slot_inputs(
        branch=branch, service=service, first=first, last=last, now=now
    )
    engine_answer = free_slots(schedules, request)
    assert engine_answer == reference_free_slots(schedules, request)

    print(
        f"\n{ADVISORS} advisors x {DAYS} days, {booked} bookings, {len(engine_answer)} free slots"
    )
    engine = figure("slot engine (pure)", timed(lambda: free_slots(schedules, request), 40))
    reference = figure(
        "reference finder (pure)", timed(lambda: reference_free_slots(schedules, request), 10)
    )
    print(f"  -> engine is {reference / engine:.1f}x faster than the reference")

    client = Client()
    url = f"/api/v1/branches/bench/availability/?service=beratung&from={first}&to={last}"
    assert client.get(url).status_code == 200
    bare = figure("bare request (GET /healthz/)", timed(lambda: client.get("/healthz/")))
    api = figure("API availability answer (in-process)", timed(lambda: client.get(url)))
    print(
        f"  -> availability answer costs {api / bare:.1f}x a bare request "
        f"(target: under 50 ms; {'met' if api < 50 else 'NOT met'})"
    )

"""Free slots for 20 advisors x 30 days with ~40 % booked, over HTTP and in-process.

Over HTTP, one client (c=1), rounds taking turns: the project's availability answer
under granian's WSGI interface (``tests.bench.settings``, as production serves HTTP) against
the bare app's plain ORM view under gunicorn gthread
(``tests/bench/bare/slots.py``: reads the hours and the bookings, walks the grid), both
serving the same rows. The project is measured twice: as it runs (the answer cached for
a few seconds, as every request after the first finds it), and with the answer cache
off (``AVAILABILITY_CACHE_SECONDS=0``: hours and formatting cached, bookings read and
the slots computed on every request). Both answers must hold the same slots.
In-process, the slot engine against the straightforward reference finder.
Run with ``scripts/bench availability``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

import pytest
import requests
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
from tests.support import booked, start_server

ADVISORS = 20
DAYS = 30
BOOKED_SHARE = 0.4
ROUNDS = 200
SERVER = {"kind": "granian", "workers": 2, "threads": 4}
BARE_SERVER = {"kind": "gunicorn", "workers": 2, "threads": 4}
# One client asks far more often than a customer would: no throttle in the way.
NO_THROTTLE = {"THROTTLE_PUBLIC_READ": "1000000/60"}

pytestmark = pytest.mark.django_db(transaction=True)


def timed(function, rounds: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figure(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"  {name:<52} p50 {median:7.2f} ms   p99 {percentile(times, 0.99):7.2f} ms")
    return median


@pytest.fixture
def world(transactional_db):
    return build_world()


def build_world() -> tuple[Branch, Service, dt.date, int]:
    """The branch ``bench``: 20 advisors on weekdays 9-12:30 and 13:30-17, ~40 % booked."""
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


def test_engine_against_the_reference_finder(world):
    branch, service, first, bookings = world
    last = first + dt.timedelta(days=DAYS - 1)
    now = local_midnight(first, branch.tz)
    schedules, request = slot_inputs(
        branch=branch, service=service, first=first, last=last, now=now
    )
    engine_answer = free_slots(schedules, request)
    assert engine_answer == reference_free_slots(schedules, request)
    print(
        f"\n{ADVISORS} advisors x {DAYS} days, {bookings} bookings, {len(engine_answer)} free"
        " slots, in-process"
    )
    engine = figure("slot engine (pure)", timed(lambda: free_slots(schedules, request), 40))
    reference = figure(
        "reference finder (pure)", timed(lambda: reference_free_slots(schedules, request), 10)
    )
    print(f"  -> engine is {reference / engine:.1f}x faster than the reference")


def test_availability_answer_against_a_plain_orm_view(world, tmp_path):
    branch, service, first, bookings = world
    last = first + dt.timedelta(days=DAYS - 1)
    query = f"?service=beratung&from={first}&to={last}"
    log = tmp_path / "servers.log"
    servers = {
        "plain ORM view (bare app)": start_server(
            log,
            **BARE_SERVER,
            app="tests.bench.bare.wsgi:application",
            settings="tests.bench.bare.settings",
        ),
        "project, as it runs": start_server(
            log, **SERVER, settings="tests.bench.settings", **NO_THROTTLE
        ),
        "project, answer cache off": start_server(
            log,
            **SERVER,
            settings="tests.bench.settings",
            AVAILABILITY_CACHE_SECONDS="0",
            **NO_THROTTLE,
        ),
    }
    urls = {
        name: f"{url}/bench/branches/bench/availability/{query}"
        if name.startswith("plain")
        else f"{url}/api/v1/branches/bench/availability/{query}"
        for name, (_process, url) in servers.items()
    }
    sessions = {name: requests.Session() for name in servers}
    times: dict[str, list[float]] = {name: [] for name in servers}
    try:
        answers = {name: sessions[name].get(url, timeout=30) for name, url in urls.items()}
        assert all(answer.status_code == 200 for answer in answers.values()), log.read_text()
        slots = {name: answer.json()["slots"] for name, answer in answers.items()}
        baseline_slots = slots["plain ORM view (bare app)"]
        assert all(found == baseline_slots for found in slots.values())
        for _ in range(ROUNDS):
            for name, url in urls.items():
                started = time.perf_counter()
                response = sessions[name].get(url, timeout=30)
                times[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    finally:
        for process, _url in servers.values():
            process.terminate()
        for process, _url in servers.values():
            process.wait(timeout=30)
    print(
        f"\n{ADVISORS} advisors x {DAYS} days, {bookings} bookings, {len(baseline_slots)} free"
        f" slots; project under granian, bare app under gunicorn gthread, "
        f"{SERVER['workers']}x{SERVER['threads']} each, one client,"
        f" {ROUNDS} rounds taking turns"
    )
    medians = {name: figure(name, found) for name, found in times.items()}
    baseline = medians["plain ORM view (bare app)"]
    for name, median in medians.items():
        if name.startswith("project"):
            print(
                f"  -> {name}: p50 at {median / baseline:.2f}x the plain ORM view"
                f" (target <= 0.5: {'met' if median <= 0.5 * baseline else 'NOT met'})"
            )

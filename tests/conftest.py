"""Shared fixtures: a small branch world, API clients, and time helpers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from rest_framework.test import APIClient

from booking.localcache import local_caches_clear
from booking.models import Advisor, Branch, Service, WorkingHours
from booking.services.appointments import CustomerData
from tests.contract import ContractClient

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

# The live test server listens with socketserver's backlog of 5; the concurrency tests
# open dozens of connections at once, which a real deployment's server would queue.
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, which it drops at the end. A server process or
    worker the tests stopped may still hold a PostgreSQL session while it exits; the
    drop would then fail and leave the database behind, so those sessions end first."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached devices live in the caches; every test starts with none."""
    cache.clear()
    local_caches_clear()
    yield
    cache.clear()
    local_caches_clear()


def next_weekday(weekday: int, *, weeks_ahead: int = 1, tz=BERLIN) -> dt.date:
    """A date of the given weekday at least a week ahead (so lead time never interferes)."""
    today = dt.datetime.now(tz).date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def morning_zone(hour: int = 9) -> str:
    """A fixed-offset zone where it is now between ``hour`` and ``hour`` + 1 o'clock.

    Tests of the branch floor book visits for "today", relative to the real clock, and
    their servers (ASGI, Celery, Kivy) run in other processes that read the real clock
    too. Putting the branch in this zone gives every such test a whole working day
    ahead, at whatever hour and on whatever day the suite runs.
    """
    offset = hour - dt.datetime.now(dt.UTC).hour
    if offset < -12:
        offset += 24
    # Etc/GMT names count the other way round: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.fixture
def branch_open_now(branch) -> Branch:
    """The branch, where it is now nine in the morning (see ``morning_zone``)."""
    branch.timezone = morning_zone()
    branch.save(update_fields=["timezone"])
    return branch


def local(day: dt.date, hour: int, minute: int = 0, tz=BERLIN) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


@pytest.fixture
def branch(db) -> Branch:
    return Branch.objects.create(
        slug="mitte",
        name="Filiale Mitte",
        street="Friedrichstraße 1",
        postal_code="10117",
        city="Berlin",
        timezone="Europe/Berlin",
        email="mitte@bank.example",
    )


@pytest.fixture
def other_branch(db) -> Branch:
    return Branch.objects.create(slug="altona", name="Filiale Altona", timezone="Europe/Berlin")


@pytest.fixture
def service(branch) -> Service:
    service = Service.objects.create(
        slug="beratung",
        name="Beratung",
        name_en="Advice",
        duration_minutes=30,
        walk_in=True,
        ticket_prefix="A",
    )
    service.branches.add(branch)
    return service


def make_advisor(
    branch: Branch,
    services,
    name: str,
    *,
    location: str = "Raum 1",
    hours=((9, 0), (17, 0)),
    weekdays=range(5),
    user=None,
) -> Advisor:
    advisor = Advisor.objects.create(name=name, location=location, user=user)
    advisor.branches.add(branch)
    advisor.services.add(*services)
    WorkingHours.objects.bulk_create(
        WorkingHours(
            advisor=advisor,
            branch=branch,
            weekday=d,
            start=dt.time(*hours[0]),
            end=dt.time(*hours[1]),
        )
        for d in weekdays
    )
    return advisor


@pytest.fixture
def anna(branch, service) -> Advisor:
    return make_advisor(branch, [service], "Anna Weber", location="Raum 2")


@pytest.fixture
def jonas(branch, service) -> Advisor:
    return make_advisor(branch, [service], "Jonas Becker", location="Raum 3")


@pytest.fixture
def lukas() -> CustomerData:
    return CustomerData(
        name="Lukas Meier", email="lukas@example.org", phone="+49 170 1234567", language="de"
    )


@pytest.fixture
def api() -> APIClient:
    """An API client whose every answer is checked against /api/schema/."""
    return ContractClient()

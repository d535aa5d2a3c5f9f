"""No double booking, ever: truly concurrent requests against a live server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import IntegrityError, connection, transaction

from booking.models import Appointment, AppointmentStatus
from booking.services.appointments import CustomerData, appointment_book
from tests.conftest import local, next_weekday

CLIENTS = 24


def race(url: str, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))

    def one(body: dict) -> int:
        session = requests.Session()
        barrier.wait()
        return session.post(url, json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def bodies(day, n: int) -> list[dict]:
    return [
        {
            "branch": "mitte",
            "service": "beratung",
            "start": local(day, 10).isoformat(),
            "customer": {"name": f"Kunde {i}", "email": f"kunde{i}@example.org"},
        }
        for i in range(n)
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_give_one_booking_and_clean_409s(live_server, anna):
    day = next_weekday(3)
    codes = race(f"{live_server.url}/api/v1/appointments/", bodies(day, CLIENTS))
    assert sorted(codes) == [201] + [409] * (CLIENTS - 1)
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_fill_each_free_advisor_once(live_server, anna, jonas):
    day = next_weekday(3)
    codes = race(f"{live_server.url}/api/v1/appointments/", bodies(day, CLIENTS))
    assert sorted(codes) == [201, 201] + [409] * (CLIENTS - 2)
    assert set(Appointment.objects.values_list("advisor_id", flat=True)) == {anna.id, jonas.id}


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_an_overlapping_booking(branch, service, anna):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL; SQLite serialises writes instead")
    appointment, _ = appointment_book(
        branch=branch,
        service=service,
        start=local(next_weekday(3), 10),
        customer=CustomerData(name="Lukas", email="l@example.org"),
    )
    twin = Appointment.objects.get(id=appointment.id)
    twin.pk = None
    twin.code = "ZZZZZZZZ"
    twin.manage_token = "another-token"
    twin.start = appointment.start.replace(minute=15)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_booking_does_not_hold_its_time_in_the_database(branch, service, anna):
    customer = CustomerData(name="Lukas", email="l@example.org")
    start = local(next_weekday(3), 10)
    first, _ = appointment_book(branch=branch, service=service, start=start, customer=customer)
    Appointment.objects.filter(id=first.id).update(status=AppointmentStatus.CANCELLED)
    second, _ = appointment_book(branch=branch, service=service, start=start, customer=customer)
    assert second.advisor_id == first.advisor_id

"""No slot hoarding: a cap on live bookings per e-mail and branch, and a form that books
once however often it is sent."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from booking.exceptions import Conflict
from booking.models import Appointment, AppointmentStatus
from booking.services.appointments import CustomerData, appointment_book, appointment_cancel
from booking.web.forms import form_token_new
from tests.conftest import local, make_advisor, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(2)


def book(branch, service, start, email="lukas@example.org"):
    appointment, _ = appointment_book(
        branch=branch,
        service=service,
        start=start,
        customer=CustomerData(name="Lukas Meier", email=email),
    )
    return appointment


def test_a_fourth_live_booking_of_one_address_answers_booking_limit(
    api, branch, service, anna, day
):
    for hour in (9, 10, 11):
        book(branch, service, local(day, hour))
    response = api.post(
        "/api/v1/appointments/",
        {
            "branch": "mitte",
            "service": "beratung",
            "start": local(day, 12).isoformat(),
            "customer": {"name": "Lukas", "email": "LUKAS@Example.ORG"},
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "booking_limit"
    assert response.json()["detail"]


def test_a_cancelled_booking_frees_its_place_under_the_limit(branch, service, anna, day):
    first, *_ = [book(branch, service, local(day, hour)) for hour in (9, 10, 11)]
    appointment_cancel(appointment=first)
    assert book(branch, service, local(day, 12)).status == AppointmentStatus.BOOKED


def test_the_limit_counts_per_branch(branch, other_branch, service, anna, day):
    service.branches.add(other_branch)
    make_advisor(other_branch, [service], "Ole Nord")
    for hour in (9, 10, 11):
        book(branch, service, local(day, hour))
    assert book(other_branch, service, local(day, 9)).branch == other_branch


def details(day, **overrides):
    return {
        "branch": "mitte",
        "service": "beratung",
        "start": local(day, 10).isoformat(),
        "name": "Lukas Meier",
        "email": "lukas@example.org",
        "language": "de",
        "consent": "on",
        "form_token": form_token_new(),
        **overrides,
    }


def test_a_double_click_on_the_booking_form_books_once(client, branch, service, anna, jonas, day):
    sent = details(day)
    first = client.post("/book/", sent)
    second = client.post("/book/", sent)
    third = client.post("/book/", sent)
    assert Appointment.objects.count() == 1
    assert first.status_code == second.status_code == third.status_code == 302
    assert first["Location"] == second["Location"] == third["Location"]


def test_a_form_without_a_valid_token_books_nothing_and_asks_again(
    client, branch, service, anna, day
):
    response = client.post("/book/", details(day, form_token="forged"))
    assert response.status_code == 200
    assert Appointment.objects.count() == 0
    assert 'name="form_token"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_of_one_address_stay_under_the_limit(
    branch, service, anna, jonas, day
):
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt(hour: int, minute: int) -> None:
        barrier.wait()
        try:
            book(branch, service, local(day, hour, minute))
            outcomes.append("booked")
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(9 + n // 2, 30 * (n % 2))) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 3
    assert outcomes.count("booking_limit") == 3

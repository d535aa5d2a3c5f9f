"""The desk's list of the day's appointments: what it shows, what it finds, who sees it."""

from __future__ import annotations

import pytest

from booking.models import Appointment
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db

URL = "/api/v1/branches/mitte/appointments/"


def found(api, search: str, **params) -> list[int]:
    response = api.get(URL, {"search": search, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def lukas_visit(make_appointment):
    appointment = make_appointment(minutes=30, code="ABCD2345")
    Appointment.objects.filter(id=appointment.id).update(
        contact_name="Lukas Meier",
        contact_email="lukas.meier@example.org",
        contact_phone="+49 170 123 4567",
    )
    return appointment


@pytest.fixture
def erika_visit(make_appointment, jonas):
    appointment = make_appointment(minutes=90, advisor=jonas, customer_name="Erika Muster")
    Appointment.objects.filter(id=appointment.id).update(
        contact_name="Erika Muster", contact_email="erika@example.com", contact_phone=""
    )
    return appointment


def test_the_list_shows_todays_appointments_with_customer_code_status_and_advisor(
    staff_api, lukas_visit, anna
):
    body = staff_api.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["customer"]["name"] == "Lukas Meier"
    assert row["customer"]["id"] == lukas_visit.customer_id
    assert (row["code"], row["code_display"], row["status"]) == ("ABCD2345", "ABCD-2345", "booked")
    assert row["advisor"] == {"id": anna.id, "name": "Anna Weber"}
    assert (row["service"], row["location"], row["ticket"]) == ("beratung", "Raum 2", None)


def test_the_list_is_paginated_like_the_other_growing_lists(staff_api, lukas_visit):
    assert set(staff_api.get(URL).json()) >= {"count", "next", "previous", "results"}


def test_the_list_is_in_order_of_start(
    staff_api, lukas_visit, erika_visit, make_appointment, jonas
):
    early = make_appointment(minutes=10, advisor=jonas)
    assert found(staff_api, "") == [early.id, lukas_visit.id, erika_visit.id]


def test_the_name_shown_is_the_bookings_own_contact_name(staff_api, lukas_visit):
    lukas_visit.customer.name = "Someone Else"
    lukas_visit.customer.save()
    assert staff_api.get(URL).json()["results"][0]["customer"]["name"] == "Lukas Meier"


def test_a_checked_in_visit_shows_its_ticket(staff_api, lukas_visit, device):
    ticket = checkin_at_kiosk(device=device, code=lukas_visit.code).ticket
    row = staff_api.get(URL).json()["results"][0]
    assert row["status"] == "checked_in"
    assert row["ticket"] == {"id": ticket.id, "number": ticket.number, "status": "waiting"}


def test_other_days_are_left_out_unless_asked_for(staff_api, lukas_visit, make_appointment):
    tomorrow = make_appointment(minutes=24 * 60)
    assert found(staff_api, "") == [lukas_visit.id]
    day = tomorrow.start.astimezone(tomorrow.branch.tz).date().isoformat()
    assert found(staff_api, "", date=day) == [tomorrow.id]


@pytest.mark.parametrize("search", ["luk", "MEIER", "meier lukas", "Lukas Meier"])
def test_search_finds_a_part_of_the_name_in_any_case(staff_api, lukas_visit, erika_visit, search):
    assert found(staff_api, search) == [lukas_visit.id]


def test_search_finds_the_e_mail(staff_api, lukas_visit, erika_visit):
    assert found(staff_api, "erika@example") == [erika_visit.id]


@pytest.mark.parametrize("search", ["1701234567", "170 1234", "+49170", "123-4567"])
def test_search_finds_the_phone_however_it_is_spaced(staff_api, lukas_visit, erika_visit, search):
    assert found(staff_api, search) == [lukas_visit.id]


@pytest.mark.parametrize("search", ["ABCD2345", "abcd-2345", "abcd 2345", "cd23"])
def test_search_finds_the_code_in_any_case_with_or_without_the_dash(
    staff_api, lukas_visit, erika_visit, search
):
    assert found(staff_api, search) == [lukas_visit.id]


def test_search_that_matches_nobody_is_an_empty_list(staff_api, lukas_visit):
    assert found(staff_api, "Zacharias") == []


def test_cancelled_bookings_are_listed_so_the_desk_can_say_so(staff_api, make_appointment):
    cancelled = make_appointment(status="cancelled")
    assert staff_api.get(URL).json()["results"][0]["status"] == "cancelled"
    assert found(staff_api, "") == [cancelled.id]


def test_a_manager_of_the_branch_sees_the_list(manager_api, lukas_visit):
    assert manager_api.get(URL).json()["count"] == 1


def test_an_advisor_of_another_branch_gets_404(stranger_api, lukas_visit):
    response = stranger_api.get(URL)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_without_a_login_the_list_is_refused(api, lukas_visit):
    assert api.get(URL).status_code in (401, 403)


def test_an_impossible_date_is_a_400_with_errors(staff_api, branch):
    response = staff_api.get(URL, {"date": "2026-02-30"})
    assert response.status_code == 400
    assert "date" in response.json()["errors"]

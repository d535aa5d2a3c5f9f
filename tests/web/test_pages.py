"""The customer pages with Django's test client: every step, every field, odd inputs."""

from __future__ import annotations

import pytest
from django.core import mail

from booking.models import Appointment, AppointmentStatus
from booking.services.appointments import CustomerData, appointment_book
from booking.web.forms import form_token_new
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return next_weekday(2)


def details(day, hour=10, **overrides):
    data = {
        "branch": "mitte",
        "service": "beratung",
        "start": local(day, hour).isoformat(),
        "name": "Lukas Meier",
        "email": "lukas@example.org",
        "phone": "",
        "language": "de",
        "consent": "on",
        "form_token": form_token_new(),  # what the rendered form carries
    }
    data.update(overrides)
    return data


def test_the_front_door_lists_branches_with_address(client, branch):
    html = client.get("/").content.decode()
    assert "Filiale Mitte" in html
    assert "Friedrichstraße 1, 10117 Berlin" in html


def test_a_branch_lists_its_online_services_with_duration(client, service):
    html = client.get("/?branch=mitte", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Advice" in html
    assert "30 minutes" in html


def test_the_time_step_shows_only_free_times(client, anna, day, lukas):
    appointment_book(
        branch=anna.branches.get(),
        service=anna.services.get(),
        start=local(day, 10),
        customer=lukas,
    )
    html = client.get(f"/?branch=mitte&service=beratung&day={day}").content.decode()
    assert ">09:30<" in html
    assert ">10:00<" not in html


def test_choosing_a_time_shows_the_details_form(client, anna, day):
    start = local(day, 10).isoformat()
    response = client.get("/", {"branch": "mitte", "service": "beratung", "start": start})
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_booking_leads_to_the_code_qr_calendar_and_manage_link(client, anna, day):
    response = client.post("/book/", details(day), follow=True)
    appointment = Appointment.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/manage/{appointment.manage_token}/?booked=1"
    assert f"{appointment.code[:4]}-{appointment.code[4:]}" in html
    assert f"/api/v1/appointments/{appointment.manage_token}/qr.png" in html
    assert f"/api/v1/appointments/{appointment.manage_token}/calendar.ics" in html
    assert f"/manage/{appointment.manage_token}/" in html


def test_booking_on_the_web_sends_the_confirmation(
    client, anna, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/book/", details(day))
    assert mail.outbox[0].to == ["lukas@example.org"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * 200),
        ("email", ""),
        ("email", "not-an-address"),
        ("phone", "call me maybe"),
        ("language", "fr"),
        ("consent", ""),
    ],
)
def test_each_field_is_checked_and_the_form_comes_back(client, anna, day, field, value):
    response = client.post("/book/", details(day, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Appointment.objects.exists()


def test_the_form_keeps_what_was_typed_after_an_error(client, anna, day):
    html = client.post("/book/", details(day, email="nope")).content.decode()
    assert 'value="Lukas Meier"' in html


def test_a_taken_time_gets_a_friendly_message_fresh_times_and_keeps_the_details(
    client, anna, day, lukas
):
    appointment_book(
        branch=anna.branches.get(),
        service=anna.services.get(),
        start=local(day, 10),
        customer=CustomerData(name="Eva", email="eva@example.org"),
    )
    response = client.post("/book/", details(day, name="Lukas Meier"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 409
    assert "just been taken" in html
    assert 'value="Lukas Meier"' in html
    assert ">10:30<" in html


def test_a_time_off_the_grid_is_explained_on_the_form(client, anna, day):
    response = client.post(
        "/book/", details(day, start=local(day, 10, 7).isoformat()), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "choose a listed time" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "branch=nowhere",
        "branch=mitte&service=nothing",
        "branch=mitte&service=beratung&day=not-a-day",
        "branch=mitte&service=beratung&start=yesterday",
        "branch=mitte&service=beratung&advisor=abc",
        "branch=mitte&service=beratung&advisor=99999",
        "branch=" + "x" * 5000,
    ],
)
def test_odd_links_never_break_the_page(client, anna, query):
    assert client.get(f"/?{query}").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"branch": "mitte"},
        {"branch": "mitte", "service": "beratung"},
        {"branch": "mitte", "service": "beratung", "start": "garbage", "name": "x"},
        {"branch": "mitte", "service": "beratung", "start": "2026-02-30T10:00:00"},
    ],
)
def test_odd_posts_never_give_a_server_error(client, anna, data):
    assert client.post("/book/", data).status_code < 500


def test_the_manage_page_of_a_wrong_token_is_404(client, db):
    assert client.get("/manage/not-a-token/").status_code == 404


@pytest.fixture
def booked(anna, day, lukas):
    appointment, _ = appointment_book(
        branch=anna.branches.get(),
        service=anna.services.get(),
        start=local(day, 10),
        customer=lukas,
    )
    return appointment


def test_rescheduling_moves_the_booking_to_a_free_time(client, booked, day):
    page = client.get(f"/manage/{booked.manage_token}/reschedule/?day={day}").content.decode()
    assert ">10:00<" not in page  # its own time is no choice
    assert ">10:15<" in page  # though it does not stand in the way of a later start
    response = client.post(
        f"/manage/{booked.manage_token}/reschedule/", {"start": local(day, 14).isoformat()}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.start == local(day, 14)


def test_rescheduling_to_a_taken_time_says_so(client, booked, day):
    appointment_book(
        branch=booked.branch,
        service=booked.service,
        start=local(day, 14),
        customer=CustomerData(name="Eva", email="eva@example.org"),
    )
    response = client.post(
        f"/manage/{booked.manage_token}/reschedule/", {"start": local(day, 14).isoformat()}
    )
    assert response.status_code == 409
    booked.refresh_from_db()
    assert booked.start == local(day, 10)


def test_cancelling_asks_first_then_cancels(client, booked):
    assert client.get(f"/manage/{booked.manage_token}/cancel/").status_code == 200
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    client.post(f"/manage/{booked.manage_token}/cancel/")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_a_returning_customer_is_offered_their_last_advisor(client, booked, anna):
    Appointment.objects.filter(id=booked.id).update(status=AppointmentStatus.SERVED)
    html = client.get(f"/manage/{booked.manage_token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Book again with Anna Weber" in html
    assert f"advisor={anna.id}" in html


def test_german_is_the_default_and_english_is_one_click_away(client, branch):
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert 'lang="de"' in german and "Wo möchten Sie uns treffen?" in german
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_times_are_shown_on_the_branchs_clock(client, booked):
    assert "10:00" in client.get(f"/manage/{booked.manage_token}/").content.decode()

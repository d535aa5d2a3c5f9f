"""Nobody takes over someone's booking by booking with their e-mail address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail

from booking.models import Appointment, EventKind, JourneyEvent
from booking.services import jobs
from booking.services.checkin import checkin_at_kiosk
from booking.services.devices import device_create
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


def book(api, start: dt.datetime, customer: dict) -> dict:
    response = api.post(
        "/api/v1/appointments/",
        {
            "branch": "mitte",
            "service": "beratung",
            "start": start.isoformat(),
            "customer": customer,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def victim(api, branch, service, anna, jonas):
    day = next_weekday(2)
    return book(
        api,
        local(day, 10),
        {"name": "Lukas Meier", "email": "lukas@example.org", "phone": "+49 170 1234567"},
    )


@pytest.fixture
def attack(api, victim):
    start = Appointment.objects.get(id=victim["id"]).start + dt.timedelta(hours=2)
    return book(
        api,
        start,
        {"name": "Mallory Mole", "email": "LUKAS@EXAMPLE.ORG", "phone": "+49 151 6666666"},
    )


def test_the_victims_sms_reminder_still_goes_to_their_own_phone(victim, attack, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    appointment = Appointment.objects.get(id=victim["id"])
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=2))
    texts = [path.read_text() for path in Path(tmp_path).iterdir()]
    assert len(texts) == 1
    assert "+49 170 1234567" in texts[0]
    assert "6666666" not in texts[0]


def test_the_victims_email_and_manage_page_keep_their_name(api, victim, attack):
    mail.outbox.clear()
    jobs.send_due_reminders(
        now=Appointment.objects.get(id=victim["id"]).start - dt.timedelta(hours=24)
    )
    assert "Lukas" in mail.outbox[0].body and "Mallory" not in mail.outbox[0].body
    answer = api.get(f"/api/v1/appointments/{victim['manage_token']}/").json()
    assert answer["customer"] == {"first_name": "Lukas"}


def test_the_kiosk_greets_the_victim_by_their_own_name(branch, victim, attack):
    device, _token = device_create(branch=branch, name="Eingang")
    appointment = Appointment.objects.get(id=victim["id"])
    result = checkin_at_kiosk(
        device=device, code=appointment.code, now=appointment.start - dt.timedelta(minutes=5)
    )
    assert result.appointment.first_name == "Lukas"


def test_only_the_manage_link_changes_a_bookings_phone(api, victim):
    token = victim["manage_token"]
    response = api.patch(
        f"/api/v1/appointments/{token}/", {"phone": "+49 170 7654321"}, format="json"
    )
    assert response.status_code == 200
    appointment = Appointment.objects.get(id=victim["id"])
    assert appointment.contact_phone == "+49 170 7654321"
    assert JourneyEvent.objects.filter(
        appointment=appointment, kind=EventKind.CONTACT_CHANGED
    ).exists()


def test_a_wrong_phone_through_the_manage_link_is_a_400(api, victim):
    response = api.patch(
        f"/api/v1/appointments/{victim['manage_token']}/", {"phone": "call me"}, format="json"
    )
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]


def test_the_manage_page_changes_the_phone(client, victim):
    token = victim["manage_token"]
    response = client.post(f"/manage/{token}/phone/", {"phone": "+49 30 555555"})
    assert response.status_code == 302
    assert Appointment.objects.get(id=victim["id"]).contact_phone == "+49 30 555555"

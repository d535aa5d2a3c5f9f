"""Every page carries a Content-Security-Policy; answers about a booking are never cached."""

from __future__ import annotations

import pytest

from booking.services.appointments import appointment_book
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(branch, service, anna, lukas):
    appointment, _ = appointment_book(
        branch=branch, service=service, start=local(next_weekday(2), 10), customer=lukas
    )
    return appointment


@pytest.mark.parametrize("path", ["/", "/privacy/", "/staff/login/", "/display/mitte/"])
def test_every_page_carries_a_content_security_policy(client, branch, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("page", ["", "reschedule/", "cancel/"])
def test_manage_pages_are_never_stored(client, appointment, page):
    response = client.get(f"/manage/{appointment.manage_token}/{page}")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("suffix", ["", "qr.png", "calendar.ics"])
def test_appointment_answers_are_never_stored(api, appointment, suffix):
    response = api.get(f"/api/v1/appointments/{appointment.manage_token}/{suffix}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_new_booking_answer_is_never_stored(api, service, anna):
    response = api.post(
        "/api/v1/appointments/",
        {
            "branch": "mitte",
            "service": "beratung",
            "start": local(next_weekday(2), 10).isoformat(),
            "customer": {"name": "Lukas", "email": "l@example.org"},
        },
        format="json",
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]

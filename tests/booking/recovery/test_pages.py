"""The customer's recovery pages: rebook from the next free times, re-rate with one tap."""

from __future__ import annotations

import pytest
from django.test import Client

from booking.models import EventKind, JourneyEvent, Recovery
from booking.services.recovery import recovery_send
from booking.web.forms import form_token_new

pytestmark = pytest.mark.django_db


@pytest.fixture
def recovery(low_rating, manager) -> Recovery:
    return recovery_send(alert=low_rating().alert, user=manager, message="Sorry")[0]


def test_the_rerating_page_shows_five_faces_without_login(client: Client, recovery):
    page = client.get(f"/r/{recovery.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.content.decode().count('name="score"') == 5


def test_one_tap_records_the_rerating(client: Client, recovery):
    page = client.post(f"/r/{recovery.token}/", {"score": "4"})
    assert page.status_code == 200
    recovery.refresh_from_db()
    assert recovery.rerated_score == 4
    assert JourneyEvent.objects.filter(kind=EventKind.RERATED).exists()


def test_a_second_tap_changes_nothing(client: Client, recovery):
    client.post(f"/r/{recovery.token}/", {"score": "4"})
    client.post(f"/r/{recovery.token}/", {"score": "1"})
    recovery.refresh_from_db()
    assert recovery.rerated_score == 4


def test_a_score_outside_one_to_five_is_refused_kindly(client: Client, recovery):
    page = client.post(f"/r/{recovery.token}/", {"score": "9"})
    assert page.status_code == 400
    recovery.refresh_from_db()
    assert recovery.rerated_score is None


def test_an_unknown_token_is_not_found(client: Client, db):
    assert client.get("/r/not-a-token/").status_code == 404
    assert client.get("/r/not-a-token/book/").status_code == 404


def test_the_rebooking_link_offers_the_next_free_times(client: Client, recovery):
    page = client.get(f"/r/{recovery.token}/book/")
    assert page.status_code == 200
    assert page.content.decode().count('class="time"') > 0


def test_a_booking_through_the_rebooking_link_is_recorded(
    client: Client, recovery, django_capture_on_commit_callbacks
):
    page = client.get(f"/r/{recovery.token}/book/")
    # The last time offered, not the first: the first may lie right at the minimum lead
    # time, which the clock can pass between showing the page and sending the booking.
    start = page.context["slots"][-1]["start"]
    data = {
        "branch": "mitte",
        "service": "beratung",
        "start": start.isoformat(),
        "advisor": "",
        "name": "Lukas Meier",
        "email": "lukas@example.org",
        "phone": "",
        "language": "de",
        "consent": "on",
        "form_token": form_token_new(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/book/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    recovery.refresh_from_db()
    assert recovery.booked_appointment is not None
    assert JourneyEvent.objects.filter(kind=EventKind.RECOVERY_BOOKED).count() == 1

"""The booking form asks, optionally, what the customer wants to talk about."""

from __future__ import annotations

import pytest

from booking.models import Appointment
from tests.conftest import local, next_weekday
from tests.web.test_pages import details

pytestmark = pytest.mark.django_db


def test_the_booking_form_asks_for_a_topic(client, anna):
    start = local(next_weekday(2), 10).isoformat()
    response = client.get(
        "/", {"branch": "mitte", "service": "beratung", "start": start}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert 'name="topic"' in html
    assert "What would you like to talk about? (optional)" in html


def test_the_booking_form_keeps_the_topic_without_control_characters(client, anna):
    client.post("/book/", details(next_weekday(2), topic="Altersvorsorge\x1b\u202e planen"))
    assert Appointment.objects.get().topic == "Altersvorsorge planen"


def test_a_topic_over_500_characters_comes_back_with_a_message(client, anna):
    response = client.post(
        "/book/", details(next_weekday(2), topic="x" * 501), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert not Appointment.objects.exists()
    assert response.context["form"].errors["topic"]

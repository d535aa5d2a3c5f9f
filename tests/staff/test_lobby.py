"""The lobby screen keeps the day's last calls in sight, in the language set for the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Ticket
from booking.presenters.floor import display_payload
from booking.services import queue
from tests.booking.floor.conftest import on_duty_all_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(branch, service, anna, jonas):
    on_duty_all_week(anna, branch)
    on_duty_all_week(jonas, branch)
    return branch


def call(branch, service, advisor, at: dt.datetime, *, finish: bool = False) -> Ticket:
    queue.walk_in_take(branch=branch, service=service, now=at)
    ticket = queue.ticket_call_next(advisor=advisor, branch=branch, now=at)
    if finish:
        queue.ticket_start(ticket=ticket, advisor=advisor, now=at)
        queue.ticket_finish(ticket=ticket, advisor=advisor, now=at + dt.timedelta(minutes=1))
    return ticket


def test_recent_calls_stay_after_the_visit_began_newest_first(desk, service, anna, jonas):
    now = timezone.now()
    first = call(desk, service, anna, now - dt.timedelta(minutes=20), finish=True)
    second = call(desk, service, jonas, now - dt.timedelta(minutes=5))
    recent = display_payload(desk, now)["recent"]
    assert [r["number"] for r in recent] == [second.number, first.number]
    assert [r["current"] for r in recent] == [True, False]
    assert recent[1]["location"] == "Raum 2"


def test_the_lobby_keeps_the_last_six_calls(desk, service, anna):
    now = timezone.now()
    numbers = [
        call(desk, service, anna, now - dt.timedelta(minutes=60 - 5 * n), finish=True).number
        for n in range(8)
    ]
    recent = display_payload(desk, now)["recent"]
    assert [r["number"] for r in recent] == numbers[::-1][:6]


def test_the_current_calls_keep_their_documented_shape(desk, service, anna, jonas):
    now = timezone.now()
    call(desk, service, anna, now - dt.timedelta(minutes=20), finish=True)
    current = call(desk, service, jonas, now - dt.timedelta(minutes=5))
    body = display_payload(desk, now)
    assert [c["number"] for c in body["called"]] == [current.number]
    assert set(body["called"][0]) == {"number", "location", "called_at"}


def test_a_transferred_number_is_listed_once_with_its_latest_call(desk, service, anna, jonas):
    now = timezone.now()
    ticket = call(desk, service, anna, now - dt.timedelta(minutes=20))
    queue.ticket_start(ticket=ticket, advisor=anna, now=now - dt.timedelta(minutes=19))
    moved = queue.ticket_transfer(
        ticket=ticket, to_advisor=jonas, by=anna, now=now - dt.timedelta(minutes=10)
    )
    queue.ticket_call(ticket=moved, advisor=jonas, now=now - dt.timedelta(minutes=2))
    recent = display_payload(desk, now)["recent"]
    assert [(r["number"], r["location"]) for r in recent] == [(ticket.number, "Raum 3")]


def test_the_api_answers_the_recent_calls_too(api, desk, service, anna):
    ticket = call(desk, service, anna, timezone.now() - dt.timedelta(minutes=3), finish=True)
    body = api.get("/api/v1/branches/mitte/display/").json()
    assert body["called"] == []
    assert body["recent"][0]["number"] == ticket.number
    assert set(body["recent"][0]) == {"number", "location", "called_at", "current"}


def test_an_empty_lobby_says_so(client, desk):
    html = client.get("/display/mitte/?lang=en").content.decode()
    assert "No numbers called yet today." in html
    assert 'id="no-calls" hidden' not in html


def test_the_screen_speaks_the_language_in_its_address_not_its_browsers(client, desk):
    english = client.get("/display/mitte/?lang=en", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert '<html lang="en">' in english.content.decode()
    assert english["Content-Language"] == "en"
    german = client.get("/display/mitte/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="de">' in german.content.decode()
    assert english.content.decode().count("Please keep your ticket number ready") == 1


def test_an_unknown_language_falls_back_to_the_branchs_default(client, desk):
    html = client.get("/display/mitte/?lang=xx").content.decode()
    assert '<html lang="de">' in html

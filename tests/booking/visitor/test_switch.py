"""A late advisor's visitor may see the next free colleague instead, from the phone."""

from __future__ import annotations

import pytest

from booking.models import AdvisorStatus, EventKind, JourneyEvent, Ticket, TicketStatus
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk
from tests.booking.floor.conftest import on_duty_all_week
from tests.conftest import make_advisor

from .conftest import status_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(device, make_appointment, anna):
    """Lukas waits for Anna, who runs about ten minutes late (as the desk's API sets it)."""
    ticket = checkin_at_kiosk(device=device, code=make_appointment(minutes=5).code).ticket
    anna.late_minutes = 10
    anna.save(update_fields=["late_minutes"])
    return {"id": ticket.id, "status_url": f"x/t/{ticket.status_token}/", "number": ticket.number}


def switch(api, visit):
    return api.post(status_path(visit) + "switch/")


def test_the_status_says_the_advisor_runs_late_and_offers_a_colleague(api, visit, jonas):
    body = api.get(status_path(visit), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["advisor_late_minutes"] == 10
    assert body["can_switch"] is True
    assert body["texts"]["late"] == "Your advisor runs about 10 minutes late."


def test_switching_sends_the_visitor_to_a_colleague_keeping_number_and_link(api, visit, jonas):
    response = switch(api, visit)
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"], body["location"]) == (
        visit["number"],
        "waiting",
        "Raum 3",
    )
    assert body["advisor_late_minutes"] is None
    current = Ticket.objects.get(transferred_from_id=visit["id"])
    assert current.advisor == jonas


def test_switching_is_a_journey_event_on_the_web(api, visit, jonas):
    switch(api, visit)
    event = JourneyEvent.objects.get(kind=EventKind.SWITCHED)
    assert event.channel == "web"
    assert not JourneyEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()


def test_a_free_colleague_comes_before_a_busy_one(api, visit, jonas, branch, service):

    kai = on_duty_all_week(make_advisor(branch, [service], "Kai Busy", location="Raum 9"), branch)
    kai.status = AdvisorStatus.BUSY
    kai.save()
    jonas.status = AdvisorStatus.AVAILABLE
    jonas.save()
    assert switch(api, visit).json()["location"] == "Raum 3"


def test_switching_twice_answers_the_first_switch(api, visit, jonas):
    first = switch(api, visit)
    second = switch(api, visit)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert Ticket.objects.filter(status=TicketStatus.TRANSFERRED).count() == 1


def test_no_colleague_offering_the_service_is_409(api, visit):
    response = switch(api, visit)
    assert response.status_code == 409
    assert response.json()["code"] == "no_colleague"
    assert response.json()["detail"]


def test_an_advisor_on_time_is_409(api, visit, anna, jonas):
    anna.late_minutes = None
    anna.save(update_fields=["late_minutes"])
    response = switch(api, visit)
    assert (response.status_code, response.json()["code"]) == (409, "not_late")


def test_a_called_visitor_cannot_switch(api, visit, anna, jonas, branch):
    queue.ticket_call(ticket=Ticket.objects.get(id=visit["id"]), advisor=anna)
    response = switch(api, visit)
    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")


def test_a_late_colleague_is_not_offered(api, visit, jonas):
    jonas.late_minutes = 5
    jonas.save(update_fields=["late_minutes"])
    assert api.get(status_path(visit)).json()["can_switch"] is False
    assert switch(api, visit).json()["code"] == "no_colleague"

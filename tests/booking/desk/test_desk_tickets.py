"""Walk-in tickets issued at the desk: contact on the ticket, channel desk, one advisor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.models import Absence, Channel, EventKind, JourneyEvent, Ticket
from booking.services import queue

pytestmark = pytest.mark.django_db

URL = "/api/v1/branches/mitte/tickets/"


def issue(api, **body):
    return api.post(URL, {"service": "beratung", **body}, format="json")


def test_the_desk_issues_a_walk_in_ticket_with_the_visitors_contact(staff_api, anna):
    response = issue(staff_api, name="Erika Muster", phone="+49 170 7654321")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["number"]) == ("walk_in", "waiting", "A001")
    assert body["position"] == 1
    ticket = Ticket.objects.get(id=body["id"])
    assert (ticket.contact_name, ticket.contact_phone) == ("Erika Muster", "+49 170 7654321")
    assert ticket.channel == Channel.DESK


def test_name_and_phone_are_optional(staff_api, anna):
    response = issue(staff_api)
    assert response.status_code == 201
    assert response.json()["customer"] is None


def test_staff_see_the_name_the_visitor_gave(staff_api, anna):
    issue(staff_api, name="Erika Muster")
    waiting = staff_api.get("/api/v1/branches/mitte/queue/").json()["waiting"]
    assert waiting[0]["customer"] == {"id": None, "name": "Erika Muster"}


def test_the_journey_records_the_ticket_as_issued_at_the_desk(staff_api, anna):
    ticket_id = issue(staff_api).json()["id"]
    event = JourneyEvent.objects.get(ticket_id=ticket_id, kind=EventKind.TICKET_ISSUED)
    assert event.channel == Channel.DESK


def test_a_ticket_for_one_advisor_waits_for_that_advisor_only(staff_api, anna, jonas, branch):
    ticket_id = issue(staff_api, advisor=jonas.id).json()["id"]
    assert Ticket.objects.get(id=ticket_id).advisor == jonas
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None
    assert queue.ticket_call_next(advisor=jonas, branch=branch).id == ticket_id


def test_an_advisor_who_does_not_offer_the_service_is_400(staff_api, anna, jonas, service):
    jonas.services.remove(service)
    response = issue(staff_api, advisor=jonas.id)
    assert response.status_code == 400
    assert "advisor" in response.json()["errors"]


def test_an_advisor_who_is_away_is_409(staff_api, anna, jonas):
    now = timezone.now()
    Absence.objects.create(
        advisor=jonas, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1)
    )
    response = issue(staff_api, advisor=jonas.id)
    assert response.status_code == 409
    assert response.json()["code"] == "advisor_away"


def test_with_nobody_offering_the_service_now_it_is_409(staff_api, anna):
    anna.working_hours.all().delete()
    response = issue(staff_api)
    assert response.status_code == 409
    assert response.json()["code"] == "service_closed"


def test_a_phone_that_is_no_number_is_400(staff_api, anna):
    response = issue(staff_api, phone="call me maybe")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]


def test_a_name_with_a_bidi_override_is_400(staff_api, anna):
    response = issue(staff_api, name="Erika \u202eretsuM")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_an_unknown_service_is_400(staff_api, anna):
    assert issue(staff_api, service="nothing").status_code == 400


def test_an_advisor_of_another_branch_gets_404(stranger_api, anna):
    assert issue(stranger_api).status_code == 404
    assert not Ticket.objects.exists()

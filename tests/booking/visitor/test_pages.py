"""The visitor's pages with Django's test client: status, leaving, switching, joining."""

from __future__ import annotations

import re
import uuid

import pytest

from booking.models import Ticket, TicketStatus
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(branch, service, anna) -> Ticket:
    return queue.walk_in_take(branch=branch, service=service)


def page(client, ticket, suffix: str = "", **headers):
    return client.get(f"/t/{ticket.status_token}/{suffix}", **headers)


def test_the_status_page_shows_number_service_place_and_estimate(client, ticket, service):
    html = page(client, ticket, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ticket.number in html
    assert "Advice" in html
    assert "You are next." in html
    assert 'lang="en"' in html


def test_the_status_page_speaks_german_by_default(client, ticket):
    html = page(client, ticket).content.decode()
    assert 'lang="de"' in html
    assert "Beratung" in html


def test_the_status_page_never_shows_a_name(client, branch, service, anna):
    ticket = queue.walk_in_take(branch=branch, service=service)
    Ticket.objects.filter(id=ticket.id).update(contact_name="Lukas Meier")
    html = page(client, ticket).content.decode()
    assert "Lukas" not in html
    assert "Anna" not in html


def test_the_status_page_is_private_to_the_link(client, ticket):
    response = page(client, ticket)
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_without_javascript_the_waiting_page_refreshes_itself(client, ticket):
    html = page(client, ticket).content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="30"></noscript>', html)


def test_once_called_the_page_says_where_to_go_and_stops_refreshing(client, ticket, anna, branch):
    queue.ticket_call_next(advisor=anna, branch=branch)
    html = page(client, ticket, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Please go to Raum 2 now." in html
    assert 'http-equiv="refresh"' not in html


def test_an_unknown_link_is_a_404_page(client, db):
    assert client.get("/t/unknown/").status_code == 404


def test_leaving_asks_first(client, ticket):
    html = page(client, ticket, "leave/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Yes, leave the queue" in html
    assert Ticket.objects.get(id=ticket.id).status == TicketStatus.WAITING


def test_leaving_confirmed_ends_on_the_status_page(client, ticket):
    response = client.post(f"/t/{ticket.status_token}/leave/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{ticket.status_token}/"
    assert Ticket.objects.get(id=ticket.id).status == TicketStatus.LEFT


def test_a_called_visitor_leaving_reads_why_not(client, ticket, anna, branch):
    queue.ticket_call_next(advisor=anna, branch=branch)
    response = client.post(f"/t/{ticket.status_token}/leave/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "has been called already" in response.content.decode()


@pytest.fixture
def late_visit(device, make_appointment, anna):
    ticket = checkin_at_kiosk(device=device, code=make_appointment(minutes=5).code).ticket
    anna.late_minutes = 10
    anna.save(update_fields=["late_minutes"])
    return ticket


def test_a_late_advisors_visitor_is_offered_a_colleague(client, late_visit, jonas):
    html = page(client, late_visit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your advisor runs about 10 minutes late." in html
    assert re.search(r'<form method="post" action="[^"]*/switch/" class="ticket__action"', html)
    assert 'data-when="can_switch" hidden' not in html


def test_switching_from_the_page_ends_on_the_status_page(client, late_visit, jonas):
    response = client.post(f"/t/{late_visit.status_token}/switch/")
    assert response["Location"] == f"/t/{late_visit.status_token}/?switched=1"
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Raum 3" in html


def test_switching_without_a_colleague_reads_why_not(client, late_visit):
    response = client.post(f"/t/{late_visit.status_token}/switch/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "No colleague offers this service" in response.content.decode()


def join_form(**fields):
    return {
        "branch": "mitte",
        "service": "beratung",
        "name": "Lukas Meier",
        "phone": "",
        "email": "",
        "language": "de",
        "client_id": str(uuid.uuid4()),
        **fields,
    }


def test_the_front_door_offers_joining_the_queue(client, branch):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/queue/?branch=mitte" in html
    assert "Join the queue now" in html


def test_the_join_page_offers_the_branchs_walk_in_services(client, anna):
    html = client.get("/queue/?branch=mitte", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="beratung"' in html
    assert 'name="client_id"' in html


def test_joining_on_the_page_ends_on_the_status_page(client, anna):
    response = client.post("/queue/", join_form())
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/t/{ticket.status_token}/"
    assert (ticket.channel, ticket.contact_name) == ("web", "Lukas Meier")


def test_a_resent_join_form_takes_one_number(client, anna):
    form = join_form()
    first = client.post("/queue/", form)
    second = client.post("/queue/", form)
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1


def test_a_name_with_a_bidi_override_is_refused_on_the_page(client, anna):
    response = client.post(
        "/queue/", join_form(name="Lukas\u202eremeiM"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "cannot be used in a name" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_page_says_when_the_branch_takes_no_remote_queue(client, anna, branch):
    branch.remote_queue = False
    branch.save()
    response = client.post("/queue/", join_form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "takes no queue sign-ups from outside" in response.content.decode()


def test_the_page_says_when_nobody_offers_the_service(client, branch, service):
    response = client.post("/queue/", join_form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "Nobody offers this service right now" in response.content.decode()


def test_the_join_page_is_throttled_with_the_bookings(client, anna, settings):
    settings.THROTTLES = {**settings.THROTTLES, "booking": "1/60"}
    client.post("/queue/", join_form())
    response = client.post("/queue/", join_form())
    assert response.status_code == 429
    assert response["Retry-After"]


def test_without_a_branch_the_join_page_lists_branches(client, branch):
    html = client.get("/queue/").content.decode()
    assert "/queue/?branch=mitte" in html

"""The status link: on every ticket answer, and what it tells (never a name)."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from django.urls import reverse

from booking.models import Ticket
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk

from .conftest import status_path

pytestmark = pytest.mark.django_db

STATUS_KEYS = {
    "number",
    "status",
    "position",
    "estimated_wait_minutes",
    "location",
    "called_at",
    "branch",
    "service",
}


def walk_in(kiosk) -> dict:
    response = kiosk.post("/api/v1/kiosk/tickets/", {"service": "beratung"}, format="json")
    assert response.status_code == 201
    return response.json()


def test_a_kiosk_ticket_answer_carries_an_absolute_status_link(kiosk, anna):
    ticket = walk_in(kiosk)
    token = Ticket.objects.get(id=ticket["id"]).status_token
    assert ticket["status_url"] == f"{settings.SITE_URL}/t/{token}/"
    assert reverse("ticket-status-page", args=[token]) == f"/t/{token}/"


def test_the_status_token_holds_at_least_128_bits(kiosk, anna):
    token = Ticket.objects.get(id=walk_in(kiosk)["id"]).status_token
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128


def test_a_check_in_answer_carries_the_status_link(kiosk, make_appointment):
    answer = kiosk.post(
        "/api/v1/kiosk/check-in/", {"code": make_appointment(minutes=20).code}, format="json"
    ).json()
    assert answer["ticket"]["status_url"].startswith(f"{settings.SITE_URL}/t/")


def test_the_status_answers_number_place_estimate_branch_and_service(api, kiosk, anna):
    ticket = walk_in(kiosk)
    body = api.get(status_path(ticket), HTTP_ACCEPT_LANGUAGE="en").json()
    assert set(body) >= STATUS_KEYS
    assert body["number"] == ticket["number"]
    assert (body["status"], body["position"]) == ("waiting", 1)
    assert body["branch"] == {"slug": "mitte", "name": "Filiale Mitte"}
    assert body["service"] == {"slug": "beratung", "name": "Advice"}
    assert body["texts"]["message"] == "You are next."


def test_the_status_never_shows_a_name(api, join, anna):
    body = api.get(status_path(join("Lukas Meier", email="lukas@example.org")))
    assert "Lukas" not in body.content.decode()
    assert "Anna" not in body.content.decode()


def test_the_status_is_not_stored_by_caches(api, kiosk, anna):
    response = api.get(status_path(walk_in(kiosk)))
    assert response["Cache-Control"] == "no-store"


def test_an_unknown_link_answers_404_json(api, db):
    response = api.get("/api/v1/tickets/status/not-a-token/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_the_place_moves_up_when_the_one_ahead_is_called(api, kiosk, anna):
    walk_in(kiosk)
    second = walk_in(kiosk)
    assert api.get(status_path(second)).json()["position"] == 2
    queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    assert api.get(status_path(second)).json()["position"] == 1


def test_once_called_the_status_says_where_to_go(api, kiosk, anna):
    ticket = walk_in(kiosk)
    queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    body = api.get(status_path(ticket), HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["status"], body["location"], body["position"]) == ("called", "Raum 2", None)
    assert body["called_at"]
    assert body["texts"]["message"] == "Please go to Raum 2 now."


def test_the_first_link_follows_the_visit_through_a_transfer(api, kiosk, anna, jonas):
    ticket = walk_in(kiosk)
    successor = queue.ticket_transfer(ticket=Ticket.objects.get(id=ticket["id"]), to_advisor=jonas)
    body = api.get(status_path(ticket)).json()
    assert (body["number"], body["status"], body["location"]) == (
        ticket["number"],
        "waiting",
        "Raum 3",
    )
    assert successor.status_token is None  # one link per visit


def test_a_successors_answer_carries_the_first_tickets_link(staff_api, branch, anna, jonas):
    ticket = queue.walk_in_take(branch=branch, service=anna.services.get())
    answer = staff_api.post(
        f"/api/v1/tickets/{ticket.id}/transfer/", {"advisor": jonas.id}, format="json"
    ).json()
    assert answer["id"] != ticket.id
    assert answer["status_url"] == f"{settings.SITE_URL}/t/{ticket.status_token}/"


def test_a_walk_in_is_promised_the_estimate_it_was_shown(kiosk, anna):
    walk_in(kiosk)
    second = walk_in(kiosk)
    assert second["promised_wait_minutes"] == second["estimated_wait_minutes"] == 30


def test_the_promise_stays_while_the_estimate_moves(api, kiosk, anna):
    walk_in(kiosk)
    second = walk_in(kiosk)
    queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    body = api.get(status_path(second)).json()
    assert body["promised_wait_minutes"] == 30
    assert body["estimated_wait_minutes"] != 30


def test_an_appointment_is_promised_its_start(device, make_appointment):
    ticket = checkin_at_kiosk(device=device, code=make_appointment(minutes=20).code).ticket
    ticket.refresh_from_db()
    assert ticket.promised_wait_minutes in (19, 20)


def test_a_late_arrival_is_promised_the_walk_in_estimate(device, make_appointment, anna):
    ticket = checkin_at_kiosk(device=device, code=make_appointment(minutes=-30).code).ticket
    ticket.refresh_from_db()
    assert (ticket.kind, ticket.promised_wait_minutes) == ("walk_in", 0)


def test_the_shared_read_for_live_pages_agrees_with_each_status(
    branch, service, anna, jonas, device, make_appointment
):
    from django.utils import timezone

    from booking.presenters.visitor import status_payload
    from booking.selectors.visitor import visit_by_token, waiting_entries

    for _ in range(3):
        queue.walk_in_take(branch=branch, service=service)
    for minutes, advisor in ((10, anna), (25, jonas), (40, anna)):
        checkin_at_kiosk(device=device, code=make_appointment(minutes, advisor=advisor).code)
    anna.late_minutes = 10
    anna.save(update_fields=["late_minutes"])
    now = timezone.now()
    entries = waiting_entries(branch.id, now)
    for ticket in Ticket.objects.filter(status="waiting"):
        status = status_payload(visit_by_token(ticket.status_token), now)
        entry = entries[ticket.number]
        assert (entry.place.position, entry.place.estimated_wait_minutes) == (
            status["position"],
            status["estimated_wait_minutes"],
        )
        assert (entry.late_minutes, entry.can_switch) == (
            status["advisor_late_minutes"],
            status["can_switch"],
        )


def test_the_api_documents_the_visitors_paths(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {
        "/api/v1/tickets/status/{token}/",
        "/api/v1/tickets/status/{token}/leave/",
        "/api/v1/tickets/status/{token}/switch/",
        "/api/v1/branches/{branch}/queue/join/",
    } <= set(paths)

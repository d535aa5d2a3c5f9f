"""The staff API: queue, call-next, ticket actions, stats, alerts, permissions."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from booking.models import Advisor, Ticket, TicketStatus
from booking.services import queue
from booking.services.ratings import rating_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(branch, service, anna):
    return queue.walk_in_take(branch=branch, service=service)


def test_the_queue_lists_waiting_serving_and_advisors(staff_api, waiting, anna):
    body = staff_api.get("/api/v1/branches/mitte/queue/").json()
    assert [t["number"] for t in body["waiting"]] == ["A001"]
    assert body["serving"] == []
    mine = next(a for a in body["advisors"] if a["id"] == anna.id)
    assert (mine["name"], mine["status"], mine["location"]) == ("Anna Weber", "offline", "Raum 2")


def test_call_next_returns_the_called_ticket(staff_api, waiting, anna):
    response = staff_api.post("/api/v1/branches/mitte/call-next/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"]) == (waiting.id, "called")
    assert body["advisor"] == {"id": anna.id, "name": "Anna Weber"}


def test_call_next_with_nobody_waiting_is_204(staff_api, branch):
    assert staff_api.post("/api/v1/branches/mitte/call-next/").status_code == 204


@pytest.mark.parametrize("action", ["start", "finish"])
def test_a_wrong_transition_is_409(staff_api, waiting, action):
    response = staff_api.post(f"/api/v1/tickets/{waiting.id}/{action}/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_a_visit_is_called_started_and_finished(staff_api, waiting):
    for action, status in (("call", "called"), ("start", "serving"), ("finish", "done")):
        response = staff_api.post(f"/api/v1/tickets/{waiting.id}/{action}/")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status


def test_no_show_marks_the_ticket(staff_api, waiting):
    staff_api.post(f"/api/v1/tickets/{waiting.id}/call/")
    assert staff_api.post(f"/api/v1/tickets/{waiting.id}/no-show/").json()["status"] == "no_show"


def test_transfer_to_a_colleague(staff_api, waiting, jonas):
    response = staff_api.post(
        f"/api/v1/tickets/{waiting.id}/transfer/", {"advisor": jonas.id}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["advisor"]["id"] == jonas.id
    assert response.json()["number"] == waiting.number
    assert Ticket.objects.get(id=waiting.id).status == TicketStatus.TRANSFERRED


def test_transfer_without_a_target_is_400(staff_api, waiting):
    response = staff_api.post(f"/api/v1/tickets/{waiting.id}/transfer/", {}, format="json")
    assert response.status_code == 400


def test_an_advisor_sets_their_own_status(staff_api, anna):
    response = staff_api.post(
        "/api/v1/advisors/me/status/", {"status": "paused", "reason": "lunch"}, format="json"
    )
    assert response.json()["status"] == "paused"
    assert Advisor.objects.get(id=anna.id).status == "paused"


def test_another_branchs_queue_is_hidden(staff_api, other_branch):
    assert staff_api.get("/api/v1/branches/altona/queue/").status_code == 404
    assert staff_api.post("/api/v1/branches/altona/call-next/").status_code == 404


def test_another_branchs_ticket_is_hidden(staff_api, other_branch, service):
    from tests.booking.floor.conftest import on_duty_all_week
    from tests.conftest import make_advisor

    service.branches.add(other_branch)
    on_duty_all_week(make_advisor(other_branch, [service], "Olaf"), other_branch)
    foreign = queue.walk_in_take(branch=other_branch, service=service)
    assert staff_api.post(f"/api/v1/tickets/{foreign.id}/call/").status_code == 404


def test_anonymous_users_get_no_queue(api, branch):
    assert api.get("/api/v1/branches/mitte/queue/").status_code in (401, 403)


def test_the_staff_token_login_works_and_is_throttled(api, django_user_model, branch, settings):
    django_user_model.objects.create_user("anna", password="right-password")
    ok = api.post(
        "/api/v1/auth/token/", {"username": "anna", "password": "right-password"}, format="json"
    )
    assert ok.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
    settings.THROTTLES = {**settings.THROTTLES, "token_login": "3/60"}
    codes = [
        api.post(
            "/api/v1/auth/token/", {"username": "anna", "password": "wrong"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes[:2] == [400, 400] and codes[-1] == 429


def test_stats_of_the_day(staff_api, branch, service, anna):
    ticket = queue.walk_in_take(branch=branch, service=service)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    queue.ticket_finish(ticket=queue.ticket_start(ticket=ticket, advisor=anna), advisor=anna)
    queue.walk_in_take(branch=branch, service=service)
    body = staff_api.get("/api/v1/branches/mitte/stats/").json()
    assert body["date"] == branch.local_date(timezone.now()).isoformat()
    assert body["tickets"]["total"] == 2
    assert body["tickets"]["served"] == 1
    assert body["tickets"]["walk_in"] == 2
    assert body["wait_minutes"]["avg"] is not None
    assert set(body["ratings"]["histogram"]) == {"1", "2", "3", "4", "5"}


def test_stats_with_a_bad_date_is_400(staff_api, branch):
    assert staff_api.get("/api/v1/branches/mitte/stats/?date=yesterday").status_code == 400


def test_the_lobby_display_shows_numbers_and_places_only(api, waiting, anna, branch):
    queue.ticket_call_next(advisor=anna, branch=branch)
    body = api.get("/api/v1/branches/mitte/display/").json()
    assert body["called"][0]["number"] == "A001"
    assert body["called"][0]["location"] == "Raum 2"
    assert set(body["called"][0]) == {"number", "location", "called_at"}
    assert body["waiting"] == 0


@pytest.fixture
def low_rating(branch):
    from booking.services.devices import device_create

    device, _ = device_create(branch=branch, name="Umfrage")
    rating, _ = rating_submit(device=device, score=1, client_id=uuid.uuid4())
    return rating


def test_managers_list_acknowledge_and_resolve_alerts(manager_api, low_rating):
    alerts = manager_api.get("/api/v1/branches/mitte/alerts/?status=open").json()["results"]
    assert (
        alerts[0]["score"] == 1 and alerts[0]["status"] == "open" and alerts[0]["overdue"] is False
    )
    alert_id = alerts[0]["id"]
    assert manager_api.post(f"/api/v1/alerts/{alert_id}/acknowledge/").json()["owner"] == "boss"
    resolved = manager_api.post(
        f"/api/v1/alerts/{alert_id}/resolve/", {"note": "Called back"}, format="json"
    ).json()
    assert resolved["status"] == "resolved"


def test_advisors_who_do_not_manage_see_no_alerts(staff_api, low_rating):
    assert staff_api.get("/api/v1/branches/mitte/alerts/").status_code == 403

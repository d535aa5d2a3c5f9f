"""A visitor called to one desk is that desk's: no colleague starts, finishes, marks or
transfers them (403), so two desks never serve one visitor. Managers may."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from booking.models import TicketStatus
from booking.services import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(branch, service, anna, jonas):
    ticket = queue.walk_in_take(branch=branch, service=service)
    return queue.ticket_call(ticket=ticket, advisor=anna)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def jonas_api(django_user_model, jonas):
    jonas.user = django_user_model.objects.create_user("jonas")
    jonas.save()
    return client_for(jonas.user)


@pytest.fixture
def manager_api(django_user_model, branch):
    user = django_user_model.objects.create_user("boss")
    branch.managers.add(user)
    return client_for(user)


@pytest.mark.parametrize("action", ["start", "no-show"])
def test_a_colleague_cannot_take_a_visitor_called_to_another_desk(jonas_api, called, action):
    response = jonas_api.post(f"/api/v1/tickets/{called.id}/{action}/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_visitor"
    called.refresh_from_db()
    assert called.status == TicketStatus.CALLED


def test_a_colleague_cannot_transfer_a_visitor_being_served_elsewhere(
    jonas_api, called, anna, jonas
):
    queue.ticket_start(ticket=called, advisor=anna)
    response = jonas_api.post(
        f"/api/v1/tickets/{called.id}/transfer/", {"advisor": jonas.id}, format="json"
    )
    assert response.status_code == 403


def test_a_colleague_cannot_finish_a_visit_served_elsewhere(jonas_api, called, anna):
    queue.ticket_start(ticket=called, advisor=anna)
    assert jonas_api.post(f"/api/v1/tickets/{called.id}/finish/").status_code == 403


def test_a_manager_may_mark_a_called_visitor_who_never_came(manager_api, called):
    response = manager_api.post(f"/api/v1/tickets/{called.id}/no-show/")
    assert response.status_code == 200
    assert response.json()["status"] == "no_show"


def test_the_desk_a_visitor_is_called_to_serves_them(staff_api, called):
    assert staff_api.post(f"/api/v1/tickets/{called.id}/start/").status_code == 200
    assert staff_api.post(f"/api/v1/tickets/{called.id}/finish/").status_code == 200


def test_a_waiting_visitor_may_be_transferred_by_any_desk(jonas_api, branch, service, jonas):
    ticket = queue.walk_in_take(branch=branch, service=service)
    response = jonas_api.post(
        f"/api/v1/tickets/{ticket.id}/transfer/", {"advisor": jonas.id}, format="json"
    )
    assert response.status_code == 200

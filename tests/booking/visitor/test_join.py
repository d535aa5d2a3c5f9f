"""Joining a walk-in queue from outside: the rules, the contact, and odd input."""

from __future__ import annotations

import uuid

import pytest

from booking.models import Customer, EventKind, JourneyEvent, Service, Ticket
from booking.services import queue

from .conftest import JOIN

pytestmark = pytest.mark.django_db


def post(api, **body):
    return api.post(JOIN, {"service": "beratung", "name": "Lukas Meier", **body}, format="json")


def test_joining_answers_a_ticket_with_its_status_link(join):
    ticket = join()
    assert ticket["status"] == "waiting"
    assert ticket["kind"] == "walk_in"
    assert ticket["position"] == 1
    assert ticket["status_url"].startswith("http")
    assert ticket["promised_wait_minutes"] == ticket["estimated_wait_minutes"]


def test_the_ticket_keeps_the_contact_and_was_taken_on_the_web(join):
    answer = join("Lukas Meier", phone="+49 170 1234567", email="lukas@example.org", language="en")
    ticket = Ticket.objects.get(id=answer["id"])
    assert (ticket.channel, ticket.contact_name, ticket.language) == ("web", "Lukas Meier", "en")
    assert (ticket.contact_phone, ticket.contact_email) == ("+49 170 1234567", "lukas@example.org")


def test_an_email_gives_the_visit_a_customer_journey(join):
    answer = join(email="lukas@example.org")
    customer = Customer.objects.get(email="lukas@example.org")
    event = JourneyEvent.objects.get(kind=EventKind.TICKET_ISSUED, ticket_id=answer["id"])
    assert (event.customer, event.channel) == (customer, "web")


def test_a_known_email_joins_the_existing_journey_without_renaming_it(join, db):
    customer = Customer.objects.create(name="Lukas Meier", email="lukas@example.org")
    join("L. M.", email="LUKAS@example.org")
    assert Ticket.objects.get().customer == customer
    customer.refresh_from_db()
    assert customer.name == "Lukas Meier"


def test_without_an_email_no_customer_is_needed(join):
    ticket = Ticket.objects.get(id=join(phone="+49 170 1234567")["id"])
    assert ticket.customer is None


def test_a_branch_without_the_remote_queue_refuses_409(api, anna, branch):
    branch.remote_queue = False
    branch.save()
    response = post(api)
    assert response.status_code == 409
    assert response.json()["code"] == "remote_queue_off"
    assert response.json()["detail"]


def test_nobody_on_duty_for_the_service_is_409(api, branch, service):
    response = post(api)
    assert (response.status_code, response.json()["code"]) == (409, "service_closed")


def test_a_service_without_walk_ins_is_400(api, anna, branch):
    service = Service.objects.create(slug="kredit", name="Kredit", walk_in=False)
    service.branches.add(branch)
    anna.services.add(service)
    response = post(api, service="kredit")
    assert response.status_code == 400
    assert "service" in response.json()["errors"]


@pytest.mark.parametrize(
    "name", ["Lukas\u202eremeiM", "Lukas\u2066Meier", "Lukas\x07Meier", "Lukas\nMeier", "   "]
)
def test_names_with_control_or_bidi_characters_are_refused(api, anna, name):
    response = post(api, name=name)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_a_bad_phone_or_email_is_400_with_errors(api, anna):
    response = post(api, phone="call me", email="not-an-address")
    assert response.status_code == 400
    assert {"phone", "email"} <= set(response.json()["errors"])


def test_an_unknown_branch_is_404_json(api, anna):
    response = api.post(
        "/api/v1/branches/nowhere/queue/join/", {"service": "beratung", "name": "L"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["detail"]


def test_the_same_client_id_again_answers_the_same_ticket(api, anna):
    client_id = str(uuid.uuid4())
    first = post(api, client_id=client_id)
    second = post(api, client_id=client_id)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Ticket.objects.count() == 1


def test_joining_is_throttled_like_bookings(api, anna, settings):
    settings.THROTTLES = {**settings.THROTTLES, "booking": "2/60"}
    assert [post(api).status_code for _ in range(3)] == [201, 201, 429]
    response = post(api)
    assert response.json()["detail"]
    assert response["Retry-After"]


def test_joining_counts_together_with_bookings(api, anna, settings):
    settings.THROTTLES = {**settings.THROTTLES, "booking": "1/60"}
    api.post("/api/v1/appointments/", {}, format="json")
    assert post(api).status_code == 429


def test_the_staff_queue_marks_who_joined_online(join, staff_api, branch, service):
    queue.walk_in_take(branch=branch, service=service)
    online = join()
    waiting = staff_api.get("/api/v1/branches/mitte/queue/").json()["waiting"]
    assert {t["id"]: t["remote"] for t in waiting}[online["id"]] is True
    assert [t["remote"] for t in waiting if t["id"] != online["id"]] == [False]
    assert {t["id"]: t["visitor_name"] for t in waiting}[online["id"]] == "Lukas Meier"


def test_the_admin_switches_the_remote_queue_per_branch(client, branch, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    html = client.get(f"/admin/booking/branch/{branch.id}/change/").content.decode()
    assert 'name="remote_queue"' in html


def test_contacts_on_tickets_of_past_days_are_forgotten(join):
    import datetime as dt

    from django.utils import timezone

    from booking.services import jobs

    ticket = Ticket.objects.get(id=join(phone="+49 170 1234567", email="l@example.org")["id"])
    assert jobs.forget_ticket_contacts(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert jobs.forget_ticket_contacts(now=timezone.now() + dt.timedelta(days=4)) == 1
    ticket.refresh_from_db()
    assert (ticket.contact_name, ticket.contact_phone, ticket.contact_email) == ("", "", "")


def test_a_client_id_used_at_another_branch_is_409(api, anna, other_branch, service):
    client_id = str(uuid.uuid4())
    post(api, client_id=client_id)
    other_branch.remote_queue = True
    other_branch.save()
    response = api.post(
        "/api/v1/branches/altona/queue/join/",
        {"service": "beratung", "name": "Lukas", "client_id": client_id},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "client_id_used")

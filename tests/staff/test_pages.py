"""Staff, manager and lobby pages render for the right people only."""

from __future__ import annotations

import pytest

from booking.services import queue
from tests.booking.floor.conftest import on_duty_all_week

pytestmark = pytest.mark.django_db


def test_the_staff_page_asks_for_a_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_a_staff_login_leads_to_the_workstation(client, django_user_model, anna, branch):
    user = django_user_model.objects.create_user("anna", password="right")
    anna.user = user
    anna.save()
    response = client.post("/staff/login/", {"username": "anna", "password": "right"}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/mitte/"
    assert "Anna Weber" in response.content.decode()


def test_a_wrong_password_shows_a_clear_message(client, db):
    response = client.post(
        "/staff/login/", {"username": "anna", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()


def test_the_workstation_shows_the_waiting_queue(anna_login, branch, service, anna):
    on_duty_all_week(anna, branch)
    queue.walk_in_take(branch=branch, service=service)
    response = anna_login.get("/staff/mitte/")
    assert response.status_code == 200
    assert '"number": "A001"' in response.content.decode()


def test_another_branchs_workstation_is_not_found(anna_login, other_branch):
    assert anna_login.get("/staff/altona/").status_code == 404


def test_an_advisor_who_does_not_manage_cannot_open_the_manager_page(anna_login, branch):
    assert anna_login.get("/manager/mitte/").status_code == 404


def test_a_manager_sees_the_manager_page(manager_login, branch):
    response = manager_login.get("/manager/mitte/")
    assert response.status_code == 200
    assert "kpi-waiting" in response.content.decode()


def test_a_manager_sees_their_branches_on_the_overview(manager_login, branch):
    response = manager_login.get("/staff/")
    assert response.status_code == 200
    assert "/manager/mitte/" in response.content.decode()


def test_the_lobby_screen_is_public_and_shows_no_names(client, branch, service, anna):
    on_duty_all_week(anna, branch)
    ticket = queue.walk_in_take(branch=branch, service=service)
    queue.ticket_call_next(advisor=anna, branch=branch)
    response = client.get("/display/mitte/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.number in html
    assert "Anna" not in html


def test_the_lobby_screen_of_an_unknown_branch_is_404(client, db):
    assert client.get("/display/nowhere/").status_code == 404


def test_every_staff_page_has_a_language_switch(anna_login, branch):
    html = anna_login.get("/staff/mitte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/i18n/setlang/"' in html


@pytest.fixture
def history(branch, service, anna):
    from booking.demo.history import generate_history

    branch.services.add(service)
    generate_history(branch, days=14, visits_per_day=20)


def test_the_manager_page_draws_funnel_and_satisfaction_charts(manager_login, history):
    html = manager_login.get("/manager/mitte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Funnel of appointments" in html
    # The trend, five satisfaction cuts, the share within target and the reasons.
    assert html.count('<svg class="chart"') == 8
    assert '<svg class="chart flow"' in html  # journeys as they ran
    assert "format=csv" in html


def test_a_bad_period_falls_back_and_says_so(manager_login, branch):
    response = manager_login.get(
        "/manager/mitte/?from=2026-05-01&to=2026-01-01", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Please choose a valid period" in response.content.decode()


def test_the_manager_finds_a_customer_and_reads_their_journey(manager_login, history):
    from booking.models import Customer

    person = Customer.objects.filter(appointments__isnull=False).first()
    surname = person.name.split()[-1]
    html = manager_login.get(f"/manager/mitte/?q={surname}&customer={person.id}").content.decode()
    assert person.email in html
    assert 'class="journey"' in html


def test_the_funnel_can_be_cut_by_service_and_channel_on_the_page(manager_login, history):
    everything = manager_login.get("/manager/mitte/").context["funnel"]["steps"][0]["count"]
    by_phone = manager_login.get("/manager/mitte/?channel=phone").context["funnel"]
    assert 0 < by_phone["steps"][0]["count"] < everything

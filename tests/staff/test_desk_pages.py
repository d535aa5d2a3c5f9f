"""The desk page, the workstation's status control and feedback, and the manager's
breaks, rendered for the right people."""

from __future__ import annotations

import pytest

from booking.services.advisors import advisor_status_set

pytestmark = pytest.mark.django_db


def test_the_desk_page_asks_for_a_login(client, branch):
    response = client.get("/staff/mitte/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_an_advisor_opens_the_desk_of_their_branch(anna_login, service):
    response = anna_login.get("/staff/mitte/desk/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search"' in html
    assert 'id="walkin-form"' in html and 'id="book-form"' in html
    assert 'value="phone"' in html and 'value="desk"' in html
    assert '<option value="beratung">' in html


def test_a_manager_opens_the_desk_too(manager_login):
    assert manager_login.get("/staff/mitte/desk/").status_code == 200


def test_another_branchs_desk_is_not_found(anna_login, other_branch):
    assert anna_login.get("/staff/altona/desk/").status_code == 404


def test_the_desk_page_speaks_german_and_english(anna_login, service):
    german = anna_login.get("/staff/mitte/desk/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = anna_login.get("/staff/mitte/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in german and '<html lang="en">' in english
    assert "Book on behalf of a customer" in english


def test_the_workstation_links_to_the_desk(anna_login):
    assert "/staff/mitte/desk/" in anna_login.get("/staff/mitte/").content.decode()


def test_the_staff_overview_links_to_the_desk(manager_login):
    assert "/staff/mitte/desk/" in manager_login.get("/staff/").content.decode()


def test_the_workstation_offers_a_pause_with_a_reason_and_running_late(anna_login):
    html = anna_login.get("/staff/mitte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for reason in ("lunch", "admin", "training", "other"):
        assert f'<option value="{reason}"' in html
    assert 'id="late-minutes"' in html
    assert 'id="feedback-title"' in html


def test_the_workstation_explains_what_offline_means(anna_login):
    html = anna_login.get("/staff/mitte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nobody is routed to you" in html


def test_the_workstation_starts_with_the_advisors_late_minutes_and_reason(anna_login, anna):
    advisor_status_set(advisor=anna, status="paused", reason="training")
    advisor_status_set(advisor=anna, status="running_late", minutes=10)
    initial = anna_login.get("/staff/mitte/").context["initial"]["advisor"]
    assert (initial["status"], initial["pause_reason"], initial["late_minutes"]) == (
        "paused",
        "training",
        10,
    )


def test_the_manager_page_has_breaks_by_reason_and_advisor(manager_login, anna):
    advisor_status_set(advisor=anna, status="paused", reason="lunch")
    response = manager_login.get("/manager/mitte/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'id="pauses"' in html
    assert "Lunch" in html and "Training" in html
    assert response.context["initial"]["stats"]["pauses_by_advisor"][0]["advisor"]["id"] == anna.id


def test_the_funnel_can_be_cut_by_phone_and_desk_bookings(manager_login):
    html = manager_login.get("/manager/mitte/").content.decode()
    assert '<option value="phone"' in html and '<option value="desk"' in html


def test_logging_out_sets_the_advisor_offline(anna_login, anna):
    advisor_status_set(advisor=anna, status="available")
    anna_login.post("/staff/logout/")
    anna.refresh_from_db()
    assert anna.status == "offline"

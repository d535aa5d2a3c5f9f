"""In a real Chromium at phone size: a kiosk walk-in follows their turn on the status
page, which says where to go the moment they are called; leaving and joining too."""

from __future__ import annotations

import pytest
import requests
from rest_framework.authtoken.models import Token

from booking.models import Ticket, TicketStatus
from booking.services.devices import device_create
from tests.browser import PHONE, axe_violations, broken_words, shot, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def floor(branch, service, anna, jonas, django_user_model):
    user = django_user_model.objects.create_user("anna")
    anna.user = user
    anna.save()
    _device, device_token = device_create(branch=branch, name="Eingang")
    return {"device": device_token, "anna": Token.objects.create(user=user).key}


def kiosk_walk_in(url: str, floor) -> dict:
    response = requests.post(
        f"{url}/api/v1/kiosk/tickets/",
        json={"service": "beratung"},
        headers={"Authorization": f"Device {floor['device']}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def status_page(url: str, ticket: dict) -> str:
    return f"{url}/t/{ticket['status_url'].rstrip('/').rsplit('/', 1)[1]}/"


def check(page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not too_wide(page), name
    assert broken_words(page) == [], name
    shot(page, f"visitor/{name}")


def test_the_status_page_says_where_to_go_within_a_second_of_the_call(asgi_server, browser, floor):
    kiosk_walk_in(asgi_server, floor)
    ticket = kiosk_walk_in(asgi_server, floor)
    page = browser.new_page(viewport=PHONE, locale="de-DE")
    page.goto(status_page(asgi_server, ticket))
    page.wait_for_selector("#connection[data-state=live]")
    assert page.inner_text(".ticket__number") == ticket["number"]
    assert page.inner_text("[data-text=position]") == "2"
    check(page, "status-waiting-de")
    page.evaluate("window.notReloaded = true")

    def call_next() -> None:
        response = requests.post(
            f"{asgi_server}/api/v1/branches/mitte/call-next/",
            headers={"Authorization": f"Token {floor['anna']}"},
            timeout=10,
        )
        assert response.status_code == 200

    call_next()  # the first visitor: this page moves up
    page.wait_for_function(
        "() => document.querySelector('[data-text=position]').textContent === '1'"
    )
    requests.post(
        f"{asgi_server}/api/v1/tickets/{Ticket.objects.get(status='called').id}/no-show/",
        headers={"Authorization": f"Token {floor['anna']}"},
        timeout=10,
    )
    call_next()
    page.wait_for_selector("#ticket[data-status=called]", timeout=1000)
    assert "Raum 2" in page.inner_text("[data-text=message]")
    assert page.evaluate("window.notReloaded") is True
    assert page.is_hidden("[data-when=can_leave]")
    check(page, "status-called-de")


def test_a_visitor_leaves_the_queue_from_the_page(asgi_server, browser, floor):
    ticket = kiosk_walk_in(asgi_server, floor)
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(status_page(asgi_server, ticket))
    page.click("text=Leave the queue")
    check(page, "leave-confirm-en")
    page.click("text=Yes, leave the queue")
    page.wait_for_selector("#ticket[data-status=left]")
    check(page, "status-left-en")
    assert Ticket.objects.get(id=ticket["id"]).status == TicketStatus.LEFT


def test_a_visitor_joins_from_the_front_door_and_follows_on_the_phone(asgi_server, browser, floor):
    page = browser.new_page(viewport=PHONE, locale="de-DE")
    page.goto(asgi_server)
    page.click("a[href='/queue/?branch=mitte']")
    check(page, "join-de")
    page.fill("#id_name", "Lukas Meier")
    page.fill("#id_phone", "+49 170 1234567")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#ticket")
    page.wait_for_selector("#connection[data-state=live]")
    assert "Lukas" not in page.inner_text("body")
    check(page, "status-joined-de")
    assert Ticket.objects.get().channel == "web"


def test_a_late_advisors_visitor_switches_to_a_colleague_on_the_page(
    asgi_server, browser, floor, make_appointment, anna
):
    response = requests.post(
        f"{asgi_server}/api/v1/kiosk/check-in/",
        json={"code": make_appointment(minutes=5).code},
        headers={"Authorization": f"Device {floor['device']}"},
        timeout=10,
    )
    ticket = response.json()["ticket"]
    anna.late_minutes = 10
    anna.save(update_fields=["late_minutes"])
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(status_page(asgi_server, ticket))
    assert "about 10 minutes late" in page.inner_text("[data-text=late]")
    check(page, "status-late-en")
    page.click("text=See the next free colleague instead")
    page.wait_for_selector(".notice--ok")
    assert "Raum 3" in page.inner_text("[data-text=message]")
    check(page, "status-switched-en")


def test_the_workstation_marks_a_visitor_who_joined_online(
    asgi_server, browser, floor, django_user_model
):
    user = django_user_model.objects.get(username="anna")
    user.set_password("anna-pw")
    user.save()
    requests.post(
        f"{asgi_server}/api/v1/branches/mitte/queue/join/",
        json={"service": "beratung", "name": "Lukas Meier"},
        timeout=10,
    )
    page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="en-US")
    page.goto(f"{asgi_server}/staff/login/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "anna-pw")
    page.click("#login-submit")
    page.wait_for_selector("#waiting .ticket--remote")
    assert "joined online, may not be here yet" in page.inner_text("#waiting")
    assert "Lukas Meier" in page.inner_text("#waiting")  # staff see whom to call
    shot(page, "visitor/workstation-remote-en")

"""In a real Chromium: a kiosk check-in appears on the advisor's page without reload,
and a call appears on the lobby screen."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests
from django.utils import timezone

from booking.models import Customer
from booking.services.devices import device_create
from tests.booking.floor.conftest import on_duty_all_week
from tests.browser import shot
from tests.support import booked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def floor(branch, service, anna, jonas, django_user_model):
    on_duty_all_week(anna, branch)
    on_duty_all_week(jonas, branch)
    user = django_user_model.objects.create_user(
        "anna", password="anna-pw", first_name="Anna", last_name="Weber"
    )
    anna.user = user
    anna.save()
    manager = django_user_model.objects.create_user("boss", password="boss-pw")
    branch.managers.add(manager)
    _device, token = device_create(branch=branch, name="Eingang")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    appointment = booked(
        branch=branch,
        service=service,
        advisor=anna,
        start=start,
        customer=Customer.objects.create(name="Lukas Meier", email="lukas@example.org"),
    )
    booked(
        branch=branch,
        service=service,
        advisor=anna,
        start=start - dt.timedelta(days=14),
        customer=appointment.customer,
        status="served",
    )
    return {"token": token, "appointment": appointment}


def login(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")


def test_a_kiosk_check_in_appears_live_and_a_call_reaches_the_lobby(asgi_server, browser, floor):
    staff = browser.new_page(viewport={"width": 1366, "height": 800}, locale="de-DE")
    login(staff, asgi_server, "anna", "anna-pw")
    staff.wait_for_url(f"{asgi_server}/staff/mitte/")
    staff.wait_for_selector("#connection[data-state=live]")
    lobby = browser.new_page(viewport={"width": 1920, "height": 1080})
    lobby.goto(f"{asgi_server}/display/mitte/")
    lobby.wait_for_selector("body[data-connection=live]")

    started = time.monotonic()
    response = requests.post(
        f"{asgi_server}/api/v1/kiosk/check-in/",
        json={"code": floor["appointment"].code},
        headers={"Authorization": f"Device {floor['token']}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    staff.wait_for_selector("#mine .ticket", timeout=1000)
    assert time.monotonic() - started < 1.5
    assert "Lukas Meier" in staff.inner_text("#mine")
    assert "Lukas Meier ist angekommen" in staff.inner_text("#announce") or staff.inner_text(
        "#announce"
    )
    shot(staff, "staff/workstation-arrived-de")

    staff.click("[data-action=call-next]")
    number = response.json()["ticket"]["number"]
    # The call goes through the staff API first, so the lobby gets a little longer.
    lobby.wait_for_function(f"() => document.body.dataset.lastCalled === {number!r}", timeout=3000)
    assert number in lobby.inner_text("#called")
    assert "Raum 2" in lobby.inner_text("#called")
    assert "Lukas" not in lobby.inner_text("body")
    shot(lobby, "staff/lobby-called")
    staff.wait_for_selector(".current__number")
    assert staff.inner_text(".current__number") == number
    staff.wait_for_selector("#history li")
    assert "Anna Weber" in staff.inner_text("#history")
    shot(staff, "staff/workstation-called-de")

    staff.click("[data-action=start]")
    staff.wait_for_selector("[data-action=finish]:not([disabled])")
    staff.click("[data-action=finish]")
    staff.wait_for_selector("[data-action=call-next]:not([disabled])")


def test_the_manager_page_shows_ratings_and_alerts_as_they_arrive(asgi_server, browser, floor):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-US")
    login(page, asgi_server, "boss", "boss-pw")
    page.goto(f"{asgi_server}/manager/mitte/")
    page.wait_for_selector("#connection[data-state=live]")
    import uuid

    rating = {
        "score": 1,
        "tags": ["waiting_time"],
        "comment": "Too long",
        "client_id": str(uuid.uuid4()),
    }
    response = requests.post(
        f"{asgi_server}/api/v1/kiosk/ratings/",
        json=rating,
        headers={"Authorization": f"Device {floor['token']}"},
        timeout=10,
    )
    assert response.status_code == 201
    page.wait_for_selector(".feed__item--low", timeout=2000)
    page.wait_for_selector(".alert", timeout=2000)
    assert "Too long" in page.inner_text("#alerts")
    shot(page, "staff/manager-alert-en")
    page.click(".alert button:has-text('Acknowledge')")
    page.wait_for_selector(".alert__head:has-text('acknowledged')")
    page.fill(".alert input", "Called the customer back")
    page.click(".alert button:has-text('Resolve')")
    page.wait_for_selector("#alerts .muted")

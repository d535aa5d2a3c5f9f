"""In a real Chromium: a walk-in crossing its target appears as an alert on the manager
page without a reload; the manager page and the re-rating page at phone and desktop size,
in German and English."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.utils import timezone

from booking.models import Recovery
from booking.services import queue
from booking.services.ratings import rating_submit
from booking.services.recovery import recovery_send
from booking.services.service_levels import service_levels_sweep
from tests.booking.floor.conftest import on_duty_all_week
from tests.browser import DESKTOP, PHONE, axe_violations, broken_words, shot, too_wide
from tests.staff.test_live_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def floor(branch, service, anna, django_user_model):
    on_duty_all_week(anna, branch)
    manager = django_user_model.objects.create_user("boss", password="boss-pw")
    branch.managers.add(manager)
    return manager


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="the sweep runs in this process: its alert reaches the server over Redis",
)
def test_a_walk_in_past_the_target_appears_as_an_alert_without_reload(
    asgi_server, browser, floor, branch, service
):
    page = browser.new_page(viewport=DESKTOP, locale="de-DE")
    login(page, asgi_server, "boss", "boss-pw")
    page.goto(f"{asgi_server}/manager/mitte/")
    page.wait_for_selector("#connection[data-state=live]")
    page.wait_for_selector("#alerts .muted")  # no alerts yet
    taken = timezone.now() - dt.timedelta(minutes=branch.target_wait_minutes + 2)
    ticket = queue.walk_in_take(branch=branch, service=service, now=taken)
    assert service_levels_sweep() == 1
    page.wait_for_selector(f".alert--wait[data-ticket='{ticket.id}']", timeout=3000)
    assert ticket.number in page.inner_text("#alerts")
    shot(page, "staff/manager-wait-alert-de")


def test_the_manager_page_reads_well_on_a_phone_and_a_desktop(
    live_server, browser, floor, branch, service, anna
):
    ticket = queue.walk_in_take(branch=branch, service=service)
    service_levels_sweep(now=timezone.now() + dt.timedelta(minutes=30))
    rating_submit(
        device=_device(branch),
        client_id=uuid.uuid4(),
        score=1,
        code=ticket.number,
        tags=["waiting_time"],
        contact_ok=True,
    )
    for name, size, locale in (
        ("phone-de", PHONE, "de-DE"),
        ("phone-en", PHONE, "en-US"),
        ("desktop-de", DESKTOP, "de-DE"),
        ("desktop-en", DESKTOP, "en-US"),
    ):
        page = browser.new_page(viewport=size, locale=locale)
        login(page, live_server.url, "boss", "boss-pw")
        page.goto(f"{live_server.url}/manager/mitte/")
        page.wait_for_selector(".alert--rating")
        assert not too_wide(page), name
        assert broken_words(page) == [], name
        shot(page, f"staff/manager-{name}")
        page.close()


def _device(branch):
    from booking.services.devices import device_create

    return device_create(branch=branch, name="Eingang")[0]


@pytest.mark.parametrize("size,locale", [(PHONE, "de-DE"), (PHONE, "en-US"), (DESKTOP, "de-DE")])
def test_the_rerating_page_passes_axe_and_takes_one_tap(
    live_server, browser, floor, branch, service, anna, make_rating, size, locale
):
    recovery = make_rating()
    page = browser.new_page(viewport=size, locale=locale)
    page.goto(f"{live_server.url}/r/{recovery.token}/")
    assert axe_violations(page) == []
    assert not too_wide(page)
    shot(page, f"web/rerate-{size['width']}-{locale}")
    page.click("button[name=score][value='5']")
    page.wait_for_selector(".notice--ok")
    recovery.refresh_from_db()
    assert recovery.rerated_score == 5
    page.goto(f"{live_server.url}/r/{recovery.token}/book/")
    assert axe_violations(page) == []
    assert not too_wide(page)
    shot(page, f"web/rebook-{size['width']}-{locale}")


@pytest.fixture
def make_rating(branch, service, floor):
    from tests.support import booked

    def make() -> Recovery:
        start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=40)
        appointment = booked(
            branch=branch, service=service, advisor=service.advisors.first(), start=start
        )
        rating, _ = rating_submit(
            device=_device(branch),
            client_id=uuid.uuid4(),
            score=2,
            code=appointment.code,
            contact_ok=True,
        )
        return recovery_send(alert=rating.alert, user=floor, message="Entschuldigung")[0]

    return make

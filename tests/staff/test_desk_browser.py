"""In a real Chromium: the desk finds a visitor by a part of the name and checks them in,
and the visitor appears on their advisor's workstation live; walk-ins, bookings on
behalf, running late and breaks through the pages."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from booking.models import (
    Appointment,
    Customer,
    EventKind,
    JourneyEvent,
    StatusPeriod,
    Ticket,
)
from booking.services import queue
from booking.services.devices import device_create
from booking.services.ratings import rating_submit
from tests.booking.floor.conftest import on_duty_all_week
from tests.browser import PHONE, axe_violations, shot, too_wide
from tests.support import booked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def floor(branch, service, anna, jonas, django_user_model):
    on_duty_all_week(anna, branch)
    on_duty_all_week(jonas, branch)
    for advisor, username in ((anna, "anna"), (jonas, "jonas")):
        advisor.user = django_user_model.objects.create_user(
            username, password=f"{username}-pw", first_name=advisor.name.split()[0]
        )
        advisor.save()
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=20)
    visits = {}
    for name, minutes in (("Lukas Meier", 0), ("Erika Mustermann", 30)):
        visits[name] = booked(
            branch=branch,
            service=service,
            advisor=anna,
            start=start + dt.timedelta(minutes=minutes),
            customer=Customer.objects.create(name=name, email=f"{name[:4].lower()}@example.org"),
            topic="Altersvorsorge besprechen" if name == "Lukas Meier" else "",
        )
    return visits


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-pw")
    page.click("#login-submit")


def open_workstation(browser, url: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="de-DE")
    login(page, url, "anna")
    page.wait_for_url(f"{url}/staff/mitte/")
    page.wait_for_selector("#connection[data-state=live]")
    return page


def open_desk(browser, url: str, **context):
    page = browser.new_page(**{"viewport": {"width": 1366, "height": 900}, **context})
    login(page, url, "jonas")
    page.wait_for_url(f"{url}/staff/mitte/")
    page.goto(f"{url}/staff/mitte/desk/")
    page.wait_for_selector("#connection[data-state=live]")
    return page


def test_the_desk_finds_a_visitor_by_part_of_the_name_and_checks_them_in_live(
    asgi_server, browser, floor
):
    advisor = open_workstation(browser, asgi_server)
    desk = open_desk(browser, asgi_server, locale="de-DE")
    desk.wait_for_selector("#visits .visit")
    assert desk.locator("#visits .visit").count() == 2

    desk.fill("#search", "meie")  # typed, not submitted
    desk.wait_for_function("() => document.querySelectorAll('#visits .visit').length === 1")
    assert "Lukas Meier" in desk.inner_text("#visits")
    assert "Erika" not in desk.inner_text("#visits")
    shot(desk, "staff/desk-search-de")

    desk.click("#visits [data-check-in]")
    desk.wait_for_selector("#result:not([hidden])")
    ticket = Ticket.objects.get(appointment=floor["Lukas Meier"])
    assert ticket.number in desk.inner_text("#result")
    assert "Anna Weber" in desk.inner_text("#result")
    desk.wait_for_selector("#visits .visit--checked_in")
    assert not desk.locator("#visits [data-check-in]").count()
    event = JourneyEvent.objects.get(appointment=floor["Lukas Meier"], kind=EventKind.CHECKED_IN)
    assert event.channel == "staff"

    advisor.wait_for_selector("#mine .ticket", timeout=3000)
    assert "Lukas Meier" in advisor.inner_text("#mine")
    shot(advisor, "staff/workstation-desk-check-in-de")
    desk.wait_for_selector(f"#queue [data-advisor='{floor['Lukas Meier'].advisor_id}'] .ticket")
    shot(desk, "staff/desk-checked-in-de")

    # The advisor sees what the visitor wants to talk about when calling them.
    advisor.click("[data-action=call-next]")
    advisor.wait_for_selector(".history__topic")
    assert "Altersvorsorge besprechen" in advisor.inner_text("#history")


def test_a_walk_in_ticket_and_a_booking_on_behalf_at_the_desk(asgi_server, browser, floor):
    desk = open_desk(browser, asgi_server, locale="en-US")
    desk.fill("#walkin-name", "Erika Muster")
    desk.fill("#walkin-phone", "+49 170 7654321")
    desk.select_option("#walkin-advisor", label="Jonas Becker")
    desk.click("#walkin-form button[type=submit]")
    desk.wait_for_selector("#result:not([hidden])")
    ticket = Ticket.objects.get(kind="walk_in")
    assert (ticket.contact_name, ticket.channel, ticket.advisor.name) == (
        "Erika Muster",
        "desk",
        "Jonas Becker",
    )
    assert ticket.number in desk.inner_text("#result")
    desk.wait_for_selector("#queue .ticket:has-text('Erika Muster')")

    desk.check("#book-form input[value=phone]")
    desk.wait_for_function(
        "() => document.querySelectorAll('#book-start option[value^=\"20\"]').length"
    )
    desk.select_option("#book-start", index=1)
    desk.fill("#book-name", "Paul Anrufer")
    desk.fill("#book-email", "paul@example.org")
    desk.fill("#book-topic", "Baufinanzierung")
    shot(desk, "staff/desk-booking-en")
    desk.click("#book-form button[type=submit]")
    desk.wait_for_selector("#result:has-text('Check-in code')")
    booking = Appointment.objects.get(contact_name="Paul Anrufer")
    assert (booking.channel, booking.topic) == ("phone", "Baufinanzierung")
    assert f"{booking.code[:4]}-{booking.code[4:]}" in desk.inner_text("#result")
    shot(desk, "staff/desk-booked-en")


def test_running_late_and_a_break_from_the_workstation_reach_the_desk(asgi_server, browser, floor):
    advisor = open_workstation(browser, asgi_server)
    # Opening the workstation is starting work: the advisor is available, not "offline".
    advisor.wait_for_selector("[data-status=available][aria-pressed=true]")
    desk = open_desk(browser, asgi_server, locale="de-DE")

    advisor.select_option("#late-minutes", "15")
    advisor.click("#late-submit")
    advisor.wait_for_selector("#late-state:not([hidden])")
    desk.wait_for_selector(".group__state--late")
    assert "15" in desk.inner_text(".group__state--late")
    shot(advisor, "staff/workstation-running-late-de")
    shot(desk, "staff/desk-running-late-de")

    advisor.select_option("#pause-reason", "lunch")
    advisor.click("#pause-form button[type=submit]")
    advisor.wait_for_selector("[data-status=paused][aria-pressed=true]")
    # Any other status ends running late.
    advisor.wait_for_selector("#late-state", state="hidden")
    desk.wait_for_function(
        "() => !document.querySelector('.group__state--late')"
        " && document.getElementById('queue').innerText.includes('Mittag')"
        " || document.getElementById('queue').innerText.includes('lunch')"
    )
    shot(desk, "staff/desk-paused-de")


@pytest.mark.parametrize("lang", ["de-DE", "en-US"])
def test_the_desk_page_at_phone_width_is_readable_and_accessible(asgi_server, browser, floor, lang):
    desk = open_desk(browser, asgi_server, viewport=PHONE, locale=lang)
    desk.wait_for_selector("#visits .visit")
    assert axe_violations(desk) == []
    assert not too_wide(desk)
    shot(desk, f"staff/desk-phone-{lang[:2]}")


def test_the_workstation_with_its_new_controls_is_accessible(
    asgi_server, browser, floor, branch, service, anna
):
    device, _token = device_create(branch=branch, name="Ausgang")
    for score, comment in ((5, "Sehr kompetent beraten"), (4, "")):
        queue.walk_in_take(branch=branch, service=service)
        ticket = queue.ticket_call_next(advisor=anna, branch=branch)
        queue.ticket_start(ticket=ticket, advisor=anna)
        queue.ticket_finish(ticket=ticket, advisor=anna)
        rating_submit(
            device=device,
            client_id=uuid.uuid4(),
            score=score,
            comment=comment,
            tags=["competent"],
            ticket_id=ticket.id,
        )
    advisor = open_workstation(browser, asgi_server)
    advisor.wait_for_selector("#feedback-ratings .feed__item")
    assert "Sehr kompetent beraten" in advisor.inner_text("#feedback-ratings")
    assert "4,5" in advisor.inner_text("#feedback-mean")
    assert axe_violations(advisor) == []
    shot(advisor, "staff/workstation-controls-de")


def test_the_manager_page_shows_breaks_by_reason_and_advisor(
    asgi_server, browser, floor, branch, anna, django_user_model
):
    manager = django_user_model.objects.create_user("boss", password="boss-pw")
    branch.managers.add(manager)
    now = timezone.now()
    StatusPeriod.objects.create(
        advisor=anna,
        status="paused",
        reason="lunch",
        start=now - dt.timedelta(minutes=40),
        end=now - dt.timedelta(minutes=10),
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="de-DE")
    login(page, asgi_server, "boss")
    page.goto(f"{asgi_server}/manager/mitte/")
    page.wait_for_selector("#pauses th")
    row = page.inner_text("#pauses tr")
    assert "Anna Weber" in row and "30" in row
    shot(page, "staff/manager-breaks-de")

"""The booking pages in a real Chromium, at phone and desktop size, in both languages."""

from __future__ import annotations

import pytest

from booking.models import Appointment, AppointmentStatus
from booking.services.appointments import CustomerData, appointment_book
from tests.browser import DESKTOP, PHONE, axe_violations, broken_words, shot, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [("phone", PHONE, "de-DE"), ("desktop", DESKTOP, "en-US")]


@pytest.fixture
def site(live_server, branch, service, anna, jonas):
    from datetime import time

    branch.opening_hours.create(weekday=0, opens=time(9), closes=time(17))
    service.description = "Ausweis"
    service.description_en = "ID card"
    service.save()
    return live_server.url


def check_page(page, name: str) -> None:
    """What every page must pass: no serious accessibility problem, no sideways scrolling."""
    assert axe_violations(page) == [], name
    assert not too_wide(page), name
    assert broken_words(page) == [], name
    shot(page, f"web/{name}")


def book_through_the_pages(page, url: str, size: str) -> None:
    page.goto(url)
    check_page(page, f"1-branches-{size}")
    page.click("text=Filiale Mitte")
    check_page(page, f"2-services-{size}")
    page.click(".card__link")
    check_page(page, f"3-times-{size}")
    # The last day listed: today may have fewer than three times left, or none.
    page.click(".days__list a.day >> nth=-1")
    page.click(".time >> nth=2")
    check_page(page, f"4-details-{size}")
    page.fill("#id_name", "Lukas Meier")
    page.fill("#id_email", "lukas@example.org")
    page.fill("#id_phone", "+49 170 1234567")
    page.check("#id_consent")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".code")


@pytest.mark.parametrize(("size", "viewport", "locale"), SIZES)
def test_a_customer_books_and_sees_code_qr_calendar_and_manage_link(
    browser, site, size, viewport, locale
):
    page = browser.new_page(viewport=viewport, locale=locale)
    book_through_the_pages(page, site, size)
    appointment = Appointment.objects.get()
    assert page.inner_text(".code") == f"{appointment.code[:4]}-{appointment.code[4:]}"
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    assert page.get_attribute("a[href$='calendar.ics']", "href")
    assert appointment.manage_token in page.inner_text(".link")
    check_page(page, f"5-booked-{size}")


@pytest.mark.parametrize(("size", "viewport", "locale"), SIZES)
def test_a_customer_moves_the_appointment_to_another_time(browser, site, size, viewport, locale):
    page = browser.new_page(viewport=viewport, locale=locale)
    book_through_the_pages(page, site, size)
    before = Appointment.objects.get().start
    page.click("a[href$='/reschedule/']")
    check_page(page, f"6-reschedule-{size}")
    page.click(".days__list a.day >> nth=-1")
    page.click("form button.time >> nth=5")
    page.wait_for_selector(".notice--ok")
    assert Appointment.objects.get().start != before


@pytest.mark.parametrize(("size", "viewport", "locale"), SIZES)
def test_a_customer_cancels_and_the_time_is_free_again(browser, site, size, viewport, locale):
    page = browser.new_page(viewport=viewport, locale=locale)
    book_through_the_pages(page, site, size)
    page.click("a[href$='/cancel/']")
    check_page(page, f"7-cancel-{size}")
    page.click("form button.button--warn")
    page.wait_for_selector(".notice--warn")
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_a_time_taken_meanwhile_gets_a_friendly_message_and_keeps_the_details(browser, site):
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{site}/?branch=mitte&service=beratung")
    page.click(".time >> nth=0")
    page.fill("#id_name", "Lukas Meier")
    page.fill("#id_email", "lukas@example.org")
    page.check("#id_consent")
    start = page.input_value("#id_start")
    from django.utils.dateparse import parse_datetime

    from booking.models import Branch, Service

    branch, service = Branch.objects.get(), Service.objects.get()
    for name in ("Eva", "Olaf"):  # both advisors: the time is gone
        appointment_book(
            branch=branch,
            service=service,
            start=parse_datetime(start),
            customer=CustomerData(name=name, email=f"{name}@example.org"),
        )
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "just been taken" in page.inner_text("[role=alert]")
    assert page.input_value("#id_name") == "Lukas Meier"
    assert page.locator(".time").count() > 0
    check_page(page, "8-taken-phone-en")


def test_the_language_switch_on_every_page(browser, site):
    page = browser.new_page(viewport=DESKTOP, locale="de-DE")
    page.goto(site)
    assert page.get_attribute("html", "lang") == "de"
    assert "Wo möchten Sie uns treffen?" in page.inner_text("h1")
    page.click(".langswitch button")
    page.wait_for_selector("html[lang=en]")
    assert "Where would you like to meet us?" in page.inner_text("h1")


def test_booking_works_with_the_keyboard_alone(browser, site):
    page = browser.new_page(viewport=DESKTOP, locale="en-US")
    page.goto(site)

    def tab_to(selector: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to(".card__link")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Advice")
    tab_to(".card__link")
    page.keyboard.press("Enter")
    page.wait_for_selector(".time")
    tab_to(".time")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_name")
    tab_to("#id_name")
    page.keyboard.type("Lukas Meier")
    page.keyboard.press("Tab")
    page.keyboard.type("lukas@example.org")
    tab_to("#id_consent")
    page.keyboard.press("Space")
    tab_to("form.form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".code")
    assert Appointment.objects.count() == 1


def test_the_privacy_notice_passes_the_checks(browser, site):
    page = browser.new_page(viewport=PHONE, locale="de-DE")
    page.goto(f"{site}/privacy/")
    check_page(page, "9-privacy-phone-de")

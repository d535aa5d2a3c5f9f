"""Every customer page and the lobby screen at 360 px and 1280 px, in German and English.

Each page must pass axe (no serious or critical WCAG 2.1 A/AA finding) and fit its
width; the screenshots land in var/screenshots/all/ to be looked at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from booking.models import Appointment, Branch
from booking.services import queue
from tests.booking.floor.conftest import on_duty_all_week
from tests.browser import DESKTOP, PHONE, axe_violations, broken_words, shot, too_wide
from tests.conftest import morning_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWS = [
    pytest.param(PHONE, "de-DE", id="360-de"),
    pytest.param(PHONE, "en-US", id="360-en"),
    pytest.param(DESKTOP, "de-DE", id="1280-de"),
    pytest.param(DESKTOP, "en-US", id="1280-en"),
]


@pytest.fixture
def site(live_server, branch, service, anna, jonas):
    # Morning at the branch, advisors every day: free times today, and calls for the lobby.
    branch.timezone = morning_zone()
    branch.phone = "+49 30 1234560"
    branch.save()
    for advisor in (anna, jonas):
        on_duty_all_week(advisor, branch)
    for weekday in range(7):
        branch.opening_hours.create(weekday=weekday, opens=dt.time(8), closes=dt.time(20))
    service.description, service.description_en = "Ausweis", "ID card"
    service.save()
    return live_server.url


def check(page, name: str) -> None:
    shot(page, f"all/{name}")  # first: a page that fails is worth a look too
    assert axe_violations(page) == [], name
    assert not too_wide(page), name
    assert broken_words(page) == [], name


def name_of(viewport, locale) -> str:
    return f"{viewport['width']}-{locale[:2]}"


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_every_customer_page(browser, site, viewport, locale):
    tag = name_of(viewport, locale)
    page = browser.new_page(viewport=viewport, locale=locale)
    page.goto(site)
    check(page, f"01-branches-{tag}")
    page.goto(f"{site}/?branch=mitte")
    check(page, f"02-services-{tag}")
    page.goto(f"{site}/?branch=mitte&service=beratung")
    check(page, f"03-days-{tag}")
    # Every day of the page is in sight: none cut off at the edge, none to scroll to.
    edges = page.eval_on_selector_all(
        ".day", "days => days.map(d => d.getBoundingClientRect().right)"
    )
    assert len(edges) == 14 and max(edges) <= viewport["width"]
    page.click(".days__later")
    page.wait_for_selector(".days__earlier")
    check(page, f"04-later-days-{tag}")
    page.click(".time >> nth=3")
    page.wait_for_selector("#id_name")
    check(page, f"05-details-{tag}")
    page.evaluate("() => document.querySelector('form.form').noValidate = true")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".field--error")
    check(page, f"06-details-errors-{tag}")
    page.fill("#id_name", "Lukas Meier")
    page.fill("#id_email", "lukas@example.org")
    page.check("#id_consent")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".code")
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    check(page, f"07-booked-{tag}")
    token = Appointment.objects.get().manage_token
    page.goto(f"{site}/manage/{token}/reschedule/")
    check(page, f"08-reschedule-{tag}")
    page.goto(f"{site}/manage/{token}/cancel/")
    check(page, f"09-cancel-{tag}")
    page.click("form button.button--warn")
    page.wait_for_selector(".notice--warn")
    check(page, f"10-cancelled-{tag}")
    page.goto(f"{site}/privacy/")
    check(page, f"11-privacy-{tag}")
    page.goto(f"{site}/manage/no-such-token/")
    check(page, f"12-not-found-{tag}")
    # The confirmation e-mail as a mail program would show it (without its QR image).
    confirmation = next(m for m in mail.outbox if m.to == ["lukas@example.org"])
    page.set_content(confirmation.alternatives[0][0])
    shot(page, f"all/13-email-confirmation-{tag}")
    cancellation = mail.outbox[-1]
    page.set_content(cancellation.alternatives[0][0])
    shot(page, f"all/14-email-cancelled-{tag}")


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_the_lobby_screen(browser, site, viewport, locale, service, anna, jonas):
    tag = name_of(viewport, locale)
    language = locale[:2]
    # The TV's browser prefers the other language: the address decides.
    page = browser.new_page(viewport=viewport, locale="en-US" if language == "de" else "de-DE")
    url = f"{site}/display/mitte/?lang={language}"
    page.goto(url)
    assert page.get_attribute("html", "lang") == language
    assert page.is_visible("#no-calls")
    check(page, f"20-lobby-empty-{tag}")
    branch = Branch.objects.get()
    now = timezone.now()
    for minutes, advisor in ((40, anna), (25, jonas), (12, anna)):
        ticket = queue.walk_in_take(
            branch=branch, service=service, now=now - dt.timedelta(minutes=minutes)
        )
        ticket = queue.ticket_call_next(
            advisor=advisor, branch=branch, now=now - dt.timedelta(minutes=minutes)
        )
        queue.ticket_start(
            ticket=ticket, advisor=advisor, now=now - dt.timedelta(minutes=minutes - 1)
        )
        queue.ticket_finish(
            ticket=ticket, advisor=advisor, now=now - dt.timedelta(minutes=minutes - 8)
        )
    for minutes, advisor in ((3, anna), (1, jonas)):
        queue.walk_in_take(branch=branch, service=service, now=now - dt.timedelta(minutes=minutes))
        queue.ticket_call_next(
            advisor=advisor, branch=branch, now=now - dt.timedelta(minutes=minutes)
        )
    queue.walk_in_take(branch=branch, service=service)
    page.goto(url)
    assert page.locator(".display__row--current").count() == 2
    assert page.locator(".display__row--earlier").count() == 3
    assert not page.is_visible("#no-calls")
    check(page, f"21-lobby-calls-{tag}")

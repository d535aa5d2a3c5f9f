"""The booking pages reach the branch's horizon, and offer only sensible choices."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from booking.models import Appointment, AppointmentStatus
from booking.services.appointments import appointment_book
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db

DAY_LINK = re.compile(r"day=(\d{4}-\d{2}-\d{2})")


def listed_days(html: str) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in DAY_LINK.findall(html)]


def later_link(html: str) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next"', html)
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def everyday(anna):
    """Anna works every day, so every listed page of days has free times."""
    for weekday in (5, 6):
        anna.working_hours.create(
            branch=anna.branches.get(), weekday=weekday, start=dt.time(9), end=dt.time(17)
        )
    return anna


def test_the_first_page_shows_two_weeks_and_links_to_later_days(client, everyday):
    html = client.get("/?branch=mitte&service=beratung").content.decode()
    days = listed_days(html)
    assert days and max(days) - min(days) <= dt.timedelta(days=13)
    assert later_link(html)


def test_later_days_reach_the_branchs_horizon_and_stop_there(client, everyday):
    branch = everyday.branches.get()
    horizon = branch.local_date(timezone.now() + dt.timedelta(days=branch.horizon_days))
    url, seen, pages = "/?branch=mitte&service=beratung", [], 0
    while url and pages < 20:
        html = client.get(url).content.decode()
        seen += listed_days(html)
        url, pages = later_link(html), pages + 1
    assert pages == 7  # 90 days, two weeks a page
    assert max(seen) in (horizon, horizon - dt.timedelta(days=1))
    assert all(day <= horizon for day in seen)


def test_a_later_page_links_back_to_earlier_days(client, everyday):
    today = everyday.branches.get().local_date(timezone.now())
    start = today + dt.timedelta(days=14)
    html = client.get(f"/?branch=mitte&service=beratung&from={start}").content.decode()
    assert 'rel="prev"' in html
    assert min(listed_days(html)) >= start
    # A day of this page keeps the page.
    assert f"from={start}&amp;day=" in html


@pytest.mark.parametrize("wanted", ["2026-02-30", "1800-01-01", "9999-12-31", "garbage"])
def test_odd_first_days_show_a_page_within_the_horizon(client, everyday, wanted):
    response = client.get(f"/?branch=mitte&service=beratung&from={wanted}")
    assert response.status_code == 200
    branch = everyday.branches.get()
    horizon = branch.local_date(timezone.now() + dt.timedelta(days=branch.horizon_days))
    assert all(day <= horizon for day in listed_days(response.content.decode()))


def test_the_day_strip_says_which_days_it_covers(client, everyday):
    html = client.get("/?branch=mitte&service=beratung", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Free times from" in html.decode()


@pytest.fixture
def booked(anna, lukas):
    appointment, _ = appointment_book(
        branch=anna.branches.get(),
        service=anna.services.get(),
        start=local(next_weekday(2), 10),
        customer=lukas,
    )
    return appointment


def test_rescheduling_does_not_offer_the_customers_own_time(client, booked):
    day = booked.start.date()
    html = client.get(f"/manage/{booked.manage_token}/reschedule/?day={day}").content.decode()
    assert ">10:00<" not in html
    assert ">09:45<" in html and ">10:15<" in html


def test_book_again_is_not_offered_before_the_first_visit(client, booked):
    html = client.get(f"/manage/{booked.manage_token}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Book again" not in html.decode()
    assert "Book a new appointment" not in html.decode()


def test_book_again_names_the_advisor_of_the_last_served_visit(client, booked, anna, lukas):
    Appointment.objects.filter(id=booked.id).update(status=AppointmentStatus.SERVED)
    html = client.get(f"/manage/{booked.manage_token}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Book again with Anna Weber" in html.decode()


def test_a_cancelled_booking_offers_a_new_one(client, booked):
    client.post(f"/manage/{booked.manage_token}/cancel/")
    html = client.get(f"/manage/{booked.manage_token}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Book a new appointment" in html.decode()


def test_cancelling_is_not_the_primary_button(client, booked):
    html = client.get(f"/manage/{booked.manage_token}/cancel/", HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    keep = re.search(r'<a class="([^"]+)"[^>]*>No, keep it', html)
    cancel = re.search(r'<button type="submit" class="([^"]+)">Yes, cancel it', html)
    assert keep.group(1) == "button"
    assert "button--warn" in cancel.group(1)
    assert html.index("No, keep it") < html.index("Yes, cancel it")


def test_the_manage_page_names_the_room(client, booked):
    html = client.get(f"/manage/{booked.manage_token}/").content.decode()
    assert "Raum 2, Filiale Mitte" in html


def test_a_cancelled_booking_offers_to_remove_it_from_the_calendar(client, booked):
    client.post(f"/manage/{booked.manage_token}/cancel/")
    html = client.get(f"/manage/{booked.manage_token}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Remove from calendar" in html.decode()


def test_a_wrong_manage_link_gets_a_page_in_the_customers_language(client, db):
    response = client.get("/manage/not-a-token/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'href="/"' in html

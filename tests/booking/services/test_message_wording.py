"""What customers read in our e-mails and calendar files: formal, complete, consistent."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from icalendar import Calendar

from booking.models import Appointment, NotificationKind
from booking.services.appointments import CustomerData, appointment_book
from booking.services.codes import format_code
from booking.services.notifications import notification_send
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(branch):
    branch.phone = "+49 30 1234560"
    branch.save(update_fields=["phone"])
    return branch


def book(branch, service, language: str) -> Appointment:
    appointment, _ = appointment_book(
        branch=branch,
        service=service,
        start=local(next_weekday(1), 10),
        customer=CustomerData(name="Lukas Meier", email="lukas@example.org", language=language),
    )
    return appointment


def send(appointment, kind=NotificationKind.CONFIRMATION):
    notification_send(appointment_id=appointment.id, kind=kind)
    return mail.outbox[-1]


def calendar_file(message) -> bytes:
    for part in message.message().walk():
        if part.get_filename() == "appointment.ics":
            return part.get_payload(decode=True)
    raise AssertionError("no calendar file")


def test_the_greeting_uses_the_whole_booked_name(branch, service, anna):
    body = send(book(branch, service, "en")).body
    assert body.startswith("Hello Lukas Meier,")


def test_a_german_greeting_is_formal(branch, service, anna):
    body = send(book(branch, service, "de")).body
    assert body.startswith("Guten Tag Lukas Meier,")


def test_english_sentences_begin_with_a_capital(branch, service, anna):
    appointment = book(branch, service, "en")
    body = send(appointment).body
    assert "\nYour appointment is booked." in body
    body = send(appointment, NotificationKind.REMINDER_EMAIL).body
    assert "\nThis is a reminder of your appointment." in body


def test_the_message_signs_off_with_the_branchs_name_and_phone(branch, service, anna):
    message = send(book(branch, service, "en"))
    assert "Kind regards\nYour team at Filiale Mitte\nPhone: +49 30 1234560" in message.body
    html = message.alternatives[0][0]
    assert "Your team at Filiale Mitte" in html and 'href="tel:+49301234560"' in html


def test_the_room_is_in_the_message_and_the_calendar_file(branch, service, anna):
    message = send(book(branch, service, "en"))
    assert "Where: Raum 2, Filiale Mitte, Friedrichstraße 1, 10117 Berlin" in message.body
    event = Calendar.from_ical(calendar_file(message)).walk("VEVENT")[0]
    assert str(event["location"]).startswith("Raum 2, Filiale Mitte")


def test_the_calendar_file_carries_the_time_zone(branch, service, anna):
    appointment = book(branch, service, "en")
    calendar = Calendar.from_ical(calendar_file(send(appointment)))
    zones = [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("dtstart") == appointment.start


def test_the_calendar_file_prints_the_code_with_its_dash(branch, service, anna):
    appointment = book(branch, service, "en")
    event = Calendar.from_ical(calendar_file(send(appointment))).walk("VEVENT")[0]
    assert f"Check-in code: {format_code(appointment.code)}" in str(event["description"])


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("en", r"[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}"),
        ("de", r"(Mon|Diens|Mittwo|Donners|Frei|Sams|Sonn)[a-z]+, \d{1,2}\. \w+ \d{4}"),
    ],
)
def test_one_date_format_in_subject_and_text(branch, service, anna, language, pattern):
    message = send(book(branch, service, language))
    in_subject = re.search(pattern, message.subject)
    in_body = re.search(pattern, message.body)
    assert in_subject and in_body
    assert in_subject.group(0) == in_body.group(0)
    assert not re.search(r"\d{2}\.\d{2}\.\d{4}", message.subject + message.body)


def test_the_html_message_says_its_language(branch, service, anna):
    html = send(book(branch, service, "en")).alternatives[0][0]
    assert '<html lang="en">' in html

"""Confirmations and reminders: content, language, timing, and never twice."""

from __future__ import annotations

import datetime as dt
import smtplib
from pathlib import Path

import pytest
from django.core import mail
from icalendar import Calendar

from booking.models import (
    Appointment,
    EventKind,
    JourneyEvent,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from booking.services import jobs
from booking.services.appointments import (
    CustomerData,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from booking.services.codes import format_code
from booking.services.notifications import (
    TransientSendError,
    messages_unwritten,
    notification_send,
    reminders_due,
)
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(branch, service, anna, lukas) -> Appointment:
    appointment, _ = appointment_book(
        branch=branch, service=service, start=local(next_weekday(1), 10), customer=lukas
    )
    return appointment


def confirm(appointment, **kwargs):
    return notification_send(
        appointment_id=appointment.id, kind=NotificationKind.CONFIRMATION, **kwargs
    )


def test_the_confirmation_is_queued_only_after_the_booking_commits(
    branch, service, anna, lukas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        appointment_book(
            branch=branch, service=service, start=local(next_weekday(1), 10), customer=lukas
        )
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_confirmation_is_sent_when_the_booking_commits(
    branch, service, anna, lukas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            branch=branch, service=service, start=local(next_weekday(1), 10), customer=lukas
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lukas@example.org"]


def test_the_confirmation_carries_code_qr_calendar_and_manage_link(appointment):
    confirm(appointment)
    message = mail.outbox[0]
    body = message.body
    assert format_code(appointment.code) in body
    assert f"/manage/{appointment.manage_token}/" in body
    assert "Anna Weber" in body
    assert "10:00" in body  # local time, not UTC
    names = [part.get_filename() for part in message.message().walk() if part.get_filename()]
    assert "check-in-qr.png" in names
    assert "appointment.ics" in names
    html = message.alternatives[0][0]
    assert 'src="cid:checkin-qr"' in html


def test_the_calendar_file_describes_the_appointment(appointment):
    confirm(appointment)
    ics = next(
        a
        for a in mail.outbox[0].attachments
        if getattr(a, "filename", None) == "appointment.ics"
        or (isinstance(a, tuple) and a[0] == "appointment.ics")
    )
    content = ics[1] if isinstance(ics, tuple) else ics.content
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == appointment.start
    assert event.decoded("dtend") == appointment.end
    assert format_code(appointment.code) in str(event.get("description"))


def test_the_confirmation_speaks_the_customers_language(branch, service, anna):
    english = CustomerData(name="Lucy Smith", email="lucy@example.org", language="en")
    appointment, _ = appointment_book(
        branch=branch, service=service, start=local(next_weekday(1), 10), customer=english
    )
    confirm(appointment)
    assert "Your check-in code" in mail.outbox[0].body
    assert "Advice" in mail.outbox[0].body


def test_a_german_customer_gets_german(appointment):
    confirm(appointment)
    assert "Ihr Check-in-Code" in mail.outbox[0].body


def test_a_retried_confirmation_sends_nothing_twice(appointment):
    confirm(appointment)
    assert confirm(appointment) is None
    assert len(mail.outbox) == 1


def test_sending_is_recorded_with_its_outcome(appointment):
    confirm(appointment)
    note = Notification.objects.get()
    assert note.status == NotificationStatus.SENT
    assert note.recipient == "lukas@example.org"
    assert note.sent_at is not None


def test_sending_writes_a_journey_event(appointment):
    confirm(appointment)
    event = JourneyEvent.objects.get(kind=EventKind.CONFIRMATION_SENT)
    assert (event.channel, event.customer_id) == ("email", appointment.customer_id)


def test_a_failed_send_is_recorded_and_the_retry_sends_once(appointment, monkeypatch):
    def broken(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", broken)
        with pytest.raises(TransientSendError):
            confirm(appointment)
    assert Notification.objects.get().status == NotificationStatus.FAILED
    confirm(appointment)
    confirm(appointment)
    assert len(mail.outbox) == 1
    note = Notification.objects.get()
    assert (note.status, note.attempts) == (NotificationStatus.SENT, 2)


def test_a_claim_left_by_a_dead_worker_is_retaken_later(appointment):
    now = dt.datetime.now(dt.UTC)
    Notification.objects.create(
        appointment=appointment,
        kind=NotificationKind.CONFIRMATION,
        key=appointment.start.isoformat(),
        claimed_at=now,
    )
    assert confirm(appointment, now=now + dt.timedelta(minutes=1)) is None
    assert confirm(appointment, now=now + dt.timedelta(minutes=11)) is not None
    assert len(mail.outbox) == 1


def test_the_email_reminder_is_due_a_day_before(appointment):
    assert reminders_due(now=appointment.start - dt.timedelta(hours=26)) == []
    due = reminders_due(now=appointment.start - dt.timedelta(hours=24, minutes=30))
    assert (appointment.id, NotificationKind.REMINDER_EMAIL) in due


def test_reminders_are_sent_exactly_once_by_repeated_sweeps(appointment):
    for minutes in (0, 5, 10):
        jobs.send_due_reminders(
            now=appointment.start - dt.timedelta(hours=24) + dt.timedelta(minutes=minutes)
        )
    reminders = [m for m in mail.outbox if "Erinnerung" in m.subject]
    assert len(reminders) == 1


def test_no_reminder_for_a_cancelled_booking(appointment):
    appointment_cancel(appointment=appointment)
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=24))
    assert not [m for m in mail.outbox if "Erinnerung" in m.subject]


def test_a_reminder_for_a_time_since_changed_is_not_sent(appointment):
    old_key = appointment.start.isoformat()
    appointment_reschedule(appointment=appointment, start=appointment.start + dt.timedelta(hours=1))
    note = notification_send(
        appointment_id=appointment.id, kind=NotificationKind.REMINDER_EMAIL, key=old_key
    )
    assert note.status == NotificationStatus.SKIPPED


def test_a_rescheduled_appointment_is_reminded_of_its_new_time(appointment):
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=24))
    appointment_reschedule(
        appointment=appointment,
        start=appointment.start + dt.timedelta(days=1),
        now=appointment.start - dt.timedelta(hours=24),
    )
    appointment.refresh_from_db()
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=24))
    assert len([m for m in mail.outbox if "Erinnerung" in m.subject]) == 2


def test_the_sms_reminder_goes_two_hours_before_to_the_phone(appointment, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=2))
    files = list(Path(tmp_path).iterdir())
    assert len(files) == 1
    text = files[0].read_text()
    assert "+49 170 1234567" in text
    assert format_code(appointment.code) in text
    assert JourneyEvent.objects.filter(kind=EventKind.REMINDER_SENT, channel="sms").exists()


def test_no_sms_without_a_phone_number(branch, service, anna, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    appointment, _ = appointment_book(
        branch=branch,
        service=service,
        start=local(next_weekday(1), 10),
        customer=CustomerData(name="Eva", email="eva@example.org"),
    )
    jobs.send_due_reminders(now=appointment.start - dt.timedelta(hours=2))
    assert list(Path(tmp_path).iterdir()) == []


def test_the_sms_backend_is_pluggable(appointment, settings):
    sent = []

    class Recorder:
        def send(self, to, text):
            sent.append((to, text))

    import booking.sms

    booking.sms.RecorderForTest = Recorder
    settings.SMS_BACKEND = "booking.sms.RecorderForTest"
    try:
        notification_send(appointment_id=appointment.id, kind=NotificationKind.REMINDER_SMS)
    finally:
        del booking.sms.RecorderForTest
    assert sent and sent[0][0] == "+49 170 1234567"


def test_an_unwritten_message_is_recorded_as_sent_but_mails_nobody(appointment):
    mail.outbox.clear()
    with messages_unwritten():
        note = confirm(appointment)
    assert note.status == NotificationStatus.SENT
    assert mail.outbox == []
    assert JourneyEvent.objects.filter(
        appointment=appointment, kind=EventKind.CONFIRMATION_SENT
    ).exists()

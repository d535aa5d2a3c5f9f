"""Messages while waiting: when they are due, what they say, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from booking import events
from booking.models import (
    EventKind,
    JourneyEvent,
    Notification,
    NotificationKind,
    NotificationStatus,
    Ticket,
)
from booking.services import jobs, queue
from booking.services.checkin import checkin_at_kiosk
from booking.services.notifications import TransientSendError
from booking.services.ticket_messages import ticket_message_send
from booking.sms import SMSError

from .conftest import sent_sms

pytestmark = pytest.mark.django_db

PHONES = ["+49 170 1000001", "+49 170 1000002", "+49 170 1000003"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block commits, as a request would: subscribers and (eager) tasks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def three_in_line(join, committed, sms_dir):
    with committed():
        return [join(f"Visitor {n}", phone=phone, language="en") for n, phone in enumerate(PHONES)]


def sms_to(folder, phone: str) -> list[str]:
    return [text for text in sent_sms(folder) if f"To: {phone}" in text]


def test_the_first_two_in_line_hear_it_is_almost_their_turn(three_in_line, sms_dir):
    assert [len(sms_to(sms_dir, phone)) for phone in PHONES] == [1, 1, 0]
    assert "almost your turn" in sms_to(sms_dir, PHONES[0])[0]


def test_the_third_hears_it_when_the_first_is_called(three_in_line, sms_dir, anna, committed):
    with committed():
        queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    assert len(sms_to(sms_dir, PHONES[2])) == 1
    assert Notification.objects.filter(kind=NotificationKind.TURN_SOON).count() == 3


def test_the_called_visitor_is_told_where_to_go_with_the_link(
    three_in_line, sms_dir, anna, committed
):
    with committed():
        queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    called = [text for text in sms_to(sms_dir, PHONES[0]) if "Raum 2" in text]
    assert len(called) == 1
    assert three_in_line[0]["status_url"] in called[0]
    assert three_in_line[0]["number"] in called[0]


def test_messages_are_journey_events(three_in_line, anna, committed):
    with committed():
        queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    first = three_in_line[0]["id"]
    kinds = set(JourneyEvent.objects.filter(ticket_id=first).values_list("kind", "channel"))
    assert {(EventKind.TURN_SOON_SENT, "sms"), (EventKind.CALL_SENT, "sms")} <= kinds


def test_the_message_speaks_the_visitors_language(join, committed, sms_dir):
    with committed():
        join(phone=PHONES[0], language="en")
    assert "almost your turn" in sent_sms(sms_dir)[0]


def test_without_a_phone_the_message_goes_by_email(join, committed):
    with committed():
        join(email="lukas@example.org", language="en")
    assert [m.to for m in mail.outbox] == [["lukas@example.org"]]
    assert mail.outbox[0].subject.startswith("Almost your turn")


def test_the_notify_position_is_a_setting(join, committed, sms_dir, settings):
    settings.NOTIFY_POSITION = 1
    with committed():
        for phone in PHONES:
            join(phone=phone)
    assert [len(sms_to(sms_dir, phone)) for phone in PHONES] == [1, 0, 0]


def test_a_kiosk_ticket_without_contact_publishes_no_message(kiosk, anna, published):
    kiosk.post("/api/v1/kiosk/tickets/", {"service": "beratung"}, format="json")
    queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    assert not [e for e in published if isinstance(e, events.TicketMessageDue)]


def test_a_message_job_run_twice_sends_once(join, sms_dir):
    ticket_id = join(phone=PHONES[0])["id"]
    ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON)
    assert ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON) is None
    assert len(sent_sms(sms_dir)) == 1
    assert Notification.objects.get().attempts == 1
    assert JourneyEvent.objects.filter(kind=EventKind.TURN_SOON_SENT).count() == 1


def test_a_failed_send_is_retried_and_still_sent_once(join, sms_dir, monkeypatch):
    from booking.sms import FileSMSBackend

    ticket_id = join(phone=PHONES[0])["id"]
    real_send = FileSMSBackend.send

    def fail_once(self, to, text):
        monkeypatch.setattr(FileSMSBackend, "send", real_send)
        raise SMSError("gateway down")

    monkeypatch.setattr(FileSMSBackend, "send", fail_once)
    with pytest.raises(TransientSendError):
        ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON)
    assert Notification.objects.get().status == NotificationStatus.FAILED
    ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON)
    ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON)
    assert len(sent_sms(sms_dir)) == 1
    note = Notification.objects.get()
    assert (note.status, note.attempts) == (NotificationStatus.SENT, 2)


def test_a_claim_left_by_a_dead_sender_is_retried_after_ten_minutes(join, sms_dir):
    ticket = Ticket.objects.get(id=join(phone=PHONES[0])["id"])
    now = timezone.now()
    Notification.objects.create(
        ticket=ticket,
        kind=NotificationKind.TURN_SOON,
        key=ticket.number,
        claimed_at=now - dt.timedelta(minutes=5),
    )
    assert ticket_message_send(ticket_id=ticket.id, kind="turn_soon", now=now) is None
    later = now + dt.timedelta(minutes=6)
    assert ticket_message_send(ticket_id=ticket.id, kind="turn_soon", now=later).status == "sent"
    assert len(sent_sms(sms_dir)) == 1


def test_the_retry_sweep_sends_failed_messages_once(join, sms_dir):
    ticket = Ticket.objects.get(id=join(phone=PHONES[0])["id"])
    Notification.objects.create(
        ticket=ticket,
        kind=NotificationKind.TURN_SOON,
        key=ticket.number,
        status=NotificationStatus.FAILED,
        claimed_at=timezone.now(),
    )
    assert jobs.retry_ticket_messages() == 1
    assert jobs.retry_ticket_messages() == 0
    assert len(sent_sms(sms_dir)) == 1


def test_a_visitor_called_before_the_job_runs_is_not_told_almost(join, anna, sms_dir):
    ticket_id = join(phone=PHONES[0])["id"]
    queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    note = ticket_message_send(ticket_id=ticket_id, kind=NotificationKind.TURN_SOON)
    assert note.status == NotificationStatus.SKIPPED
    assert sent_sms(sms_dir) == []


def test_an_appointment_with_a_phone_hears_where_to_go_by_sms(
    device, make_appointment, anna, committed, sms_dir
):
    appointment = make_appointment(minutes=2)
    appointment.contact_phone = PHONES[0]
    appointment.save()
    checkin_at_kiosk(device=device, code=appointment.code)
    with committed():
        queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    texts = sms_to(sms_dir, PHONES[0])
    assert len(texts) == 1
    assert "Raum 2" in texts[0]
    assert "Lukas" not in texts[0]


def test_an_appointment_without_a_phone_gets_no_message(
    device, make_appointment, anna, committed, sms_dir
):
    checkin_at_kiosk(device=device, code=make_appointment(minutes=2).code)
    with committed():
        queue.ticket_call_next(advisor=anna, branch=anna.branches.get())
    assert sent_sms(sms_dir) == []
    assert mail.outbox == []
    assert not Notification.objects.filter(ticket__isnull=False).exists()


def test_a_late_advisors_visitor_hears_how_late_once(device, make_appointment, anna, sms_dir):
    appointment = make_appointment(minutes=20)
    appointment.contact_phone = PHONES[0]
    appointment.language = "en"
    appointment.save()
    ticket = checkin_at_kiosk(device=device, code=appointment.code).ticket
    anna.late_minutes = 15
    anna.save()
    for _ in range(2):
        ticket_message_send(ticket_id=ticket.id, kind=NotificationKind.RUNNING_LATE)
    texts = sent_sms(sms_dir)
    assert len(texts) == 1
    assert "about 15 minutes late" in texts[0]
    assert JourneyEvent.objects.filter(kind=EventKind.RUNNING_LATE).count() == 1


def test_the_late_message_is_not_sent_once_the_advisor_is_on_time(
    device, make_appointment, anna, sms_dir
):
    appointment = make_appointment(minutes=20)
    appointment.contact_phone = PHONES[0]
    appointment.save()
    ticket = checkin_at_kiosk(device=device, code=appointment.code).ticket
    note = ticket_message_send(ticket_id=ticket.id, kind=NotificationKind.RUNNING_LATE)
    assert note.status == NotificationStatus.SKIPPED

"""Winning a customer back: consent, one personal message, rebooking, re-rating, won back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.exceptions import Conflict, Invalid
from booking.models import (
    EventKind,
    JourneyEvent,
    Notification,
    NotificationKind,
    NotificationStatus,
    Recovery,
)
from booking.selectors.analytics import Period
from booking.selectors.service_levels import recoveries_summary
from booking.services.recovery import (
    recoveries_ask_rerating,
    recovery_mark_booked,
    recovery_rerate,
    recovery_send,
)

pytestmark = pytest.mark.django_db

MESSAGE = "Es tut uns leid. Wir möchten es wiedergutmachen."


@pytest.fixture
def sms(settings, tmp_path):
    settings.SMS_BACKEND = "booking.sms.FileSMSBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``recovery_send`` with what follows its commit (the message) run at once."""

    def call(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return recovery_send(**kwargs)

    return call


def sent_sms(folder) -> list[str]:
    return [p.read_text() for p in sorted(folder.glob("*.txt"))] if folder.exists() else []


def test_without_consent_no_message_can_be_sent(send, low_rating, manager):
    rating = low_rating(contact_ok=False)
    with pytest.raises(Conflict) as error:
        send(alert=rating.alert, user=manager, message=MESSAGE)
    assert error.value.code == "no_consent"
    assert not Recovery.objects.exists()


def test_the_message_goes_by_sms_with_a_rebooking_link(send, low_rating, manager, sms):
    rating = low_rating()
    recovery, created = send(alert=rating.alert, user=manager, message=MESSAGE)
    assert created
    [text] = sent_sms(sms)
    assert MESSAGE in text and f"/r/{recovery.token}/book/" in text
    event = JourneyEvent.objects.get(kind=EventKind.RECOVERY_SENT)
    assert (event.channel, event.appointment) == ("sms", rating.appointment)


def test_without_a_phone_the_message_goes_by_e_mail(send, low_rating, manager, sms):
    rating = low_rating(phone="")
    send(alert=rating.alert, user=manager, message=MESSAGE)
    [email] = [m for m in mail.outbox if MESSAGE in m.body]
    assert email.to == [rating.appointment.contact_email]
    assert sent_sms(sms) == []


def test_sending_again_sends_nothing_twice(send, low_rating, manager, sms):
    rating = low_rating()
    first, _ = send(alert=rating.alert, user=manager, message=MESSAGE)
    again, created = send(alert=rating.alert, user=manager, message=MESSAGE)
    assert (again.id, created) == (first.id, False)
    assert len(sent_sms(sms)) == 1
    with pytest.raises(Conflict):
        send(alert=rating.alert, user=manager, message="Something else")


def test_a_blank_message_is_refused(send, low_rating, manager):
    with pytest.raises(Invalid):
        send(alert=low_rating().alert, user=manager, message=" \x07 ")


def test_a_booking_through_the_link_is_recorded_once(
    send, low_rating, manager, make_appointment, sms
):
    recovery, _ = send(alert=low_rating().alert, user=manager, message=MESSAGE)
    rebooked = make_appointment(minutes=60 * 24 * 3)
    assert recovery_mark_booked(token=recovery.token, appointment=rebooked)
    assert not recovery_mark_booked(token=recovery.token, appointment=make_appointment(90))
    recovery.refresh_from_db()
    assert recovery.booked_appointment == rebooked
    assert JourneyEvent.objects.filter(kind=EventKind.RECOVERY_BOOKED).count() == 1


def test_the_rerating_link_goes_three_days_after_a_message_without_rebooking(
    send, low_rating, manager, sms, now
):
    recovery, _ = send(alert=low_rating().alert, user=manager, message=MESSAGE, now=now)
    assert recoveries_ask_rerating(now=now + dt.timedelta(days=2)) == 0
    assert recoveries_ask_rerating(now=now + dt.timedelta(days=3, minutes=1)) == 1
    assert recoveries_ask_rerating(now=now + dt.timedelta(days=4)) == 0
    texts = sent_sms(sms)
    assert len(texts) == 2 and f"/r/{recovery.token}/" in texts[1]
    assert Notification.objects.get(kind=NotificationKind.RERATING).status == (
        NotificationStatus.SENT
    )


def test_after_a_rebooking_the_rerating_link_waits_for_the_day_after_the_visit(
    send, low_rating, manager, make_appointment, sms, now
):
    recovery, _ = send(alert=low_rating().alert, user=manager, message=MESSAGE, now=now)
    rebooked = make_appointment(minutes=60 * 24 * 5)
    recovery_mark_booked(token=recovery.token, appointment=rebooked, now=now)
    assert recoveries_ask_rerating(now=now + dt.timedelta(days=4)) == 0
    assert recoveries_ask_rerating(now=rebooked.end + dt.timedelta(days=1, minutes=1)) == 1


def test_a_rerating_is_recorded_once(send, low_rating, manager, sms):
    recovery, _ = send(alert=low_rating().alert, user=manager, message=MESSAGE)
    recovery, changed = recovery_rerate(token=recovery.token, score=5)
    assert changed and recovery.rerated_score == 5
    recovery, changed = recovery_rerate(token=recovery.token, score=1)
    assert not changed and recovery.rerated_score == 5
    event = JourneyEvent.objects.get(kind=EventKind.RERATED)
    assert event.detail == {"score": 5, "before": 1}


def test_won_back_counts_re_ratings_of_four_or_five_after_a_one_or_two(
    send, low_rating, manager, branch, sms, now
):
    for score in (5, 4, 3):
        recovery, _ = send(alert=low_rating().alert, user=manager, message=MESSAGE)
        recovery_rerate(token=recovery.token, score=score)
    send(alert=low_rating().alert, user=manager, message=MESSAGE)  # not re-rated
    day = branch.local_date(now)
    summary = recoveries_summary(Period(branch, day, day))
    assert summary == {"sent": 4, "rebooked": 0, "rerated": 3, "won_back": 2}

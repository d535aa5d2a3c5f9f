"""Ratings that join their visits: consent to be contacted, today's ticket numbers,
wrong codes counted against the kiosk, and how late or early a kiosk's clock may be."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.exceptions import Invalid, NotFound, Throttled
from booking.models import Alert
from booking.services.ratings import rating_submit

pytestmark = pytest.mark.django_db


def rate(device, **kwargs):
    kwargs.setdefault("client_id", uuid.uuid4())
    kwargs.setdefault("score", 2)
    return rating_submit(device=device, **kwargs)


def test_the_answer_to_may_we_contact_you_is_stored(device, walk_in):
    rating, _ = rate(device, code=walk_in.number, contact_ok=True)
    assert rating.contact_ok is True


def test_a_rating_by_todays_ticket_number_joins_the_walk_ins_visit(device, walk_in, anna):
    rating, _ = rate(device, code=walk_in.number.lower(), score=4)
    assert rating.ticket == walk_in
    assert rating.service == walk_in.service


def test_the_alert_of_a_low_rating_carries_the_visit(device, walk_in):
    rating, _ = rate(device, code=walk_in.number, score=1)
    alert = Alert.objects.get(rating=rating)
    assert alert.ticket == walk_in


def test_an_unknown_ticket_number_is_not_found(device, walk_in):
    with pytest.raises(NotFound):
        rate(device, code="Z999")


def test_wrong_codes_sent_to_ratings_count_against_the_kiosk(device, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "3/600"}
    for _ in range(3):
        with pytest.raises(NotFound):
            rate(device, code="ABCD2345")
    with pytest.raises(Throttled) as error:
        rate(device, code="ABCD2345")
    assert error.value.retry_after > 0


def test_an_anonymous_rating_is_not_held_up_by_the_wrong_code_limit(device, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "1/600"}
    with pytest.raises(NotFound):
        rate(device, code="ABCD2345")
    rating, created = rate(device, score=5)
    assert created and rating.ticket is None


def test_a_rating_up_to_a_day_old_is_accepted(device, now):
    rating, _ = rate(device, given_at=now - dt.timedelta(hours=23, minutes=59), now=now)
    assert rating.given_at == now - dt.timedelta(hours=23, minutes=59)


def test_a_rating_older_than_a_day_is_refused(device, now):
    with pytest.raises(Invalid) as error:
        rate(device, given_at=now - dt.timedelta(hours=24, minutes=1), now=now)
    assert error.value.field == "given_at"


def test_a_kiosk_clock_up_to_ten_minutes_ahead_is_believed(device, now):
    rating, _ = rate(device, given_at=now + dt.timedelta(minutes=9), now=now)
    assert rating.given_at == now


def test_a_kiosk_clock_further_ahead_is_refused(device, now):
    with pytest.raises(Invalid):
        rate(device, given_at=now + dt.timedelta(minutes=11), now=now)

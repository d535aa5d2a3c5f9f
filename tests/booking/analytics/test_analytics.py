"""Funnel, satisfaction and journeys on constructed data whose answers are known."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.models import (
    Appointment,
    Customer,
    Notification,
    NotificationKind,
    NotificationStatus,
    Rating,
)
from booking.selectors.analytics import Period, funnel, satisfaction
from booking.services.codes import new_code, new_manage_token
from tests.conftest import BERLIN

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 5)  # a Monday


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


@pytest.fixture
def make(branch, service, anna):
    customer = Customer.objects.create(name="Kundin", email="k@example.org")

    def appointment(
        day=DAY,
        hour=9,
        *,
        status="served",
        checked_in=True,
        confirmed=True,
        reminded=False,
        channel="web",
    ) -> Appointment:
        start = at(day, hour)
        end = start + dt.timedelta(minutes=30)
        made = Appointment.objects.create(
            branch=branch,
            service=service,
            advisor=anna,
            customer=customer,
            start=start,
            end=end,
            occupied_from=start,
            occupied_until=end,
            code=new_code(),
            manage_token=new_manage_token(),
            status=status,
            channel=channel,
            checked_in_at=start if checked_in else None,
        )
        for kind, wanted in (
            (NotificationKind.CONFIRMATION, confirmed),
            (NotificationKind.REMINDER_EMAIL, reminded),
        ):
            if wanted:
                Notification.objects.create(
                    appointment=made,
                    kind=kind,
                    key=start.isoformat(),
                    status=NotificationStatus.SENT,
                )
        return made

    return appointment


def rate(branch, score, *, given_at, appointment=None, wait=None, advisor=None, service=None):
    return Rating.objects.create(
        branch=branch,
        client_id=uuid.uuid4(),
        score=score,
        given_at=given_at,
        appointment=appointment,
        wait_minutes=wait,
        advisor=advisor,
        service=service,
    )


def steps(result) -> dict:
    return {row["step"]: row["count"] for row in result["steps"]}


def test_the_funnel_counts_each_step(branch, make):
    served = make(hour=9)
    make(hour=10, status="no_show", checked_in=False, reminded=True)
    make(hour=11, status="cancelled", checked_in=False, confirmed=True)
    make(hour=12, status="booked", checked_in=False, confirmed=False)
    rate(branch, 5, given_at=at(DAY, 10), appointment=served)
    result = funnel(Period(branch, DAY, DAY))
    assert steps(result) == {
        "booked": 4,
        "confirmed": 3,
        "reminded": 1,
        "arrived": 1,
        "served": 1,
        "rated": 1,
    }
    assert (result["cancelled"], result["no_show"]) == (1, 1)
    assert (result["cancellation_rate"], result["no_show_rate"]) == (0.25, 0.25)


def test_the_funnel_counts_by_visit_day_in_the_branchs_time_zone(branch, make):
    make(DAY, 0)  # 00:00 local is 22:00 UTC the day before
    make(DAY + dt.timedelta(days=1), 9)
    assert steps(funnel(Period(branch, DAY, DAY)))["booked"] == 1


def test_the_funnel_can_be_cut_by_service_and_by_channel(branch, make, service):
    make(hour=9, channel="web")
    make(hour=10, channel="phone")
    assert steps(funnel(Period(branch, DAY, DAY), channel="web"))["booked"] == 1
    assert steps(funnel(Period(branch, DAY, DAY), service="other"))["booked"] == 0
    assert steps(funnel(Period(branch, DAY, DAY), service=service.slug))["booked"] == 2


def test_an_empty_period_has_zero_rates(branch):
    result = funnel(Period(branch, DAY, DAY))
    assert result["no_show_rate"] == 0 and steps(result)["booked"] == 0


def test_satisfaction_by_day_averages_scores_and_waits(branch):
    rate(branch, 5, given_at=at(DAY, 9), wait=2)
    rate(branch, 2, given_at=at(DAY, 11), wait=20)
    rate(branch, 4, given_at=at(DAY + dt.timedelta(days=1), 9), wait=None)
    rows = satisfaction(Period(branch, DAY, DAY + dt.timedelta(days=1)), "day")
    assert rows == [
        {"key": "2026-10-05", "count": 2, "avg_score": 3.5, "avg_wait_minutes": 11.0},
        {"key": "2026-10-06", "count": 1, "avg_score": 4.0, "avg_wait_minutes": None},
    ]


def test_a_rating_just_after_local_midnight_counts_on_that_local_day(branch):
    rate(branch, 3, given_at=at(DAY, 0, 30))  # 22:30 UTC the day before
    assert [r["key"] for r in satisfaction(Period(branch, DAY, DAY), "day")] == ["2026-10-05"]


def test_satisfaction_by_hour_uses_the_local_hour(branch):
    rate(branch, 5, given_at=at(DAY, 9, 15))
    rate(branch, 3, given_at=at(DAY, 9, 45))
    rate(branch, 1, given_at=at(DAY, 16))
    rows = satisfaction(Period(branch, DAY, DAY), "hour")
    assert [(r["key"], r["count"], r["avg_score"]) for r in rows] == [("9", 2, 4.0), ("16", 1, 1.0)]


def test_satisfaction_by_waiting_band_shows_whether_long_waits_hurt(branch):
    for score, wait in ((5, 1), (5, 3), (4, 12), (2, 25), (1, 45)):
        rate(branch, score, given_at=at(DAY, 10), wait=wait)
    rows = {
        r["key"]: (r["count"], r["avg_score"])
        for r in satisfaction(Period(branch, DAY, DAY), "wait")
    }
    assert rows == {"0-5": (2, 5.0), "10-20": (1, 4.0), "20-30": (1, 2.0), "30+": (1, 1.0)}


def test_satisfaction_by_advisor_and_service(branch, anna, service):
    rate(branch, 4, given_at=at(DAY, 10), advisor=anna, service=service)
    rate(branch, 2, given_at=at(DAY, 11), advisor=anna, service=service)
    assert satisfaction(Period(branch, DAY, DAY), "advisor")[0] == {
        "key": "Anna Weber",
        "count": 2,
        "avg_score": 3.0,
        "avg_wait_minutes": None,
    }
    assert satisfaction(Period(branch, DAY, DAY), "service")[0]["key"] == "Beratung"


def test_satisfaction_by_kind_of_visit(branch, make):
    rate(branch, 5, given_at=at(DAY, 10), appointment=make(hour=9))
    rate(branch, 3, given_at=at(DAY, 10))
    keys = {r["key"]: r["count"] for r in satisfaction(Period(branch, DAY, DAY), "visit")}
    assert keys == {"anonymous": 1, "appointment": 1}


def test_another_branchs_ratings_do_not_count(branch, other_branch):
    rate(other_branch, 1, given_at=at(DAY, 10))
    assert satisfaction(Period(branch, DAY, DAY), "day") == []

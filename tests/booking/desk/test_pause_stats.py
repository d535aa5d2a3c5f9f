"""Paused minutes of the day, by reason and by advisor, in the branch's stats."""

from __future__ import annotations

import datetime as dt

import pytest

from booking.models import StatusPeriod
from booking.selectors.stats import branch_day_stats
from booking.services.advisors import advisor_status_set

pytestmark = pytest.mark.django_db

DAY = dt.date(2020, 3, 11)  # a day gone by: every time here is fixed, none is "now"


@pytest.fixture
def morning(branch):
    """9:00 on a fixed day, where the branch is."""
    branch.timezone = "Europe/Berlin"
    branch.save()
    return dt.datetime.combine(DAY, dt.time(9), tzinfo=branch.tz)


def at(morning, minutes: int) -> dt.datetime:
    return morning + dt.timedelta(minutes=minutes)


def test_pause_minutes_are_summed_by_reason(branch, anna, jonas, morning):
    for advisor, steps in (
        (anna, [(0, "available", ""), (180, "paused", "lunch"), (210, "available", "")]),
        (jonas, [(0, "paused", "admin"), (15, "paused", "lunch"), (60, "available", "")]),
    ):
        for minutes, status, reason in steps:
            advisor_status_set(
                advisor=advisor, status=status, reason=reason, now=at(morning, minutes)
            )
    stats = branch_day_stats(branch, DAY, now=at(morning, 8 * 60))
    assert stats["pauses"] == {"lunch": 75.0, "admin": 15.0, "training": 0.0, "other": 0.0}


def test_pause_minutes_are_shown_per_advisor(branch, anna, jonas, morning):
    advisor_status_set(advisor=anna, status="paused", reason="training", now=morning)
    advisor_status_set(advisor=anna, status="available", now=at(morning, 90))
    rows = branch_day_stats(branch, DAY, now=at(morning, 8 * 60))["pauses_by_advisor"]
    assert rows == [
        {
            "advisor": {"id": anna.id, "name": "Anna Weber"},
            "minutes": {"lunch": 0.0, "admin": 0.0, "training": 90.0, "other": 0.0},
            "total": 90.0,
        }
    ]


def test_a_pause_still_going_counts_until_now(branch, anna, morning):
    advisor_status_set(advisor=anna, status="paused", reason="other", now=morning)
    stats = branch_day_stats(branch, DAY, now=at(morning, 25))
    assert stats["pauses"]["other"] == 25.0


def test_only_the_part_of_a_pause_within_the_day_counts(branch, anna, morning):
    midnight = dt.datetime.combine(DAY, dt.time(0), tzinfo=branch.tz)
    StatusPeriod.objects.create(
        advisor=anna,
        status="paused",
        reason="admin",
        start=midnight - dt.timedelta(minutes=30),
        end=midnight + dt.timedelta(minutes=10),
    )
    assert branch_day_stats(branch, DAY, now=morning)["pauses"]["admin"] == 10.0


def test_a_day_without_breaks_has_zero_minutes_and_no_rows(branch, anna, morning):
    stats = branch_day_stats(branch, DAY, now=morning)
    assert stats["pauses"] == {"lunch": 0.0, "admin": 0.0, "training": 0.0, "other": 0.0}
    assert stats["pauses_by_advisor"] == []


def test_advisors_of_other_branches_are_not_counted(branch, other_branch, service, morning):
    from tests.conftest import make_advisor

    eve = make_advisor(other_branch, [service], "Eve Fremd")
    advisor_status_set(advisor=eve, status="paused", reason="lunch", now=morning)
    assert branch_day_stats(branch, DAY, now=at(morning, 30))["pauses"]["lunch"] == 0.0


def test_the_stats_api_answers_the_pauses(staff_api, branch, anna, morning):
    advisor_status_set(advisor=anna, status="paused", reason="lunch", now=morning)
    advisor_status_set(advisor=anna, status="available", now=at(morning, 30))
    body = staff_api.get("/api/v1/branches/mitte/stats/", {"date": DAY.isoformat()}).json()
    assert body["pauses"]["lunch"] == 30.0
    assert body["pauses_by_advisor"][0]["advisor"]["name"] == "Anna Weber"

"""An advisor's own feedback: their ratings and mean by week, comments only of visits
they served themselves."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from booking.services import queue
from booking.services.ratings import rating_submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/advisors/me/ratings/"


def rate(device, *, score: int, comment: str = "", given_at=None, **visit):
    rating, _created = rating_submit(
        device=device,
        client_id=uuid.uuid4(),
        score=score,
        comment=comment,
        tags=["friendly"],
        given_at=given_at,
        now=given_at,  # received when given (a late rating must be under a day old)
        **visit,
    )
    return rating


def served(advisor, branch, service):
    """A walk-in the advisor called, served and finished."""
    queue.walk_in_take(branch=branch, service=service)
    ticket = queue.ticket_call_next(advisor=advisor, branch=branch)
    queue.ticket_start(ticket=ticket, advisor=advisor)
    return queue.ticket_finish(ticket=ticket, advisor=advisor)


def test_an_advisor_sees_their_own_ratings_with_the_comment(
    staff_api, device, anna, branch, service
):
    ticket = served(anna, branch, service)
    rate(device, score=5, comment="Sehr kompetent", ticket_id=ticket.id)
    body = staff_api.get(URL).json()
    assert body["count"] == 1
    rating = body["results"][0]
    assert (rating["score"], rating["comment"], rating["tags"]) == (
        5,
        "Sehr kompetent",
        ["friendly"],
    )
    assert (rating["service"], rating["served_by_me"]) == ("beratung", True)
    assert rating["date"] == branch.local_date(timezone.now()).isoformat()


def test_ratings_of_a_colleagues_visits_are_not_shown(staff_api, device, jonas, branch, service):
    rate(device, score=2, comment="Zu lange gewartet", ticket_id=served(jonas, branch, service).id)
    body = staff_api.get(URL).json()
    assert body["count"] == 0
    assert "Zu lange gewartet" not in str(body)


def test_a_visit_a_colleague_served_and_handed_on_shows_no_comment(
    staff_api, device, anna, jonas, branch, service
):
    queue.walk_in_take(branch=branch, service=service)
    ticket = queue.ticket_call_next(advisor=jonas, branch=branch)
    queue.ticket_start(ticket=ticket, advisor=jonas)
    queue.ticket_transfer(ticket=ticket, to_advisor=anna, by=jonas)
    rate(device, score=1, comment="Herr Becker war unfreundlich", ticket_id=ticket.id)
    body = staff_api.get(URL).json()
    assert [r["score"] for r in body["results"]] == [1]
    assert body["results"][0]["comment"] is None
    assert body["results"][0]["served_by_me"] is False
    assert "Becker" not in str(body)


def test_a_rating_of_a_booking_nobody_served_shows_no_comment(
    staff_api, device, anna, make_appointment
):
    appointment = make_appointment(minutes=-30)
    rate(device, score=4, comment="Niemand war da", code=appointment.code)
    body = staff_api.get(URL).json()
    assert body["results"][0]["comment"] is None


def test_the_mean_by_week(staff_api, device, anna, branch, service):
    now = timezone.now()
    for score, days_ago in ((5, 0), (3, 0), (2, 8)):
        ticket = served(anna, branch, service)
        rate(device, score=score, ticket_id=ticket.id, given_at=now - dt.timedelta(days=days_ago))
    body = staff_api.get(URL).json()
    assert body["avg"] == round(10 / 3, 2)
    assert [(w["count"], w["avg"]) for w in body["weeks"]] == [(1, 2.0), (2, 4.0)]
    this_week = body["weeks"][-1]
    monday = dt.date.fromisoformat(this_week["start"])
    assert monday.weekday() == 0
    assert this_week["week"] == f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"


def test_fewer_weeks_can_be_asked_for(staff_api, device, anna, branch, service):
    now = timezone.now()
    for days_ago in (0, 8):
        ticket = served(anna, branch, service)
        rate(device, score=4, ticket_id=ticket.id, given_at=now - dt.timedelta(days=days_ago))
    assert len(staff_api.get(URL, {"weeks": 1}).json()["weeks"]) == 1
    assert staff_api.get(URL, {"weeks": 0}).status_code == 400


def test_without_ratings_the_answer_is_empty(staff_api, anna):
    body = staff_api.get(URL).json()
    assert (body["count"], body["avg"], body["weeks"], body["results"]) == (0, None, [], [])


def test_a_manager_who_is_no_advisor_has_no_own_ratings(manager_api):
    assert manager_api.get(URL).status_code == 403

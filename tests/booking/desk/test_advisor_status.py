"""An advisor's status: running late (told once to each waiting visitor), breaks with a
reason, and a period for every change of status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking import events
from booking.models import (
    Advisor,
    AdvisorStatus,
    EventKind,
    JourneyEvent,
    StatusPeriod,
    Ticket,
)
from booking.selectors.queue import queue_snapshot, ticket_place
from booking.services import queue
from booking.services.advisors import advisor_status_set
from booking.services.checkin import checkin_at_kiosk

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/advisors/me/status/"


def say(api, **body):
    return api.post(STATUS, body, format="json")


@pytest.fixture
def published(monkeypatch):
    """The domain events a request publishes, once its transaction commits."""
    seen: list[events.Event] = []
    original = events.dispatch

    def dispatch(event):
        seen.append(event)
        original(event)

    monkeypatch.setattr(events, "dispatch", dispatch)
    return seen


@pytest.fixture
def two_waiting(device, make_appointment):
    """Two visitors checked in for Anna, waiting."""
    return [
        checkin_at_kiosk(device=device, code=make_appointment(minutes=m).code).ticket
        for m in (20, 55)
    ]


def estimates(api) -> dict[int, int]:
    waiting = api.get("/api/v1/branches/mitte/queue/").json()["waiting"]
    return {t["id"]: t["estimated_wait_minutes"] for t in waiting}


# --- running late ------------------------------------------------------------------------


def test_running_late_keeps_the_status_and_notes_the_minutes(staff_api, anna):
    advisor_status_set(advisor=anna, status=AdvisorStatus.BUSY)
    response = say(staff_api, status="running_late", minutes=15)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["late_minutes"]) == ("busy", 15)
    assert body["late_since"]
    anna.refresh_from_db()
    assert (anna.status, anna.late_minutes) == ("busy", 15)
    assert anna.late_since is not None


def test_the_estimates_of_the_advisors_waiting_visitors_move_by_the_minutes(
    staff_api, anna, two_waiting
):
    before = estimates(staff_api)
    say(staff_api, status="running_late", minutes=15)
    after = estimates(staff_api)
    assert {t.id: after[t.id] - before[t.id] for t in two_waiting} == {
        two_waiting[0].id: 15,
        two_waiting[1].id: 15,
    }


def test_one_tickets_place_moves_the_same_as_the_whole_queues(staff_api, anna, two_waiting):
    say(staff_api, status="running_late", minutes=20)
    now = timezone.now()
    ticket = Ticket.objects.select_related("advisor", "appointment", "branch", "service").get(
        id=two_waiting[1].id
    )
    snapshot = queue_snapshot(ticket.branch, now)
    assert ticket_place(ticket, now) == snapshot.places[ticket.id]
    assert ticket_place(ticket, now).estimated_wait_minutes >= 20


def test_visitors_of_other_advisors_keep_their_estimates(
    staff_api, anna, jonas, device, make_appointment
):
    other = checkin_at_kiosk(device=device, code=make_appointment(advisor=jonas).code).ticket
    walk_in = queue.walk_in_take(branch=anna.branches.get(), service=anna.services.get())
    before = estimates(staff_api)
    say(staff_api, status="running_late", minutes=30)
    after = estimates(staff_api)
    assert after[other.id] == before[other.id]
    assert after[walk_in.id] == before[walk_in.id]


def test_each_waiting_visitor_gets_one_journey_event(staff_api, anna, two_waiting):
    say(staff_api, status="running_late", minutes=15)
    recorded = JourneyEvent.objects.filter(kind=EventKind.RUNNING_LATE)
    assert sorted(recorded.values_list("ticket_id", flat=True)) == [t.id for t in two_waiting]
    assert recorded.first().detail["minutes"] == 15


def test_each_waiting_visitor_is_told_once_even_if_the_advisor_says_it_twice(
    staff_api, anna, two_waiting, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        say(staff_api, status="running_late", minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        say(staff_api, status="running_late", minutes=25)
    told = [e for e in published if isinstance(e, events.TicketMessageDue)]
    assert sorted((e.ticket_id, e.kind) for e in told) == [
        (two_waiting[0].id, "running_late"),
        (two_waiting[1].id, "running_late"),
    ]
    assert JourneyEvent.objects.filter(kind=EventKind.RUNNING_LATE).count() == 2
    assert Advisor.objects.get(id=anna.id).late_minutes == 25


def test_a_visitor_who_arrives_after_the_advisor_said_it_is_told_too(
    staff_api, anna, device, make_appointment, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        say(staff_api, status="running_late", minutes=10)
    later = checkin_at_kiosk(device=device, code=make_appointment(minutes=30).code).ticket
    with django_capture_on_commit_callbacks(execute=True):
        say(staff_api, status="running_late", minutes=15)
    told = [e.ticket_id for e in published if isinstance(e, events.TicketMessageDue)]
    assert told == [later.id]


def test_the_status_pages_and_queue_screens_are_told_the_estimates_moved(
    staff_api, anna, two_waiting, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        say(staff_api, status="running_late", minutes=10)
    changed = {e.ticket_id for e in published if isinstance(e, events.TicketChanged)}
    assert changed == {t.id for t in two_waiting}
    assert any(isinstance(e, events.QueueChanged) for e in published)


def test_running_late_with_nobody_waiting_is_fine(staff_api, anna):
    response = say(staff_api, status="running_late", minutes=5)
    assert response.status_code == 200
    assert response.json()["late_minutes"] == 5
    assert not JourneyEvent.objects.filter(kind=EventKind.RUNNING_LATE).exists()


@pytest.mark.parametrize("minutes", [None, 0, 241, -5, "soon"])
def test_running_late_needs_1_to_240_minutes(staff_api, anna, minutes):
    body = {"status": "running_late"}
    if minutes is not None:
        body["minutes"] = minutes
    response = say(staff_api, **body)
    assert response.status_code == 400
    assert "minutes" in response.json()["errors"]


def test_any_other_status_ends_running_late(staff_api, anna, two_waiting):
    before = estimates(staff_api)
    say(staff_api, status="running_late", minutes=15)
    response = say(staff_api, status="available")
    assert response.json()["late_minutes"] is None
    anna.refresh_from_db()
    assert (anna.late_minutes, anna.late_since) == (None, None)
    assert estimates(staff_api) == before


def test_calling_the_next_visitor_does_not_end_running_late(staff_api, anna, two_waiting, branch):
    say(staff_api, status="running_late", minutes=15)
    queue.ticket_call_next(advisor=anna, branch=branch)
    assert Advisor.objects.get(id=anna.id).late_minutes == 15


def test_the_kiosk_greeting_of_a_later_check_in_says_the_advisor_runs_late(
    staff_api, anna, device, make_appointment
):
    say(staff_api, status="running_late", minutes=15)
    appointment = make_appointment(minutes=30)
    result = checkin_at_kiosk(device=device, code=appointment.code)
    assert "15" in result.message
    later = (appointment.start + dt.timedelta(minutes=15)).astimezone(appointment.branch.tz)
    assert later.strftime("%H:%M") in result.message
    assert result.place.estimated_wait_minutes >= 15


def test_the_status_read_back_tells_late_minutes_and_pause_reason(staff_api, anna):
    say(staff_api, status="running_late", minutes=20)
    body = staff_api.get(STATUS).json()
    assert (body["status"], body["late_minutes"], body["pause_reason"]) == ("offline", 20, "")


def test_a_manager_who_is_no_advisor_has_no_status(manager_api):
    assert manager_api.post(STATUS, {"status": "available"}, format="json").status_code == 403


# --- breaks with reasons -----------------------------------------------------------------


def test_a_pause_without_a_reason_is_400(staff_api, anna):
    response = say(staff_api, status="paused")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert Advisor.objects.get(id=anna.id).status == "offline"


def test_an_unknown_pause_reason_is_400(staff_api, anna):
    response = say(staff_api, status="paused", reason="nap")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_a_pause_with_a_reason_is_noted(staff_api, anna):
    body = say(staff_api, status="paused", reason="lunch").json()
    assert (body["status"], body["pause_reason"]) == ("paused", "lunch")


def test_the_reason_goes_with_the_pause(staff_api, anna):
    say(staff_api, status="paused", reason="training")
    body = say(staff_api, status="available").json()
    assert (body["status"], body["pause_reason"]) == ("available", "")


def test_every_change_closes_the_open_period_and_opens_the_next(anna):
    start = timezone.now()
    steps = [("available", ""), ("paused", "lunch"), ("paused", "admin"), ("available", "")]
    for minutes, (status, reason) in enumerate(steps):
        advisor_status_set(
            advisor=anna, status=status, reason=reason, now=start + dt.timedelta(minutes=minutes)
        )
    periods = list(StatusPeriod.objects.filter(advisor=anna).order_by("start"))
    assert [(p.status, p.reason) for p in periods] == steps
    assert [p.end is None for p in periods] == [False, False, False, True]
    assert all(a.end == b.start for a, b in zip(periods, periods[1:], strict=False))


def test_saying_the_same_status_again_opens_no_new_period(anna):
    advisor_status_set(advisor=anna, status="paused", reason="lunch")
    advisor_status_set(advisor=anna, status="paused", reason="lunch")
    assert StatusPeriod.objects.filter(advisor=anna).count() == 1


def test_calling_and_finishing_are_status_periods_too(anna, branch, service):
    queue.walk_in_take(branch=branch, service=service)
    advisor_status_set(advisor=anna, status="available")
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    queue.ticket_start(ticket=ticket, advisor=anna)
    queue.ticket_finish(ticket=ticket, advisor=anna)
    statuses = list(StatusPeriod.objects.filter(advisor=anna).values_list("status", flat=True))
    assert statuses == ["available", "busy", "available"]
    assert StatusPeriod.objects.filter(advisor=anna, end__isnull=True).count() == 1


def test_a_pause_ends_when_the_advisor_calls_a_visitor(anna, branch, service):
    queue.walk_in_take(branch=branch, service=service)
    advisor_status_set(advisor=anna, status="paused", reason="admin")
    queue.ticket_call_next(advisor=anna, branch=branch)
    anna.refresh_from_db()
    assert (anna.status, anna.pause_reason) == ("busy", "")

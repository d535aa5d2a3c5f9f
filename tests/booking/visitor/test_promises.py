"""Promises kept: the wait shown at issue against the wait it became."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from booking.models import Ticket, TicketKind, TicketStatus
from booking.selectors.promises import promise_figures
from booking.selectors.stats import branch_day_stats

pytestmark = pytest.mark.django_db

DAY = dt.date(2100, 3, 1)  # far ahead: the figures ask for a day, never for "now"
numbers = itertools.count(1)


def visit(branch, service, *, promised, waited=None, day=DAY, status=None, ended_after=None):
    """A visit queued at ten that was promised ``promised`` minutes and called after
    ``waited`` minutes (or ended, left or no-show, after ``ended_after``)."""
    queued = dt.datetime.combine(day, dt.time(10), tzinfo=branch.tz)
    called = queued + dt.timedelta(minutes=waited) if waited is not None else None
    return Ticket.objects.create(
        branch=branch,
        service=service,
        day=day,
        number=f"A{next(numbers):03d}",
        kind=TicketKind.WALK_IN,
        status=status or (TicketStatus.DONE if called else TicketStatus.WAITING),
        queued_at=queued,
        promised_wait_minutes=promised,
        called_at=called,
        finished_at=queued + dt.timedelta(minutes=ended_after) if ended_after else None,
    )


def test_a_call_within_the_promise_and_five_minutes_keeps_it(branch, service):
    visit(branch, service, promised=30, waited=20)
    visit(branch, service, promised=30, waited=35)
    assert promise_figures(branch, DAY)["promises"] == {"kept": 2, "broken": 0}


def test_a_later_call_breaks_it(branch, service):
    visit(branch, service, promised=30, waited=36)
    assert promise_figures(branch, DAY)["promises"] == {"kept": 0, "broken": 1}


def test_giving_up_after_the_promise_breaks_it_and_before_decides_nothing(branch, service):
    visit(branch, service, promised=10, status=TicketStatus.LEFT, ended_after=40)
    visit(branch, service, promised=30, status=TicketStatus.LEFT, ended_after=3)
    visit(branch, service, promised=30)  # still waiting
    assert promise_figures(branch, DAY)["promises"] == {"kept": 0, "broken": 1}


def test_a_transferred_visit_is_held_to_its_first_promise(branch, service):
    first = visit(branch, service, promised=10, status=TicketStatus.TRANSFERRED)
    Ticket.objects.create(
        branch=branch,
        service=service,
        day=DAY,
        number=first.number,
        kind=first.kind,
        status=TicketStatus.DONE,
        queued_at=first.queued_at,
        promised_wait_minutes=10,
        called_at=first.queued_at + dt.timedelta(minutes=40),
        transferred_from=first,
        status_token=None,
    )
    assert promise_figures(branch, DAY)["promises"] == {"kept": 0, "broken": 1}


def test_the_estimate_error_is_the_mean_absolute_error_of_the_last_seven_days(branch, service):
    visit(branch, service, promised=30, waited=25)  # off by 5
    visit(branch, service, promised=10, waited=25, day=DAY - dt.timedelta(days=6))  # by 15
    visit(branch, service, promised=10, waited=90, day=DAY - dt.timedelta(days=7))  # too old
    visit(branch, service, promised=10)  # not called: no error yet
    figures = promise_figures(branch, DAY)
    assert figures["estimate_error_minutes"] == 10.0
    assert figures["estimate_error_visits"] == 2


def test_the_day_stats_carry_the_promises(branch, service):
    visit(branch, service, promised=30, waited=20)
    stats = branch_day_stats(branch, DAY)
    assert stats["promises"] == {"kept": 1, "broken": 0}
    assert stats["estimate_error_minutes"] == 10.0


def test_the_stats_api_answers_promises_and_the_estimate_error(staff_api, branch, service):
    visit(branch, service, promised=30, waited=40)
    body = staff_api.get(f"/api/v1/branches/mitte/stats/?date={DAY}").json()
    assert body["promises"] == {"kept": 0, "broken": 1}
    assert body["estimate_error_minutes"] == 10.0


def test_the_manager_page_shows_promises_and_the_estimate_error(client, branch, django_user_model):
    manager = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(manager)
    client.force_login(manager)
    html = client.get("/manager/mitte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="kpi-promises"' in html
    assert 'id="kpi-estimate-error"' in html
    assert '"promises": {"kept": 0, "broken": 0}' in html

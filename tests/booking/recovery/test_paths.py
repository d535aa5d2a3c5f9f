"""Journeys as they ran, counted on a hand-made set whose answer is known."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.models import Appointment, Customer, JourneyEvent, Rating, Ticket
from booking.selectors.analytics import Period
from booking.selectors.paths import journey_paths
from tests.conftest import local
from tests.support import booked

pytestmark = pytest.mark.django_db

DAY = dt.date(2031, 3, 10)  # a Monday far ahead; every event is placed relative to it


def at(days: float, hour: int = 10) -> dt.datetime:
    return local(DAY, hour) + dt.timedelta(days=days)


@pytest.fixture
def world(branch, service, anna):
    """Builds visits: ``visit(customer, [(kind, moment, detail)], ticket=...)``."""

    def appointment(customer: Customer, start: dt.datetime) -> Appointment:
        return booked(branch=branch, service=service, advisor=anna, start=start, customer=customer)

    def ticket(number: str, day: dt.date) -> Ticket:
        return Ticket.objects.create(
            branch=branch,
            service=service,
            day=day,
            number=number,
            kind="walk_in",
            queued_at=local(day, 9),
        )

    def events(rows, *, customer=None, appointment=None, ticket=None):
        for kind, moment, detail in rows:
            if kind == "rated":  # the visit's rating is the journey's score
                Rating.objects.create(
                    branch=branch,
                    client_id=uuid.uuid4(),
                    score=detail["score"],
                    given_at=moment,
                    appointment=appointment,
                    ticket=ticket,
                    customer=customer,
                )
        JourneyEvent.objects.bulk_create(
            JourneyEvent(
                branch=branch,
                kind=kind,
                channel="web",
                at=moment,
                customer=customer,
                appointment=appointment,
                ticket=ticket,
                detail=detail or {},
            )
            for kind, moment, detail in rows
        )

    return appointment, ticket, events


def served(start: dt.datetime, score: int | None, *, reminders: int = 1) -> list:
    rows = [("booked", start - dt.timedelta(days=5), None)]
    rows += [("reminder_sent", start - dt.timedelta(hours=24 - n), None) for n in range(reminders)]
    rows += [
        ("checked_in", start - dt.timedelta(minutes=5), None),
        ("called", start, None),
        ("finished", start + dt.timedelta(minutes=30), None),
    ]
    if score:
        rows.append(("rated", start + dt.timedelta(minutes=35), {"score": score}))
    return rows


def test_paths_are_counted_with_their_mean_rating_repeats_collapsed(world, branch):
    appointment, ticket, events = world
    for n, (score, reminders) in enumerate([(5, 1), (3, 2), (4, 1)]):
        customer = Customer.objects.create(name=f"C{n}", email=f"c{n}@example.org")
        events(
            served(at(n), score, reminders=reminders),
            customer=customer,
            appointment=appointment(customer, at(n)),
        )
    walk_in = ticket("A001", DAY)
    events(
        [
            ("ticket_issued", at(0, 9), None),
            ("called", at(0, 10), None),
            ("transferred", at(0, 10), None),
            ("called", at(0, 11), None),
            ("finished", at(0, 12), None),
        ],
        ticket=walk_in,
    )
    result = journey_paths(Period(branch, DAY, DAY + dt.timedelta(days=6)))
    assert result["journeys"] == 4
    assert result["paths"] == [
        {
            "steps": ["booked", "reminder_sent", "checked_in", "called", "finished", "rated"],
            "count": 3,
            "avg_score": 4.0,
        },
        {
            "steps": ["ticket_issued", "called", "transferred", "called", "finished"],
            "count": 1,
            "avg_score": None,
        },
    ]


def test_cancelled_then_rebooked_is_one_journey(world, branch):
    appointment, _ticket, events = world
    customer = Customer.objects.create(name="Lena", email="lena@example.org")
    first = appointment(customer, at(1))
    events(
        [("booked", at(-3), None), ("cancelled", at(-2), None)],
        customer=customer,
        appointment=first,
    )
    events(served(at(4), 2), customer=customer, appointment=appointment(customer, at(4)))
    [path] = journey_paths(Period(branch, DAY, DAY + dt.timedelta(days=6)))["paths"]
    assert path["steps"] == [
        "booked",
        "cancelled",
        "booked",
        "reminder_sent",
        "checked_in",
        "called",
        "finished",
        "rated",
    ]


def test_a_no_show_then_a_walk_in_by_the_same_customer_is_one_journey(world, branch):
    appointment, ticket, events = world
    customer = Customer.objects.create(name="Paul", email="paul@example.org")
    events(
        [("booked", at(-3), None), ("no_show", at(0, 11), None)],
        customer=customer,
        appointment=appointment(customer, at(0)),
    )
    events(
        [("ticket_issued", at(1, 9), None), ("called", at(1, 10), None)],
        customer=customer,
        ticket=ticket("A001", DAY + dt.timedelta(days=1)),
    )
    [path] = journey_paths(Period(branch, DAY, DAY + dt.timedelta(days=6)))["paths"]
    assert path["steps"] == ["booked", "no_show", "ticket_issued", "called"]


def test_a_rebooking_after_a_recovery_message_continues_the_journey(world, branch):
    appointment, _ticket, events = world
    customer = Customer.objects.create(name="Mia", email="mia@example.org")
    first = appointment(customer, at(0))
    events(
        served(at(0), 1) + [("recovery_sent", at(1), None)], customer=customer, appointment=first
    )
    events(
        [("booked", at(2), None), ("recovery_booked", at(2), None)],
        customer=customer,
        appointment=appointment(customer, at(5)),
    )
    [path] = journey_paths(Period(branch, DAY, DAY + dt.timedelta(days=6)))["paths"]
    assert path["steps"][-3:] == ["recovery_sent", "booked", "recovery_booked"]
    assert path["avg_score"] == 1


def test_segments_split_new_and_returning_customers(world, branch):
    appointment, _ticket, events = world
    regular = Customer.objects.create(name="Ben", email="ben@example.org")
    events(served(at(-40), 5), customer=regular, appointment=appointment(regular, at(-40)))
    events(served(at(1), 4), customer=regular, appointment=appointment(regular, at(1)))
    newcomer = Customer.objects.create(name="Ida", email="ida@example.org")
    events(served(at(2), 2), customer=newcomer, appointment=appointment(newcomer, at(2)))
    period = Period(branch, DAY, DAY + dt.timedelta(days=6))
    assert journey_paths(period, segment="returning")["paths"][0]["avg_score"] == 4
    assert journey_paths(period, segment="new")["paths"][0]["avg_score"] == 2
    assert journey_paths(period)["journeys"] == 2  # the earlier visit ended before the period


def test_a_new_touchpoint_is_counted_at_once_despite_the_cache(world, branch):
    appointment, _ticket, events = world
    period = Period(branch, DAY, DAY + dt.timedelta(days=6))
    customer = Customer.objects.create(name="Emil", email="emil@example.org")
    events(served(at(1), 5), customer=customer, appointment=appointment(customer, at(1)))
    assert journey_paths(period)["journeys"] == 1
    other = Customer.objects.create(name="Ida", email="ida@example.org")
    events(served(at(2), 3), customer=other, appointment=appointment(other, at(2)))
    assert journey_paths(period)["journeys"] == 2

"""The demo history is made by the services: it obeys their rules, and a seed repeats it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from booking.demo.history import clear_history, generate_history
from booking.models import (
    Alert,
    AlertKind,
    Appointment,
    EventKind,
    JourneyEvent,
    Rating,
    Service,
    Ticket,
    TicketKind,
)
from booking.services import jobs
from booking.services.service_levels import wait_deadline
from tests.conftest import BERLIN

# A Thursday evening: the history covers the days before it.
NOW = dt.datetime(2026, 3, 12, 20, 0, tzinfo=BERLIN)


@pytest.fixture
def world(branch, service, anna, jonas, django_user_model):
    """Walk-ins for advice, and retirement planning by appointment (Anna only)."""
    pension = Service.objects.create(
        slug="altersvorsorge", name="Altersvorsorge", duration_minutes=60, ticket_prefix="V"
    )
    pension.branches.add(branch)
    anna.services.add(pension)
    branch.managers.add(django_user_model.objects.create_user("boss", email="boss@bank.example"))
    return branch


def history(branch, *, seed: int = 1, days: int = 10) -> int:
    return generate_history(branch, days=days, visits_per_day=16, seed=seed, now=NOW)


def test_ticket_numbers_count_up_per_day_and_prefix_as_the_queue_numbers_them(world):
    history(world)
    numbers = defaultdict(list)
    for ticket in Ticket.objects.filter(transferred_from__isnull=True).order_by("id"):
        numbers[ticket.day, ticket.number[0]].append(int(ticket.number[1:]))
    assert numbers
    assert all(seen == list(range(1, len(seen) + 1)) for seen in numbers.values())


def test_rating_alerts_are_due_after_the_configured_follow_up_hours(world, settings):
    settings.ALERT_FOLLOW_UP_HOURS = 7
    history(world)
    raised = Alert.objects.filter(kind=AlertKind.RATING).select_related("rating")
    assert raised
    assert all(a.due == a.rating.given_at + dt.timedelta(hours=7) for a in raised)
    assert all(a.created == a.rating.given_at for a in raised)


def test_wait_alerts_open_only_for_visitors_who_waited_past_the_target(world):
    history(world)
    opened = Alert.objects.filter(kind=AlertKind.WAIT).select_related("ticket__appointment")
    assert opened
    for alert in opened:
        assert alert.created >= wait_deadline(alert.ticket, world)
        assert alert.ticket.called_at is None or alert.ticket.called_at >= alert.created


def test_every_booking_journey_starts_with_the_booking(world):
    history(world)
    booked = Appointment.objects.all()
    assert booked
    for appointment in booked:
        first = JourneyEvent.objects.filter(appointment=appointment).order_by("at", "id")[0]
        assert first.kind == EventKind.BOOKED
        assert first.at == appointment.created


def test_every_walk_in_journey_starts_with_the_ticket(world):
    history(world)
    walk_ins = Ticket.objects.filter(kind=TicketKind.WALK_IN)
    assert walk_ins
    for ticket in walk_ins:
        first = JourneyEvent.objects.filter(ticket=ticket).order_by("at", "id")[0]
        assert first.kind == EventKind.TICKET_ISSUED
        assert first.at == ticket.queued_at == ticket.created


def test_nothing_in_the_history_happens_after_now(world):
    history(world)
    assert not JourneyEvent.objects.filter(at__gte=NOW).exists()
    assert not Appointment.objects.filter(start__gte=NOW).exists()


def test_the_history_leaves_the_jobs_nothing_to_send(world, mailoutbox):
    history(world)
    later = NOW + dt.timedelta(days=3)
    sent = [
        jobs.flag_overdue_alerts(now=later),
        jobs.ask_for_rerating(now=later),
        jobs.send_due_reminders(now=later),
        jobs.resend_lost_messages(now=later),
        jobs.retry_ticket_messages(now=later),
    ]
    assert sent == [0, 0, 0, 0, 0]
    assert mailoutbox == []


def _replay(branch, seed: int) -> list[tuple]:
    history(branch, seed=seed, days=5)
    tickets = Ticket.objects.order_by("queued_at", "id").values_list(
        "day", "number", "kind", "status", "queued_at", "called_at", "finished_at"
    )
    scores = Rating.objects.order_by("given_at").values_list("score", "given_at")
    return [*tickets, *scores]


def test_the_same_seed_makes_the_same_history(world):
    first = _replay(world, seed=7)
    clear_history([world], before=NOW.date())
    assert _replay(world, seed=7) == first


def test_another_seed_makes_another_history(world):
    first = _replay(world, seed=7)
    clear_history([world], before=NOW.date())
    assert _replay(world, seed=8) != first

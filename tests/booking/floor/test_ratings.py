"""Ratings: one per visit, idempotent by client id, low ones alert the manager."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from booking.exceptions import Conflict, Invalid, NotFound
from booking.models import Alert, AlertStatus, EventKind, JourneyEvent, Rating
from booking.services import alerts, queue
from booking.services.checkin import checkin_at_kiosk
from booking.services.ratings import rating_submit

pytestmark = pytest.mark.django_db


def rate(device, score=5, **kwargs):
    kwargs.setdefault("client_id", uuid.uuid4())
    return rating_submit(device=device, score=score, **kwargs)


@pytest.fixture
def served(branch, service, anna, device, make_appointment):
    """A visit that was checked in, called and served by Anna."""
    appointment = make_appointment(minutes=2)
    ticket = checkin_at_kiosk(device=device, code=appointment.code).ticket
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    queue.ticket_finish(ticket=queue.ticket_start(ticket=ticket, advisor=anna), advisor=anna)
    return appointment


def test_a_rating_by_code_belongs_to_the_visit(device, served, anna):
    rating, created = rate(device, 4, code=served.code.lower(), tags=["friendly"])
    assert created
    assert rating.appointment == served
    assert rating.advisor == anna
    assert rating.customer == served.customer
    assert rating.wait_minutes is not None


def test_the_same_client_id_again_returns_the_first_rating(device, served):
    client_id = uuid.uuid4()
    first, _ = rate(device, 4, client_id=client_id, code=served.code)
    again, created = rate(device, 4, client_id=client_id, code=served.code)
    assert (again.id, created) == (first.id, False)
    assert Rating.objects.count() == 1


def test_a_second_rating_of_the_same_visit_is_a_conflict(device, served):
    rate(device, 4, code=served.code)
    with pytest.raises(Conflict) as error:
        rate(device, 2, code=served.code)
    assert error.value.code == "already_rated"


def test_a_visit_rated_by_ticket_cannot_be_rated_again_by_code(device, served):
    ticket = served.tickets.get()
    rate(device, 5, ticket_id=ticket.id)
    with pytest.raises(Conflict):
        rate(device, 5, code=served.code)


def test_an_anonymous_branch_rating_is_accepted(device):
    rating, created = rate(device, 3)
    assert created and rating.ticket is None and rating.appointment is None


def test_anonymous_ratings_do_not_conflict_with_each_other(device):
    rate(device, 3)
    rate(device, 4)
    assert Rating.objects.count() == 2


def test_a_code_of_another_branch_is_not_found(device, make_appointment, other_branch):
    appointment = make_appointment(at_branch=other_branch)
    with pytest.raises(NotFound):
        rate(device, 5, code=appointment.code)


def test_a_rating_given_offline_counts_when_it_was_given(device):
    given = timezone.now() - dt.timedelta(hours=20)
    rating, _ = rate(device, 5, given_at=given)
    assert rating.given_at == given


def test_a_rating_from_the_future_is_refused(device):
    with pytest.raises(Invalid):
        rate(device, 5, given_at=timezone.now() + dt.timedelta(hours=1))


def test_a_low_rating_opens_an_alert_due_for_follow_up(device, served, settings):
    rating, _ = rate(device, 2, code=served.code, comment="Lange gewartet")
    alert = Alert.objects.get(rating=rating)
    assert alert.status == AlertStatus.OPEN
    assert alert.due - rating.created >= dt.timedelta(hours=settings.ALERT_FOLLOW_UP_HOURS - 1)


def test_a_good_rating_opens_no_alert(device, served):
    rate(device, 3, code=served.code)
    assert not Alert.objects.exists()


def test_the_manager_is_emailed_about_a_low_rating_once(
    device, served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rating, _ = rate(device, 1, code=served.code, comment="unfreundlich")
    assert len(mail.outbox) == 1
    assert "mitte@bank.example" in mail.outbox[0].to
    assert "unfreundlich" in mail.outbox[0].body
    assert alerts.alert_notify(rating.alert.id) is False
    assert len(mail.outbox) == 1


def test_the_low_rating_email_names_the_reasons_in_the_managers_language(
    device, served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rate(device, 1, code=served.code, tags=["waiting_time", "friendly"])
    assert "Wartezeit, freundlich" in mail.outbox[0].body
    assert "waiting_time" not in mail.outbox[0].body


def test_a_rating_is_a_journey_event(device, served):
    rate(device, 5, code=served.code)
    event = JourneyEvent.objects.get(kind=EventKind.RATED)
    assert (event.channel, event.customer_id, event.detail["score"]) == (
        "rating",
        served.customer_id,
        5,
    )


def test_an_alert_is_acknowledged_then_resolved(device, served, django_user_model):
    manager = django_user_model.objects.create_user("boss")
    rating, _ = rate(device, 1, code=served.code)
    alert = alerts.alert_acknowledge(rating.alert, user=manager)
    assert (alert.status, alert.owner) == (AlertStatus.ACKNOWLEDGED, manager)
    alert = alerts.alert_resolve(alert, user=manager, note="Called the customer")
    assert alert.status == AlertStatus.RESOLVED
    with pytest.raises(Conflict):
        alerts.alert_resolve(alert, user=manager, note="again")


def test_overdue_follow_ups_are_flagged_once(device, served, branch):
    rating, _ = rate(device, 1, code=served.code)
    later = rating.alert.due + dt.timedelta(minutes=1)
    assert alerts.alerts_flag_overdue(now=later) == 1
    assert alerts.alerts_flag_overdue(now=later) == 0
    assert any("Overdue" in m.subject or "Überfällig" in m.subject for m in mail.outbox)

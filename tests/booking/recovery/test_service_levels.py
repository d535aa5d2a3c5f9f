"""A visitor waiting past the branch's target opens one wait alert, while still there."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from booking.models import Alert, AlertKind, AlertStatus
from booking.selectors.service_levels import within_target_by_day, within_target_day
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk
from booking.services.service_levels import service_levels_sweep

from .conftest import minutes

pytestmark = pytest.mark.django_db


def test_a_walk_in_within_the_target_raises_nothing(walk_in, now):
    assert service_levels_sweep(now=minutes(now, 14)) == 0
    assert not Alert.objects.exists()


def test_a_walk_in_passing_the_target_opens_one_wait_alert(walk_in, now):
    assert service_levels_sweep(now=minutes(now, 16)) == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.ticket, alert.status) == (AlertKind.WAIT, walk_in, AlertStatus.OPEN)
    assert alert.wait_minutes == 16
    assert alert.rating is None


def test_checking_again_opens_no_second_alert(walk_in, now):
    service_levels_sweep(now=minutes(now, 16))
    assert service_levels_sweep(now=minutes(now, 17)) == 0
    assert service_levels_sweep(now=minutes(now, 40)) == 0
    assert Alert.objects.count() == 1


def test_the_target_is_the_branchs_own(walk_in, branch, now):
    branch.target_wait_minutes = 30
    branch.save(update_fields=["target_wait_minutes"])
    assert service_levels_sweep(now=minutes(now, 20)) == 0
    assert service_levels_sweep(now=minutes(now, 31)) == 1


def test_a_visitor_called_in_time_raises_nothing(walk_in, anna, branch, now):
    queue.ticket_call_next(advisor=anna, branch=branch, now=minutes(now, 5))
    assert service_levels_sweep(now=minutes(now, 20)) == 0


def test_the_wait_alert_closes_when_the_visitor_is_called(walk_in, anna, branch, now):
    service_levels_sweep(now=minutes(now, 16))
    queue.ticket_call_next(advisor=anna, branch=branch, now=minutes(now, 18))
    service_levels_sweep(now=minutes(now, 19))
    assert Alert.objects.get().status == AlertStatus.RESOLVED


def test_a_transferred_visitor_keeps_the_one_alert_of_their_visit(
    walk_in, anna, jonas, branch, now
):
    service_levels_sweep(now=minutes(now, 16))
    called = queue.ticket_call_next(advisor=anna, branch=branch, now=minutes(now, 17))
    queue.ticket_transfer(ticket=called, by=anna, to_advisor=jonas, now=minutes(now, 18))
    assert service_levels_sweep(now=minutes(now, 30)) == 0
    assert Alert.objects.filter(kind=AlertKind.WAIT).count() == 1


def test_an_appointment_not_begun_after_the_start_delay_opens_an_alert(
    make_appointment, device, now
):
    appointment = make_appointment(minutes=10)
    checkin_at_kiosk(device=device, code=appointment.code)
    start = appointment.start
    assert service_levels_sweep(now=minutes(start, 4)) == 0
    assert service_levels_sweep(now=minutes(start, 6)) == 1
    alert = Alert.objects.get()
    assert alert.advisor == appointment.advisor
    assert alert.wait_minutes == 6  # counted from the appointment's start


def test_a_wait_alert_is_not_e_mailed_to_the_managers(walk_in, now):
    service_levels_sweep(now=minutes(now, 16))
    assert mail.outbox == []


def test_run_jobs_runs_the_service_level_check(walk_in):
    call_command("run_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Just taken: within the target, so the check ran and found nothing.
    assert not Alert.objects.exists()


def test_the_share_within_target_counts_visitors_called_in_time(service, branch, anna, now):
    early = queue.walk_in_take(branch=branch, service=service, now=now)
    late = queue.walk_in_take(branch=branch, service=service, now=now)
    queue.walk_in_take(branch=branch, service=service, now=minutes(now, 30))  # still waiting
    queue.ticket_call(ticket=early, advisor=anna, now=minutes(now, 5))
    queue.ticket_call(ticket=late, advisor=anna, now=minutes(now, 25))
    day = branch.local_date(now)
    figures = within_target_day(branch, day, now=minutes(now, 35))
    assert figures == {"visits": 2, "within": 1, "share": 0.5}
    rows = within_target_by_day(branch, day, day, now=minutes(now, 50))
    assert (rows[0]["visits"], rows[0]["within"]) == (3, 1)  # the third is past it now

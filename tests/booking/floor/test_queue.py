"""Tickets, call-next routing, transitions and waiting estimates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from booking.exceptions import Conflict, Invalid
from booking.models import (
    Absence,
    AdvisorStatus,
    AppointmentStatus,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
)
from booking.selectors.queue import queue_snapshot, ticket_place
from booking.services import queue
from booking.services.checkin import checkin_at_kiosk
from tests.conftest import make_advisor

pytestmark = pytest.mark.django_db


def walk_in(branch, service, minutes_ago: int = 0):
    return queue.walk_in_take(
        branch=branch, service=service, now=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )


def test_walk_in_numbers_count_up_per_day_with_the_service_prefix(branch, service, anna):
    assert [walk_in(branch, service).number for _ in range(3)] == ["A001", "A002", "A003"]


def test_each_prefix_has_its_own_numbers(branch, service, anna):
    other = Service.objects.create(slug="kasse", name="Kasse", walk_in=True, ticket_prefix="K")
    other.branches.add(branch)
    anna.services.add(other)
    walk_in(branch, service)
    assert walk_in(branch, other).number == "K001"


def test_numbers_start_again_the_next_day(branch, service, anna):
    walk_in(branch, service)
    tomorrow = queue.walk_in_take(
        branch=branch, service=service, now=timezone.now() + dt.timedelta(days=1)
    )
    assert tomorrow.number == "A001"


def test_a_service_without_walk_ins_gives_no_ticket(branch, service, anna):
    service.walk_in = False
    service.save()
    with pytest.raises(Invalid):
        walk_in(branch, service)


def test_no_ticket_when_nobody_offers_the_service_now(branch, service):
    with pytest.raises(Conflict) as error:
        walk_in(branch, service)
    assert error.value.code == "service_closed"


def test_call_next_gives_the_longest_waiting_walk_in(branch, service, anna):
    walk_in(branch, service, minutes_ago=5)
    first = walk_in(branch, service, minutes_ago=20)
    called = queue.ticket_call_next(advisor=anna, branch=branch)
    assert called.id == first.id
    assert called.status == TicketStatus.CALLED
    assert called.location == "Raum 2"


def test_priority_walk_ins_come_before_others(branch, service, anna, device, make_appointment):
    walk_in(branch, service, minutes_ago=30)
    late = make_appointment(minutes=-20)
    checkin_at_kiosk(device=device, code=late.code)
    called = queue.ticket_call_next(advisor=anna, branch=branch)
    assert called.appointment_id == late.id
    assert called.priority


def test_due_appointments_come_before_walk_ins(branch, service, anna, device, make_appointment):
    walk_in(branch, service, minutes_ago=30)
    appointment = make_appointment(minutes=2)
    checkin_at_kiosk(device=device, code=appointment.code)
    assert queue.ticket_call_next(advisor=anna, branch=branch).appointment_id == appointment.id


def test_an_appointment_not_yet_due_waits_behind_walk_ins(
    branch, service, anna, device, make_appointment
):
    walk_ticket = walk_in(branch, service)
    appointment = make_appointment(minutes=40)
    checkin_at_kiosk(device=device, code=appointment.code)
    assert queue.ticket_call_next(advisor=anna, branch=branch).id == walk_ticket.id
    assert queue.ticket_call_next(advisor=anna, branch=branch).appointment_id == appointment.id


def test_another_advisors_appointment_is_not_offered(
    branch, service, anna, jonas, device, make_appointment
):
    appointment = make_appointment(minutes=2, advisor=jonas)
    checkin_at_kiosk(device=device, code=appointment.code)
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None
    assert queue.ticket_call_next(advisor=jonas, branch=branch).appointment_id == appointment.id


def test_walk_ins_for_services_the_advisor_does_not_offer_are_not_offered(branch, service, anna):
    other = Service.objects.create(slug="kasse", name="Kasse", walk_in=True, ticket_prefix="K")
    other.branches.add(branch)
    make_advisor(branch, [other], "Kai Kasse", weekdays=range(7), hours=((0, 0), (23, 59)))
    queue.walk_in_take(branch=branch, service=other)
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_an_orphaned_appointment_goes_to_a_colleague_with_the_skill(
    branch, service, anna, jonas, device, make_appointment
):
    appointment = make_appointment(minutes=2, advisor=jonas)
    now = timezone.now()
    Absence.objects.create(
        advisor=jonas, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=2)
    )
    checkin_at_kiosk(device=device, code=appointment.code)
    assert queue.ticket_call_next(advisor=anna, branch=branch).appointment_id == appointment.id


def test_call_next_with_nobody_waiting_is_none(branch, service, anna):
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_a_ticket_moves_from_called_to_serving_to_done(branch, service, anna):
    walk_in(branch, service)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    ticket = queue.ticket_start(ticket=ticket, advisor=anna)
    assert ticket.status == TicketStatus.SERVING
    ticket = queue.ticket_finish(ticket=ticket, advisor=anna)
    assert ticket.status == TicketStatus.DONE
    assert ticket.finished_at is not None


def test_finishing_an_appointment_marks_it_served(branch, service, anna, device, make_appointment):
    appointment = make_appointment(minutes=2)
    checkin_at_kiosk(device=device, code=appointment.code)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    queue.ticket_finish(ticket=queue.ticket_start(ticket=ticket, advisor=anna), advisor=anna)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVED


def test_a_wrong_transition_is_a_conflict(branch, service, anna):
    ticket = walk_in(branch, service)
    with pytest.raises(Conflict) as error:
        queue.ticket_finish(ticket=ticket, advisor=anna)
    assert error.value.code == "wrong_state"
    with pytest.raises(Conflict):
        queue.ticket_start(ticket=ticket, advisor=anna)


def test_a_called_visitor_who_does_not_come_is_a_no_show(
    branch, service, anna, device, make_appointment
):
    appointment = make_appointment(minutes=2)
    checkin_at_kiosk(device=device, code=appointment.code)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    queue.ticket_no_show(ticket=ticket, advisor=anna)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


def test_calling_again_renews_the_call(branch, service, anna):
    walk_in(branch, service)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    later = timezone.now() + dt.timedelta(minutes=2)
    again = queue.ticket_call(ticket=ticket, advisor=anna, now=later)
    assert again.called_at == later


def test_a_transfer_keeps_the_number_and_the_place(branch, service, anna, jonas):
    ticket = walk_in(branch, service, minutes_ago=15)
    walk_in(branch, service, minutes_ago=5)
    ticket = queue.ticket_call(ticket=ticket, advisor=anna)
    successor = queue.ticket_transfer(ticket=ticket, to_advisor=jonas, by=anna)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.TRANSFERRED
    assert (successor.number, successor.status, successor.advisor) == (
        ticket.number,
        "waiting",
        jonas,
    )
    assert successor.queued_at == ticket.queued_at
    assert queue.ticket_call_next(advisor=jonas, branch=branch).id == successor.id


def test_a_walk_in_transferred_to_an_advisor_waits_for_that_advisor_only(
    branch, service, anna, jonas
):
    ticket = queue.ticket_call(ticket=walk_in(branch, service), advisor=anna)
    queue.ticket_transfer(ticket=ticket, to_advisor=jonas, by=anna)
    assert queue.ticket_call_next(advisor=anna, branch=branch) is None


def test_a_transfer_to_another_service_queues_for_that_service(branch, service, anna):
    other = Service.objects.create(slug="kredit", name="Kredit", walk_in=True, ticket_prefix="K")
    other.branches.add(branch)
    kai = make_advisor(branch, [other], "Kai Kredit", weekdays=range(7), hours=((0, 0), (23, 59)))
    ticket = queue.ticket_call(ticket=walk_in(branch, service), advisor=anna)
    successor = queue.ticket_transfer(ticket=ticket, to_service=other, by=anna)
    assert successor.service == other
    assert queue.ticket_call_next(advisor=kai, branch=branch).id == successor.id


def test_a_transfer_to_an_advisor_without_the_skill_is_refused(branch, service, anna):
    other = Service.objects.create(slug="kredit", name="Kredit")
    other.branches.add(branch)
    kai = make_advisor(branch, [other], "Kai Kredit")
    with pytest.raises(Invalid):
        queue.ticket_transfer(ticket=walk_in(branch, service), to_advisor=kai)


def test_calling_makes_the_advisor_busy_and_finishing_available(branch, service, anna):
    walk_in(branch, service)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    anna.refresh_from_db()
    assert anna.status == AdvisorStatus.BUSY
    queue.ticket_finish(ticket=queue.ticket_start(ticket=ticket, advisor=anna), advisor=anna)
    anna.refresh_from_db()
    assert anna.status == AdvisorStatus.AVAILABLE


def test_positions_count_those_ahead(branch, service, anna):
    tickets = [walk_in(branch, service, minutes_ago=m) for m in (30, 20, 10)]
    places = queue_snapshot(branch, timezone.now()).places
    assert [places[t.id].position for t in tickets] == [1, 2, 3]


def test_a_tickets_own_place_agrees_with_the_whole_queue(
    branch, service, anna, jonas, device, make_appointment
):
    for minutes in (20, 10, 0):
        walk_in(branch, service, minutes_ago=minutes)
    for offset, advisor in ((10, anna), (25, jonas), (40, anna)):
        checkin_at_kiosk(device=device, code=make_appointment(minutes=offset, advisor=advisor).code)
    now = timezone.now()
    snapshot = queue_snapshot(branch, now)
    assert {t.id: ticket_place(t, now) for t in snapshot.waiting} == snapshot.places


def test_a_walk_ins_own_place_agrees_with_the_queue_around_priority_and_busy_desks(
    branch, service, anna, jonas
):
    same_minute = timezone.now() - dt.timedelta(minutes=5)
    tickets = [walk_in(branch, service, minutes_ago=m) for m in (9, 8, 7, 6)]
    tickets += [queue.walk_in_take(branch=branch, service=service, now=same_minute) for _ in "abc"]
    Ticket.objects.filter(id__in=[tickets[1].id, tickets[5].id]).update(priority=True)
    queue.ticket_call_next(advisor=anna, branch=branch)  # a desk busy with the service
    now = timezone.now()
    snapshot = queue_snapshot(branch, now)
    assert [t.id for t in snapshot.waiting] == [tickets[i].id for i in (5, 0, 2, 3, 4, 6)]
    assert {t.id: ticket_place(t, now) for t in snapshot.waiting} == snapshot.places


def test_estimates_use_recent_real_service_durations(branch, service, anna):
    now = timezone.now()
    for minutes in (10, 14):  # recent visits took 10 and 14 minutes: 12 on average
        done = walk_in(branch, service)
        Ticket.objects.filter(id=done.id).update(
            status=TicketStatus.DONE,
            started_at=now - dt.timedelta(minutes=minutes),
            finished_at=now,
        )
    # Issuing a ticket read the pace (cached for PACE_SECONDS) before these visits ended.
    cache.clear()
    first, second, third = (walk_in(branch, service) for _ in range(3))
    places = queue_snapshot(branch, now).places
    assert [places[t.id].estimated_wait_minutes for t in (first, second, third)] == [0, 12, 24]


def test_more_advisors_on_duty_shorten_the_estimate(branch, service, anna, jonas):
    tickets = [walk_in(branch, service, minutes_ago=m) for m in (3, 2, 1)]
    places = queue_snapshot(branch, timezone.now()).places
    assert places[tickets[2].id].estimated_wait_minutes == 30  # 2 ahead x 30 min / 2 advisors


def test_an_appointment_estimate_is_the_time_until_its_start(
    branch, service, anna, device, make_appointment
):
    appointment = make_appointment(minutes=25)
    ticket = checkin_at_kiosk(device=device, code=appointment.code).ticket
    place = queue_snapshot(branch, timezone.now()).places[ticket.id]
    assert 24 <= place.estimated_wait_minutes <= 25


def test_tickets_left_from_yesterday_become_no_shows(branch, service, anna):
    ticket = walk_in(branch, service)
    assert queue.tickets_expire(now=timezone.now() + dt.timedelta(days=1)) == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NO_SHOW


def test_a_called_visitor_never_seen_becomes_a_no_show(branch, service, anna):
    walk_in(branch, service)
    ticket = queue.ticket_call_next(advisor=anna, branch=branch)
    assert queue.tickets_expire(now=timezone.now() + dt.timedelta(minutes=10)) == 0
    assert queue.tickets_expire(now=timezone.now() + dt.timedelta(minutes=31)) == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NO_SHOW


def test_appointment_tickets_are_kind_appointment(branch, device, make_appointment):
    appointment = make_appointment(minutes=5)
    assert (
        checkin_at_kiosk(device=device, code=appointment.code).ticket.kind == TicketKind.APPOINTMENT
    )


def test_a_walk_ins_promise_counts_those_ahead_as_its_place_does_once_it_waits(
    branch, service, anna
):
    now = timezone.now()
    for minutes in (3, 2, 1):
        walk_in(branch, service, minutes_ago=minutes)
    ticket = queue.walk_in_take(branch=branch, service=service, now=now)
    place = ticket_place(ticket, now)
    assert place.position == 4
    assert ticket.promised_wait_minutes == place.estimated_wait_minutes
    assert ticket.place_when_issued == place

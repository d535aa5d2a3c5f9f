"""The desk and the kiosk at once, an advisor's status said twice at once: against a live
server (PostgreSQL row locks in the production-like pass)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection, connections, transaction
from rest_framework.authtoken.models import Token

from booking import events
from booking.models import EventKind, JourneyEvent, StatusPeriod, Ticket
from booking.services import queue
from booking.services.advisors import advisor_status_set
from booking.services.checkin import checkin_at_kiosk
from booking.services.devices import device_create
from tests.booking.floor.test_floor_concurrency import simultaneously
from tests.support import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anna_token(anna, django_user_model):
    user = django_user_model.objects.create_user("anna")
    anna.user = user
    anna.save()
    return Token.objects.create(user=user).key


def test_the_desk_and_the_kiosk_checking_one_visitor_in_at_once_make_one_ticket(
    live_server, branch, make_appointment, anna_token
):
    _device, device_token = device_create(branch=branch, name="Eingang")
    appointment = make_appointment(minutes=20)
    desk = f"{live_server.url}/api/v1/appointments/{appointment.id}/check-in/"
    kiosk = f"{live_server.url}/api/v1/kiosk/check-in/"

    def at_desk():
        return requests.post(desk, headers={"Authorization": f"Token {anna_token}"}, timeout=60)

    def at_kiosk():
        return requests.post(
            kiosk,
            json={"code": appointment.code},
            headers={"Authorization": f"Device {device_token}"},
            timeout=60,
        )

    responses = simultaneously([at_desk, at_kiosk] * 10)
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.json()["ticket"]["id"] for r in responses}) == 1
    assert Ticket.objects.count() == 1


def test_running_late_said_at_once_from_two_screens_tells_each_visitor_once(
    live_server, branch, device, make_appointment, anna_token, monkeypatch
):
    waiting = [
        checkin_at_kiosk(device=device, code=make_appointment(minutes=m).code).ticket
        for m in (-5, 25, 55)
    ]
    told: list[int] = []
    original = events.dispatch

    def dispatch(event):
        if isinstance(event, events.TicketMessageDue):
            told.append(event.ticket_id)
        original(event)

    monkeypatch.setattr(events, "dispatch", dispatch)
    url = f"{live_server.url}/api/v1/advisors/me/status/"

    def late(minutes):
        return lambda: requests.post(
            url,
            json={"status": "running_late", "minutes": minutes},
            headers={"Authorization": f"Token {anna_token}"},
            timeout=60,
        )

    responses = simultaneously([late(10 + i) for i in range(8)])
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert sorted(told) == sorted(t.id for t in waiting)
    assert JourneyEvent.objects.filter(kind=EventKind.RUNNING_LATE).count() == len(waiting)


def test_status_changes_at_once_leave_one_open_period(live_server, branch, anna, anna_token):
    url = f"{live_server.url}/api/v1/advisors/me/status/"
    bodies = [
        {"status": "available"},
        {"status": "paused", "reason": "lunch"},
        {"status": "busy"},
        {"status": "paused", "reason": "admin"},
    ] * 4

    def post(body):
        return lambda: requests.post(
            url, json=body, headers={"Authorization": f"Token {anna_token}"}, timeout=60
        )

    responses = simultaneously([post(body) for body in bodies])
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert StatusPeriod.objects.filter(advisor=anna, end__isnull=True).count() == 1
    anna.refresh_from_db()
    open_period = StatusPeriod.objects.get(advisor=anna, end__isnull=True)
    assert (open_period.status, open_period.reason) == (anna.status, anna.pause_reason)


def test_a_call_waiting_for_a_status_change_of_the_same_advisor_closes_the_new_period(
    branch, service, anna
):
    """The call's statement began before the change committed: on PostgreSQL it cannot
    see the period that change opened, so it runs again rather than open a second one."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    queue.walk_in_take(branch=branch, service=service)
    advisor_status_set(advisor=anna, status="available")
    changed, release = threading.Event(), threading.Event()

    def change_status():
        try:
            with transaction.atomic():
                advisor_status_set(advisor=anna, status="paused", reason="lunch")
                changed.set()
                release.wait(30)
        finally:
            connections.close_all()

    def call():
        try:
            return queue.ticket_call_next(advisor=anna, branch=branch)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        changing = pool.submit(change_status)
        assert changed.wait(30)
        calling = pool.submit(call)
        wait_for(waiting_for_a_lock, what="the call to wait for the advisor's row")
        release.set()
        changing.result(timeout=30)
        ticket = calling.result(timeout=30)
    assert ticket is not None
    periods = StatusPeriod.objects.filter(advisor=anna).order_by("start", "id")
    assert [(p.status, p.end is None) for p in periods] == [
        ("available", False),
        ("paused", False),
        ("busy", True),
    ]


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0

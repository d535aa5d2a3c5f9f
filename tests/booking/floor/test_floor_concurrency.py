"""Simultaneous scans and simultaneous "call next" against a live server."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import Advisor, Ticket
from booking.services import queue
from booking.services.devices import device_create
from tests.support import booked

pytestmark = pytest.mark.django_db(transaction=True)


def simultaneously(calls) -> list:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_simultaneous_scans_of_one_code_make_one_ticket(
    live_server, branch, make_appointment
):
    _device, token = device_create(branch=branch, name="Eingang")
    appointment = make_appointment(minutes=20)
    url = f"{live_server.url}/api/v1/kiosk/check-in/"
    headers = {"Authorization": f"Device {token}"}

    def scan():
        return requests.post(url, json={"code": appointment.code}, headers=headers, timeout=60)

    responses = simultaneously([scan] * 50)
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["ticket"]["id"] for r in responses}) == 1
    assert Ticket.objects.count() == 1


def test_two_advisors_calling_next_at_once_never_get_the_same_visitor(
    live_server, branch, service, anna, jonas, django_user_model
):
    tokens = []
    for advisor in (anna, jonas):
        user = django_user_model.objects.create_user(advisor.name.split()[0].lower())
        advisor.user = user
        advisor.save()
        tokens.append(Token.objects.create(user=user).key)
    for _ in range(12):
        queue.walk_in_take(branch=branch, service=service)
    url = f"{live_server.url}/api/v1/branches/mitte/call-next/"

    def call(token):
        return lambda: requests.post(url, headers={"Authorization": f"Token {token}"}, timeout=60)

    responses = simultaneously([call(tokens[i % 2]) for i in range(16)])
    called = [r.json()["id"] for r in responses if r.status_code == 200]
    assert sorted(r.status_code for r in responses) == [200] * 12 + [204] * 4
    assert len(called) == len(set(called)) == 12


def test_simultaneous_check_ins_at_one_branch_get_consecutive_numbers(live_server, branch, service):
    _device, token = device_create(branch=branch, name="Eingang")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=10)
    codes = []
    for index in range(12):
        advisor = Advisor.objects.create(name=f"Beraterin {index}")
        advisor.branches.add(branch)
        advisor.services.add(service)
        codes.append(booked(branch=branch, service=service, advisor=advisor, start=start).code)
    url = f"{live_server.url}/api/v1/kiosk/check-in/"
    headers = {"Authorization": f"Device {token}"}

    def scan(code):
        return lambda: requests.post(url, json={"code": code}, headers=headers, timeout=60)

    responses = simultaneously([scan(code) for code in codes])
    assert {r.status_code for r in responses} == {200}
    numbers = sorted(r.json()["ticket"]["number"] for r in responses)
    assert numbers == [f"{service.ticket_prefix}{n:03d}" for n in range(1, 13)]
    assert sorted(Ticket.objects.values_list("number", flat=True)) == numbers

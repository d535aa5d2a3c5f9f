"""Setup commands: seed_demo (idempotent, JSON shape) and create_kiosk."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from booking.models import Advisor, Branch, KioskDevice

pytestmark = pytest.mark.django_db


def seed() -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_prints_the_documented_json_shape(db):
    data = seed()
    assert len(data["branches"]) == 2
    for branch in data["branches"]:
        assert {"slug", "name", "timezone", "kiosk_token", "services", "advisors"} <= set(branch)
        assert len(branch["advisors"]) >= 2
        for advisor in branch["advisors"]:
            assert {"id", "name", "username", "password", "services"} <= set(advisor)
        shared = set(branch["advisors"][0]["services"]) & set(branch["advisors"][1]["services"])
        assert shared, "two advisors of a branch share a service"
    assert {"username", "password", "branches"} <= set(data["manager"])


def test_seed_demo_twice_creates_nothing_new_and_prints_the_same_logins(db):
    first = seed()
    second = seed()
    assert first == second
    assert Branch.objects.count() == 2
    assert KioskDevice.objects.count() == 2
    assert Advisor.objects.count() == 5


def test_seeded_logins_and_kiosk_tokens_work(api, db):
    data = seed()
    advisor = data["branches"][0]["advisors"][0]
    response = api.post(
        "/api/v1/auth/token/",
        {"username": advisor["username"], "password": advisor["password"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["token"]
    assert KioskDevice.objects.filter(token_hint=data["branches"][0]["kiosk_token"][:6]).exists()


def test_create_kiosk_prints_a_token_for_the_branch(branch):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_kiosk", "--branch", "mitte", "--name", "Tablet", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert len(token) >= 40
    device = KioskDevice.objects.get(name="Tablet")
    assert device.branch == branch
    assert token not in device.token_hash


def test_create_kiosk_for_an_unknown_branch_fails_clearly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No branch"):
        call_command("create_kiosk", "--branch", "nowhere", "--name", "x")


def test_run_jobs_runs_every_periodic_job(db):
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    text = out.getvalue()
    for job in (
        "send-reminders",
        "mark-no-shows",
        "flag-overdue-alerts",
        "anonymize-expired-customers",
    ):
        assert job in text

"""Setup commands: seed_demo (idempotent, JSON shape) and create_kiosk."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from booking.models import Advisor, Alert, Branch, KioskDevice, Service
from booking.selectors.availability import available_slots
from booking.services.jobs import flag_overdue_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def secrets_file(settings, tmp_path):
    settings.DEMO_SECRETS_FILE = str(tmp_path / "demo-secrets.json")
    return tmp_path / "demo-secrets.json"


def seed(*args: str) -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_seed_demo_prints_the_documented_json_shape(db):
    data = seed()
    assert [b["slug"] for b in data["branches"]] == ["mitte", "hamburg", "rund-um-die-uhr"]
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
    assert Branch.objects.count() == 3
    assert KioskDevice.objects.count() == 3
    assert Advisor.objects.count() == 7


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


def test_demo_secrets_are_random_per_installation(secrets_file, settings, tmp_path):
    first = seed()
    settings.DEMO_SECRETS_FILE = str(tmp_path / "another-installation.json")
    second = seed()
    assert first["manager"]["password"] != second["manager"]["password"]
    assert first["branches"][0]["kiosk_token"] != second["branches"][0]["kiosk_token"]


def test_demo_secrets_do_not_follow_the_secret_key(settings):
    first = seed()
    settings.SECRET_KEY = "another-key-" + "z" * 40
    assert seed() == first


def test_demo_secrets_are_kept_in_a_private_file(secrets_file):
    data = seed()
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    assert data["admin"]["password"] in secrets_file.read_text()


def test_the_demo_admin_is_a_superuser_with_the_printed_password(client):
    data = seed()
    admin = get_user_model().objects.get(username=data["admin"]["username"])
    assert admin.is_superuser and admin.is_staff
    assert client.login(username="admin", password=data["admin"]["password"])
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_tells_advisors_and_managers_where_theirs_is(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/staff/login/"' in html


def test_the_around_the_clock_branch_is_open_every_minute_of_every_day(db):
    data = seed()
    spec = next(b for b in data["branches"] if b["slug"] == "rund-um-die-uhr")
    assert spec["always_open"]
    branch = Branch.objects.get(slug="rund-um-die-uhr")
    assert branch.min_lead_minutes == 0
    assert sorted(branch.opening_hours.values_list("weekday", flat=True)) == list(range(7))
    for advisor in Advisor.objects.filter(branches=branch):
        hours = advisor.working_hours.values_list("weekday", "start", "end")
        assert sorted(hours) == [(d, dt.time(0), dt.time(23, 59)) for d in range(7)]


def test_the_around_the_clock_branch_has_free_times_today(db):
    seed()
    branch = Branch.objects.get(slug="rund-um-die-uhr")
    # 22:00 on a Sunday: the weekday branches are long closed.
    now = dt.datetime(2030, 1, 6, 22, 0, tzinfo=branch.tz)
    slots = available_slots(
        branch=branch,
        service=Service.objects.get(slug="beratung"),
        first=now.date(),
        last=now.date(),
        now=now,
    )
    assert slots and slots[0].start == now


def test_reseeding_keeps_a_branch_time_zone_set_since(db):
    seed()
    Branch.objects.filter(slug="rund-um-die-uhr").update(timezone="Asia/Tokyo")
    data = seed()
    assert Branch.objects.get(slug="rund-um-die-uhr").timezone == "Asia/Tokyo"
    assert data["branches"][2]["timezone"] == "Asia/Tokyo"


def test_seeded_history_sends_no_follow_up_mails(mailoutbox):
    seed("--history", "7", "--visits-per-day", "20")
    assert Alert.objects.exists()
    call_command("run_jobs", stdout=io.StringIO())
    # Nor later, while the demo keeps running: the seeded follow-ups were reported then.
    flag_overdue_alerts(now=timezone.now() + dt.timedelta(days=2))
    assert mailoutbox == []


def test_a_damaged_secrets_file_is_named_with_what_to_do(secrets_file):
    from django.core.management.base import CommandError

    secrets_file.write_text("{not json")
    with pytest.raises(CommandError, match="Delete it"):
        seed()

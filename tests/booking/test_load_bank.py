"""The load test's bank (booking.load_bank, manage.py seed_load): many branches at the
start of their peak hour, usable through the real API."""

from __future__ import annotations

import datetime as dt
import io
import json
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from booking.load_bank import load_bank_create, mid_morning_zone
from booking.models import AdvisorStatus, Appointment, Branch, KioskDevice, Notification

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)  # a Sunday, half an hour to midnight


@pytest.mark.parametrize("hour", [0, 5, 9, 10, 13, 22, 23])
def test_it_is_mid_morning_in_the_zone_at_any_hour(hour):
    now = NOW.replace(hour=hour)
    zone = zoneinfo.ZoneInfo(mid_morning_zone(now))
    assert now.astimezone(zone).hour == 10


def test_every_branch_gets_its_advisors_kiosk_and_the_coming_hours_visits():
    bank = load_bank_create(branches=3, advisors=2, appointments_per_advisor=2, now=NOW)
    assert [b["slug"] for b in bank["branches"]] == ["load-0001", "load-0002", "load-0003"]
    for entry in bank["branches"]:
        branch = Branch.objects.get(slug=entry["slug"])
        assert branch.advisors.filter(status=AdvisorStatus.AVAILABLE).count() == 2
        assert KioskDevice.objects.filter(branch=branch).count() == 1
        visits = Appointment.objects.filter(branch=branch)
        assert sorted(visits.values_list("code", flat=True)) == sorted(entry["codes"])
        assert len(entry["codes"]) == 4
        assert all(
            NOW - dt.timedelta(minutes=5) <= v.start <= NOW + dt.timedelta(hours=1) for v in visits
        )


def test_the_visits_were_confirmed_when_booked_so_no_job_sends_them_now():
    load_bank_create(branches=1, advisors=2, appointments_per_advisor=2, now=NOW)
    assert Notification.objects.filter(kind="confirmation", status="sent").count() == 4


def test_a_second_bank_in_the_same_database_is_refused():
    load_bank_create(branches=1, advisors=1, now=NOW)
    with pytest.raises(CommandError, match="fresh database"):
        call_command("seed_load", "--branches", "1", "--output", "unused.json")


def test_a_visit_of_the_bank_checks_in_at_its_branchs_kiosk(api):
    bank = load_bank_create(branches=1, advisors=2)
    entry = bank["branches"][0]
    response = api.post(
        "/api/v1/kiosk/check-in/",
        {"code": entry["codes"][0]},
        format="json",
        HTTP_AUTHORIZATION=f"Device {entry['kiosk_token']}",
    )
    assert response.status_code == 200, response.json()


def test_an_advisor_of_the_bank_calls_next_with_its_token(api):
    bank = load_bank_create(branches=1, advisors=1)
    entry = bank["branches"][0]
    response = api.post(
        f"/api/v1/branches/{entry['slug']}/call-next/",
        HTTP_AUTHORIZATION=f"Token {entry['advisors'][0]['token']}",
    )
    assert response.status_code in (200, 204)


def test_the_staff_session_opens_the_branchs_staff_page(client):
    bank = load_bank_create(branches=1, advisors=1)
    entry = bank["branches"][0]
    client.cookies["sessionid"] = entry["staff_session"]
    assert client.get(f"/staff/{entry['slug']}/").status_code == 200


def test_seed_load_writes_the_bank_privately(tmp_path):
    output = tmp_path / "bank.json"
    call_command(
        "seed_load", "--branches", "2", "--advisors", "1", "--output", str(output),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert len(json.loads(output.read_text())["branches"]) == 2
    assert output.stat().st_mode & 0o777 == 0o600

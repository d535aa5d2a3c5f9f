"""The kiosk's offline manifest: the day's live bookings under keyed code digests."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from booking.models import DeviceMode, KioskDevice
from booking.services.devices import device_create

pytestmark = pytest.mark.django_db


def digest(code: str, token: str) -> str:
    """Recomputed as the kiosk does, from the token itself (see booking/presenters/kiosk.py)."""
    key = hashlib.sha256(token.encode()).hexdigest().encode("ascii")
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def manifest(kiosk, **params):
    return kiosk.get("/api/v1/kiosk/manifest/", params, HTTP_ACCEPT_LANGUAGE="en")


def test_todays_bookings_are_listed_under_the_hmac_of_their_code(
    kiosk, device_token, make_appointment, anna
):
    appointment = make_appointment(minutes=30)
    body = manifest(kiosk).json()
    assert body["date"] == appointment.branch.local_date(appointment.start).isoformat()
    assert body["appointments"] == [
        {
            "code_hash": digest(appointment.code, device_token),
            "first_name": "Lukas",
            "advisor": "Anna Weber",
            "location": "Raum 2",
            "start": appointment.start.astimezone(appointment.branch.tz).isoformat(),
            "language": "de",
        }
    ]


def test_the_manifest_never_carries_a_code(kiosk, make_appointment):
    appointment = make_appointment(minutes=30)
    assert appointment.code not in manifest(kiosk).content.decode()


def test_another_devices_digests_do_not_match(kiosk, branch, make_appointment):
    appointment = make_appointment(minutes=30)
    _other, other_token = device_create(branch=branch, name="Other")
    listed = {entry["code_hash"] for entry in manifest(kiosk).json()["appointments"]}
    assert digest(appointment.code, other_token) not in listed


def test_it_carries_the_branchs_check_in_window(kiosk, branch):
    body = manifest(kiosk).json()
    assert body["checkin_early_minutes"] == branch.checkin_early_minutes
    assert body["late_grace_minutes"] == branch.late_grace_minutes
    assert body["late_policy"] == "priority_walk_in"


def test_only_live_bookings_of_this_branch_are_listed(
    kiosk, make_appointment, other_branch, service
):
    live = make_appointment(minutes=30)
    checked_in = make_appointment(minutes=60, status="checked_in")
    make_appointment(minutes=90, status="cancelled")
    make_appointment(minutes=120, status="served")
    service.branches.add(other_branch)
    make_appointment(minutes=150, at_branch=other_branch)
    listed = [entry["start"] for entry in manifest(kiosk).json()["appointments"]]
    tz = live.branch.tz
    assert listed == [a.start.astimezone(tz).isoformat() for a in (live, checked_in)]


def test_the_first_name_is_the_bookings_own(kiosk, make_appointment):
    appointment = make_appointment(minutes=30)
    appointment.contact_name = "Erika Musterfrau"
    appointment.save(update_fields=["contact_name"])
    assert manifest(kiosk).json()["appointments"][0]["first_name"] == "Erika"


def test_tomorrows_manifest_is_asked_for_by_date(kiosk, make_appointment):
    make_appointment(minutes=30)
    tomorrow_visit = make_appointment(minutes=24 * 60)
    today = dt.date.fromisoformat(manifest(kiosk).json()["date"])
    body = manifest(kiosk, date=(today + dt.timedelta(days=1)).isoformat()).json()
    tz = tomorrow_visit.branch.tz
    assert [entry["start"] for entry in body["appointments"]] == [
        tomorrow_visit.start.astimezone(tz).isoformat()
    ]


def test_a_day_beyond_tomorrow_is_refused(kiosk):
    today = dt.date.fromisoformat(manifest(kiosk).json()["date"])
    response = manifest(kiosk, date=(today + dt.timedelta(days=2)).isoformat())
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "date" in response.json()["errors"]


@pytest.mark.parametrize("bad", ["tomorrow", "2026-02-30", "99999-01-01"])
def test_a_date_that_is_no_date_is_400(kiosk, bad):
    response = manifest(kiosk, date=bad)
    assert response.status_code == 400
    assert "date" in response.json()["errors"]


def test_a_survey_kiosk_gets_no_manifest(api, branch):
    _device, token = device_create(branch=branch, name="Survey", mode=DeviceMode.SURVEY)
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = manifest(api)
    assert response.status_code == 403
    assert response.json()["detail"]


def test_without_a_device_token_it_is_401(api, branch):
    response = manifest(api)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_device_settings_say_whether_to_speak(kiosk):
    assert kiosk.get("/api/v1/kiosk/").json()["speech"] is False
    device = KioskDevice.objects.get()
    device.speech = True
    device.save()
    assert kiosk.get("/api/v1/kiosk/").json()["speech"] is True

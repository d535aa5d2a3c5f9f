"""Odd input is a 400 (or 413) with a JSON ``detail``, never a 500."""

from __future__ import annotations

import json

import pytest

from booking.models import Rating
from booking.services.devices import device_create

pytestmark = pytest.mark.django_db

FAR_DATES = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_availability_for_a_far_date_is_a_400(api, service, anna, day):
    response = api.get(f"/api/v1/branches/mitte/availability/?service=beratung&from={day}")
    assert response.status_code == 400
    assert response.json()["detail"] and "from" in response.json()["errors"]


@pytest.mark.parametrize("start", ["0001-01-01T10:00:00+01:00", "9999-12-31T23:00:00-10:00"])
def test_a_booking_for_a_far_date_is_a_400(api, service, anna, start):
    response = api.post(
        "/api/v1/appointments/",
        {
            "branch": "mitte",
            "service": "beratung",
            "start": start,
            "customer": {"name": "Lukas", "email": "l@example.org"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "start" in response.json()["errors"]


@pytest.fixture
def manager(api, django_user_model, branch):
    user = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(user)
    api.force_authenticate(user)
    return user


@pytest.mark.parametrize("day", FAR_DATES)
def test_stats_and_analytics_for_a_far_date_are_a_400(api, manager, day):
    assert api.get(f"/api/v1/branches/mitte/stats/?date={day}").status_code == 400
    assert api.get(f"/api/v1/branches/mitte/funnel/?from={day}").status_code == 400
    assert api.get(f"/api/v1/branches/mitte/satisfaction/?to={day}").status_code == 400


@pytest.mark.parametrize("day", [*FAR_DATES, "2026-02-30"])
def test_the_manager_page_with_a_far_or_impossible_date_still_answers(client, manager, day):
    client.force_login(manager)
    assert client.get(f"/manager/mitte/?from={day}").status_code == 200


@pytest.mark.parametrize("day", [*FAR_DATES, "2026-02-30", "2026-13-01"])
def test_the_front_door_with_an_impossible_day_still_answers(client, service, anna, day):
    assert client.get(f"/?branch=mitte&service=beratung&day={day}").status_code == 200
    assert client.get(f"/?branch=mitte&service=beratung&start={day}T10:00").status_code < 500


def test_json_nested_fifty_thousand_deep_is_a_400(api, branch):
    body = "[" * 50_000 + "]" * 50_000
    response = api.post("/api/v1/appointments/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_json_nested_deeper_than_32_levels_is_a_400(api, branch):
    body = json.dumps({"customer": json.loads("[" * 40 + "]" * 40)})
    response = api.post("/api/v1/appointments/", body, content_type="application/json")
    assert response.status_code == 400


def test_a_body_over_one_mebibyte_is_a_413(api, branch):
    body = json.dumps({"comment": "x" * (1024 * 1024 + 1)})
    response = api.post("/api/v1/appointments/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ["Lukas\u202eregeiM", "Lukas\x00Meier", "Lukas\u2066Meier"])
def test_a_name_with_control_or_bidi_characters_is_refused(api, service, anna, name):
    response = api.post(
        "/api/v1/appointments/",
        {
            "branch": "mitte",
            "service": "beratung",
            "start": "2030-01-07T10:00:00+01:00",
            "customer": {"name": name, "email": "l@example.org"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "customer.name" in response.json()["errors"]


def test_a_comment_loses_control_and_bidi_characters_but_keeps_its_words(api, branch):
    _device, token = device_create(branch=branch, name="Eingang")
    api.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = api.post(
        "/api/v1/kiosk/ratings/",
        {
            "score": 4,
            "client_id": "6f1c1f4e-8d7e-4c1e-9a59-2d7f4b7d6a10",
            "comment": "Sehr\u202e gut\x07\nDanke",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Rating.objects.get().comment == "Sehr gut\nDanke"

"""The API of service levels and recovery: shapes, rights, conflicts and throttles."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from booking.models import Alert, Recovery
from booking.services.service_levels import service_levels_sweep

from .conftest import minutes

pytestmark = pytest.mark.django_db

ALERT_KEYS = {"kind", "ticket", "visitor", "advisor", "wait_minutes", "contact_ok", "score"}


@pytest.fixture
def wait_alert(walk_in, now):
    walk_in.contact_name = "Lena Vogel"
    walk_in.save(update_fields=["contact_name"])
    service_levels_sweep(now=minutes(now, 20))
    return Alert.objects.get()


def test_a_wait_alert_answers_with_its_context(manager_api, wait_alert, walk_in):
    [answer] = manager_api.get("/api/v1/branches/mitte/alerts/").json()["results"]
    assert set(answer) >= ALERT_KEYS
    assert answer["kind"] == "wait"
    assert answer["score"] is None
    assert answer["ticket"] == walk_in.id
    assert answer["visitor"] == "Lena"  # never more than a first name
    assert answer["wait_minutes"] == 20
    assert answer["contact_ok"] is False


def test_a_rating_alert_carries_the_ratings_visit(manager_api, low_rating, anna):
    rating = low_rating()
    [answer] = manager_api.get("/api/v1/branches/mitte/alerts/").json()["results"]
    assert answer["kind"] == "rating"
    assert answer["score"] == 1
    assert answer["advisor"] == {"id": anna.id, "name": "Anna Weber"}
    assert answer["visitor"] == "Lukas"
    assert answer["contact_ok"] is True
    assert answer["customer"] == rating.customer_id


def test_recover_sends_once_and_answers_the_alert(manager_api, low_rating, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    alert = low_rating().alert
    url = f"/api/v1/alerts/{alert.id}/recover/"
    first = manager_api.post(url, {"message": "Sorry!"}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["recovery"]["booked"] is False
    assert manager_api.post(url, {"message": "Sorry!"}, format="json").status_code == 200
    assert Recovery.objects.count() == 1


def test_recover_without_consent_is_a_conflict(manager_api, low_rating):
    alert = low_rating(contact_ok=None).alert
    answer = manager_api.post(f"/api/v1/alerts/{alert.id}/recover/", {"message": "Hi"})
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_consent" and answer.json()["detail"]


def test_recover_of_a_wait_alert_is_a_conflict(manager_api, wait_alert):
    answer = manager_api.post(f"/api/v1/alerts/{wait_alert.id}/recover/", {"message": "Hi"})
    assert answer.status_code == 409


def test_recover_without_a_message_is_a_bad_request(manager_api, low_rating):
    alert = low_rating().alert
    answer = manager_api.post(f"/api/v1/alerts/{alert.id}/recover/", {}, format="json")
    assert answer.status_code == 400
    assert "message" in answer.json()["errors"] and answer.json()["detail"]


def test_an_advisor_may_not_recover(staff_api, low_rating):
    alert = low_rating().alert
    answer = staff_api.post(f"/api/v1/alerts/{alert.id}/recover/", {"message": "Hi"})
    assert answer.status_code == 403


def test_another_branchs_manager_gets_not_found(api, low_rating, django_user_model, other_branch):
    alert = low_rating().alert
    stranger = django_user_model.objects.create_user("other", password="pw")
    other_branch.managers.add(stranger)
    api.force_authenticate(stranger)
    assert api.post(f"/api/v1/alerts/{alert.id}/recover/", {"message": "x"}).status_code == 404
    assert api.get("/api/v1/branches/mitte/paths/").status_code == 404


def test_paths_answer_the_period_and_refuse_an_unknown_segment(manager_api, walk_in):
    answer = manager_api.get("/api/v1/branches/mitte/paths/")
    assert answer.status_code == 200
    assert answer.json()["paths"][0] == {"steps": ["ticket_issued"], "count": 1, "avg_score": None}
    assert manager_api.get("/api/v1/branches/mitte/paths/?segment=vip").status_code == 400
    assert manager_api.get("/api/v1/branches/mitte/paths/?segment=new").status_code == 200


def test_paths_are_for_managers(staff_api):
    assert staff_api.get("/api/v1/branches/mitte/paths/").status_code == 403


def test_satisfaction_counts_reason_tags_and_reports_won_back(manager, kiosk, walk_in):
    for tags in (["waiting_time", "premises"], ["waiting_time"]):
        answer = kiosk.post(
            "/api/v1/kiosk/ratings/",
            {"score": 2, "tags": tags, "client_id": str(uuid.uuid4())},
            format="json",
        )
        assert answer.status_code == 201
    manager_api = APIClient()  # the kiosk's client carries the device's token
    manager_api.force_authenticate(manager)
    body = manager_api.get("/api/v1/branches/mitte/satisfaction/?by=tag").json()
    assert [(row["key"], row["count"]) for row in body["rows"]] == [
        ("waiting_time", 2),
        ("premises", 1),
    ]
    assert body["won_back"] == 0


def test_the_kiosk_sends_consent_and_ticket_numbers(kiosk, walk_in):
    answer = kiosk.post(
        "/api/v1/kiosk/ratings/",
        {"score": 1, "code": walk_in.number, "contact_ok": True, "client_id": str(uuid.uuid4())},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["contact_ok"] is True and answer.json()["ticket"] == walk_in.id


def test_too_many_wrong_codes_at_ratings_answer_429_with_retry_after(kiosk, settings):
    settings.THROTTLES = {**settings.THROTTLES, "wrong_code": "2/600"}
    statuses = [
        kiosk.post(
            "/api/v1/kiosk/ratings/",
            {"score": 3, "code": "Q123", "client_id": str(uuid.uuid4())},
            format="json",
        )
        for _ in range(3)
    ]
    assert [s.status_code for s in statuses] == [404, 404, 429]
    assert int(statuses[-1]["Retry-After"]) > 0


def test_a_stale_given_at_is_a_bad_request(kiosk):
    answer = kiosk.post(
        "/api/v1/kiosk/ratings/",
        {"score": 3, "client_id": str(uuid.uuid4()), "given_at": "2020-01-01T10:00:00+01:00"},
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["detail"]


def test_stats_report_the_share_within_target(staff_api):
    body = staff_api.get("/api/v1/branches/mitte/stats/").json()
    assert set(body["within_target"]) == {"visits", "within", "share"}

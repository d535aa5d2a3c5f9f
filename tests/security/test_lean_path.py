"""API calls without a session take the lean path (no session, auth or messages
middleware); everything that guards a request still holds there, and a request with a
session still takes the whole chain."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from booking.middleware_lean import is_lean
from booking.services.devices import device_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(branch) -> APIClient:
    _device, token = device_create(branch=branch, name="Eingang")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


@pytest.mark.parametrize(
    ("path", "cookies", "lean"),
    [
        ("/api/v1/kiosk/check-in/", {}, True),
        ("/healthz/", {}, True),
        ("/api/v1/kiosk/check-in/", {"sessionid": "x"}, False),
        ("/api/schema/", {}, False),
        ("/staff/", {}, False),
    ],
)
def test_only_api_calls_without_a_session_cookie_are_lean(path, cookies, lean):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    assert is_lean(request) is lean


def test_a_lean_answer_sets_no_cookie_and_keeps_the_security_headers(kiosk, service):
    response = kiosk.get("/api/v1/kiosk/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_a_lean_request_over_the_body_limit_is_413(kiosk):
    response = kiosk.generic(
        "POST",
        "/api/v1/kiosk/check-in/",
        b"x" * (1024 * 1024 + 1),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_signed_in_browser_still_needs_the_csrf_token_to_write(django_user_model, anna, branch):
    user = django_user_model.objects.create_user("anna", password="pw")
    anna.user = user
    anna.save()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post("/api/v1/branches/mitte/call-next/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_signed_in_browser_is_known_to_the_api(django_user_model, anna, branch):
    user = django_user_model.objects.create_user("anna", password="pw")
    anna.user = user
    anna.save()
    browser = Client()
    browser.force_login(user)
    assert browser.get("/api/v1/branches/mitte/queue/").status_code == 200


def test_without_a_session_the_api_sees_nobody(client, branch):
    assert client.get("/api/v1/branches/mitte/queue/").status_code in (401, 403)

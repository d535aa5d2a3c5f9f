"""Every way in is throttled by the real address: bookings by API and by form together,
sign-ins by token, staff page and admin page together."""

from __future__ import annotations

import pytest
from django.test import Client

from booking.web.forms import form_token_new
from tests.conftest import local, next_weekday

pytestmark = pytest.mark.django_db

BOOKINGS = 30
LOGINS = 10


def test_a_new_forwarded_header_each_time_does_not_escape_the_booking_throttle(api, branch):
    codes = [
        api.post(
            "/api/v1/appointments/", {}, format="json", HTTP_X_FORWARDED_FOR=f"10.9.{n}.1"
        ).status_code
        for n in range(BOOKINGS + 1)
    ]
    assert codes[:BOOKINGS] == [400] * BOOKINGS
    assert codes[-1] == 429


def test_the_booking_form_counts_together_with_the_api(api, client, branch, service, anna):
    for _ in range(BOOKINGS):
        api.post("/api/v1/appointments/", {}, format="json")
    day = next_weekday(2)
    response = client.post(
        "/book/",
        HTTP_ACCEPT_LANGUAGE="en",
        data={
            "branch": "mitte",
            "service": "beratung",
            "start": local(day, 10).isoformat(),
            "name": "Lukas Meier",
            "email": "lukas@example.org",
            "language": "de",
            "consent": "on",
            "form_token": form_token_new(),
        },
    )
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Please wait" in response.content.decode()


@pytest.fixture
def staff(django_user_model, branch):
    user = django_user_model.objects.create_user("anna", password="right-password")
    branch.managers.add(user)
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="right-password")


def guess(client: Client, path: str, username: str, password: str = "wrong"):
    return client.post(path, {"username": username, "password": password})


def test_the_staff_sign_in_refuses_even_the_right_password_after_ten_guesses(client, staff):
    for _ in range(LOGINS):
        assert guess(client, "/staff/login/", "anna").status_code == 200
    refused = guess(client, "/staff/login/", "anna", "right-password")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_refuses_even_the_right_password_after_ten_guesses(client, superuser):
    for _ in range(LOGINS):
        guess(client, "/admin/login/", "root")
    refused = guess(client, "/admin/login/", "root", "right-password")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_token_login_and_the_sign_in_page_share_one_budget(api, client, staff):
    for _ in range(LOGINS // 2):
        guess(client, "/staff/login/", "anna")
        api.post("/api/v1/auth/token/", {"username": "anna", "password": "x"}, format="json")
    answer = api.post(
        "/api/v1/auth/token/", {"username": "anna", "password": "right-password"}, format="json"
    )
    assert answer.status_code == 429
    assert answer.json()["detail"]


def test_guessing_one_username_from_many_addresses_is_still_throttled(staff):
    for n in range(LOGINS):
        guess(Client(REMOTE_ADDR=f"198.51.100.{n}"), "/staff/login/", "anna")
    refused = guess(Client(REMOTE_ADDR="198.51.100.200"), "/staff/login/", "ANNA", "right-password")
    assert refused.status_code == 429


def test_a_normal_sign_in_meets_no_throttle(client, staff):
    assert guess(client, "/staff/login/", "anna", "right-password").status_code == 302

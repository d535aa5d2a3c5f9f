"""The visitor's phone: a branch open now (as on the floor), and helpers to join and look."""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from booking import events
from tests.booking.floor.conftest import (  # noqa: F401  (the floor's fixtures)
    anna,
    branch,
    device,
    device_token,
    jonas,
    kiosk,
    make_appointment,
    staff_api,
)
from tests.browser import browser  # noqa: F401  (the shared fixture)
from tests.staff.conftest import asgi_server  # noqa: F401  (a real server, for sockets)

JOIN = "/api/v1/branches/mitte/queue/join/"


@pytest.fixture
def sms_dir(settings, tmp_path) -> Path:
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


def sent_sms(folder: Path) -> list[str]:
    return sorted(p.read_text() for p in folder.glob("*.txt")) if folder.exists() else []


def token_of(ticket_answer: dict) -> str:
    """The token of a ticket answer's status link."""
    return ticket_answer["status_url"].rstrip("/").rsplit("/", 1)[1]


def status_path(ticket_answer: dict) -> str:
    """The API address of a ticket answer's status link."""
    return f"/api/v1/tickets/status/{token_of(ticket_answer)}/"


@pytest.fixture
def published(monkeypatch) -> list:
    """Every domain event published from here on (they are still delivered)."""
    seen: list = []
    publish = events.publish

    def record(event) -> None:
        seen.append(event)
        publish(event)

    monkeypatch.setattr(events, "publish", record)
    return seen


@pytest.fixture
def join(api, anna):  # noqa: F811  (anna: on duty, offering the service)
    """Join the remote queue as a visitor would from their phone; returns the answer."""

    def join(name: str = "Lukas Meier", **body) -> dict:
        response = api.post(JOIN, {"service": "beratung", "name": name, **body}, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return join


@pytest.fixture
def staff_user(anna, django_user_model) -> str:  # noqa: F811
    """Anna's API token."""
    user = django_user_model.objects.create_user("anna-api")
    anna.user = user
    anna.save()
    return Token.objects.create(user=user).key

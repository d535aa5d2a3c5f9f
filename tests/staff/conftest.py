"""An ASGI server process (HTTP + WebSockets) over the test database, and a browser."""

from __future__ import annotations

import os

import pytest

from tests.browser import browser  # noqa: F401  (the shared fixture)
from tests.support import start_asgi_server


@pytest.fixture
def asgi_server(transactional_db, tmp_path):
    """Two server processes when Redis carries the channel layer, so live updates must
    cross processes; one with the in-process layer."""
    log_path = tmp_path / "server.log"
    process, url = start_asgi_server(
        log_path,
        workers=2 if os.environ.get("REDIS_URL") else 1,
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    yield url
    process.terminate()
    process.wait(timeout=30)
    output = log_path.read_text()
    assert "Traceback" not in output, output


@pytest.fixture
def branch(branch_open_now):
    """Visits booked for "today" must find the branch open at any hour the suite runs."""
    return branch_open_now


@pytest.fixture
def anna_login(client, django_user_model, anna, branch):
    user = django_user_model.objects.create_user("anna", password="pw")
    anna.user = user
    anna.save()
    client.force_login(user)
    return client


@pytest.fixture
def manager_login(client, django_user_model, branch):
    user = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(user)
    client.force_login(user)
    return client

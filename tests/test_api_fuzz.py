"""Schemathesis over ``/api/schema/``: generated requests to every operation, as an
anonymous client, a kiosk device and a manager, never get a 5xx, and every 4xx carries a
JSON ``detail``. Fixed seed and a bounded number of examples, so the run is repeatable."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from booking.models import Absence
from booking.services.devices import device_create
from tests.conftest import make_advisor

pytestmark = pytest.mark.django_db

EXAMPLES = 12


@pytest.fixture
def world(branch, service, anna, other_branch, django_user_model):
    """A branch with a kiosk, a manager and an advisor, and a branch the caller has no
    rights in, so generated ids and slugs can hit real and foreign objects."""
    make_advisor(other_branch, [service], "Ole Nord")
    Absence.objects.create(advisor=anna, start="2030-01-01T00:00Z", end="2030-01-02T00:00Z")
    _device, kiosk_token = device_create(branch=branch, name="Eingang")
    manager = django_user_model.objects.create_user("boss", password="pw")
    branch.managers.add(manager)
    return {
        "anonymous": {},
        "kiosk": {"Authorization": f"Device {kiosk_token}"},
        "manager": {"Authorization": f"Token {Token.objects.create(user=manager).key}"},
    }


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """Requests run in this thread inside the test's transaction; like Django's test
    client, keep the request signals from closing its connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The document /api/schema/ serves, generated once at collection (no database needed).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_or_an_error_without_detail(case, world):
    for role, headers in world.items():
        response = case.call(headers=headers)
        where = (role, case.method, case.formatted_path, response.status_code, response.text[:300])
        assert response.status_code < 500, where
        if response.status_code >= 400:
            content_type = response.headers.get("content-type", [""])[0]
            assert content_type.startswith("application/json"), where
            detail = response.json().get("detail")
            assert isinstance(detail, str) and detail, where

"""The OpenAPI document builds cleanly and the browsable docs page answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_generates_without_warnings(capsys):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"].startswith("3.")
    assert "/api/v1/appointments/" in body["paths"]


def test_the_docs_page_answers(client):
    assert client.get("/api/docs/").status_code == 200

"""Every API answer a test receives is held to the OpenAPI document, so what the kiosk,
the pages and partners are built against cannot drift from what the views send."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from schemathesis import Response

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def check_against_schema(method: str, url: str, response) -> None:
    """Raise if a documented answer (its status code is in the schema) has another shape;
    an API path missing from the schema is an error too."""
    path = urlsplit(url).path
    if not path.startswith("/api/v1/"):
        return
    operation = SCHEMA.find_operation_by_path(method, path)
    if operation is None:
        assert response.status_code in (404, 405), f"{method} {path} is not in /api/schema/"
        return
    wrapped = Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.items()},
        content=response.content,
        request=requests.Request(method, f"http://testserver{url}").prepare(),
        elapsed=0.0,
        verify=True,
    )
    operation.validate_response(wrapped)


class ContractClient(APIClient):
    """An API client that checks every answer against the schema."""

    def generic(self, method, path, *args, **kwargs):
        response = super().generic(method, path, *args, **kwargs)
        check_against_schema(method, path, response)
        return response

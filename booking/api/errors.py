"""One exception handler: every error is JSON with a human-readable ``detail``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from booking.exceptions import BookingError, Invalid, Throttled


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as ``{"customer.email": ["…"]}``."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def _summary(errors: dict[str, list[str]]) -> str:
    problems = "; ".join(
        msg if field == "non_field_errors" else f"{field}: {msg}"
        for field, messages in errors.items()
        for msg in messages
    )
    return _("Please check your input. %(problems)s") % {"problems": problems}


def error_body(code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, BookingError):
        body = error_body(exc.code, exc.message, **exc.extra)
        headers = {}
        if isinstance(exc, Invalid):
            body["errors"] = {exc.field: [exc.message]}
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        return Response(body, status=exc.status, headers=headers)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        exc.detail = _("Too many requests. Please wait %(seconds)s seconds and try again.") % {
            "seconds": int(exc.wait) + 1
        }
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        response.data = error_body("invalid", _summary(errors), errors=errors)
        return response
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if isinstance(exc, Http404) or response.status_code == 404:
        detail = _("Not found.")
        code = "not_found"
    else:
        code = getattr(exc, "default_code", "error")
    response.data = error_body(code, str(detail or _("The request could not be handled.")))
    if response.status_code == 400:
        response.data["errors"] = {"non_field_errors": [response.data["detail"]]}
    return response

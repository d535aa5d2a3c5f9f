"""Request guards that hold for every view: 503 while the database is away, 413 for
oversized bodies, the login throttle, and the Content-Security-Policy."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from booking.errorpages import error_response, throttled_response
from booking.exceptions import Throttled
from booking.throttling import client_address, login_hit

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 (not 500) while the database cannot be reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception)
        response = JsonResponse(
            {
                "detail": _("The service is briefly unavailable. Please try again in a moment."),
                "code": "unavailable",
            },
            status=503,
        )
        response["Retry-After"] = "10"
        return response


class BodyLimitMiddleware:
    """Bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MiB) are refused before anything
    reads them: 413, not a parser's 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_response(
                request,
                413,
                "too_large",
                _("The request is too large (at most %(size)s KiB).")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024},
            )
        return self.get_response(request)


class LoginThrottleMiddleware:
    """The staff and admin sign-in forms count with ``POST /api/v1/auth/token/``: every
    attempt counts, per address and per username, and while throttled even the right
    password is refused (429)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def login_paths(self) -> set[str]:
        return {reverse("staff-login"), reverse("admin:login")}

    def __call__(self, request: HttpRequest):
        if request.method == "POST" and request.path_info in self.login_paths:
            try:
                login_hit(client_address(request), request.POST.get("username", ""))
            except Throttled as error:
                return throttled_response(request, error)
        return self.get_response(request)


# Scripts only from our own origin; styles inline too (chart bars carry their width).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

"""JSON errors for API paths (clients parse ``detail``); Django's pages elsewhere."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from booking.exceptions import Throttled


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    """JSON with ``detail`` for the API, a short page for people."""
    if _is_api(request):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return render(request, "booking/web/problem.html", {"detail": detail}, status=status)


def throttled_response(request: HttpRequest, error: Throttled) -> HttpResponse:
    response = error_response(request, 429, error.code, error.message)
    response["Retry-After"] = str(error.retry_after)
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Please try again."), "code": "error"},
            status=500,
        )
    return defaults.server_error(request)


# A load balancer asks every few seconds; a burst of probes (or a benchmark) within this
# many seconds after a good answer reuses it instead of another database round trip.
HEALTHZ_DATABASE_SECONDS = 1.0
_database_seen_at = -HEALTHZ_DATABASE_SECONDS


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers. A failed check is never
    reused: while the database is away every probe asks again (and gets 503)."""
    global _database_seen_at
    if time.monotonic() - _database_seen_at >= HEALTHZ_DATABASE_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        _database_seen_at = time.monotonic()
    return JsonResponse({"status": "ok"})

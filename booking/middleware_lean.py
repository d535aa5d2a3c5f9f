"""The lean path: API calls without a session skip the middleware that serves browsers.

A kiosk, a partner or a staff client with a token sends no session cookie, so for it
the session, authentication and flash-message middleware only cost time.
``LeanPathMiddleware`` marks such requests first; the subclasses below step aside for
them. A request that carries a session cookie takes the whole chain, so DRF's session
authentication still finds its user and enforces CSRF on writes. Everything else
(security headers, CSP, the body limit, throttles, the 503 guard, the language, and
Django's own CSRF middleware, which ``check --deploy`` wants by its name) runs for
every request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest

# Paths whose callers authenticate with a token, a device key, or not at all.
LEAN_PREFIXES = ("/api/v1/", "/healthz/")


def is_lean(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith(LEAN_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class LeanPathMiddleware:
    """First in the chain: marks a lean request, which has no signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.lean = is_lean(request)
        if request.lean:
            request.user = AnonymousUser()
        return self.get_response(request)


class _SteppingAsideOnLeanPaths:
    def __call__(self, request: HttpRequest):
        if getattr(request, "lean", False):
            return self.get_response(request)
        return super().__call__(request)


class LeanSessionMiddleware(_SteppingAsideOnLeanPaths, SessionMiddleware):
    pass


class LeanAuthenticationMiddleware(_SteppingAsideOnLeanPaths, AuthenticationMiddleware):
    pass


class LeanMessageMiddleware(_SteppingAsideOnLeanPaths, MessageMiddleware):
    pass

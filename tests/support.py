"""Helpers for tests that start real processes (Celery worker, ASGI server)."""

from __future__ import annotations

import os
import socket
import time

from django.db import connection


def wait_for(condition, *, timeout: float = 30.0, what: str = "condition"):
    """Poll until ``condition()`` is truthy: the other side is another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_database_url() -> str:
    """The URL of the database this test process uses, for a child process to share."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return f"sqlite:///{settings['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    # The browser tests relax Django's async check for themselves only, never for servers.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "server.settings_test",
        "DATABASE_URL": test_database_url(),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

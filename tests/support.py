"""Helpers for tests that start real processes (Celery worker, ASGI server)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.db import connection, connections

from booking.models import Advisor, Appointment, Branch, Customer, Service
from booking.services.appointments import occupy
from booking.services.codes import new_code, new_manage_token


def wait_for(condition, *, timeout: float = 30.0, what: str = "condition"):
    """Poll until ``condition()`` is truthy: the other side is another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def simultaneously(calls) -> list:
    """Run the calls in threads of their own (each with its own database connection),
    all released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


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


def booked(
    *,
    branch: Branch,
    service: Service,
    advisor: Advisor,
    start: dt.datetime,
    customer: Customer | None = None,
    save: bool = True,
    **fields,
) -> Appointment:
    """An appointment as if booked earlier: written directly, past the booking rules."""
    customer = customer or Customer.objects.create(
        name="Lukas Meier", email=f"{new_code()}@example.org"
    )
    contact = {
        "contact_name": customer.name,
        "contact_email": customer.email,
        "contact_phone": customer.phone,
        "language": customer.language,
    }
    appointment = Appointment(
        branch=branch,
        service=service,
        advisor=advisor,
        customer=customer,
        code=fields.pop("code", None) or new_code(),
        manage_token=new_manage_token(),
        **{**contact, **fields},
    )
    occupy(appointment, service, start)
    if save:
        appointment.save()
    return appointment


def server_command(kind: str, app: str, port: int, *, workers: int, threads: int) -> list[str]:
    """How to start ``app`` on loopback: ``uvicorn`` (ASGI), ``granian`` (WSGI, as
    production serves HTTP: deploy/Procfile) or ``gunicorn`` (WSGI, gthread: the
    benchmarks' bare baseline)."""
    if kind == "uvicorn":
        # As deploy/Procfile: without a limit, stopping waits for every open WebSocket,
        # and a browser that still holds one kept a test's server from stopping.
        return [
            sys.executable, "-m", "uvicorn", app,
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--timeout-graceful-shutdown", "5",
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    if kind == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", app,
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--blocking-threads", str(threads), "--log-level", "warning",
        ]  # fmt: skip
    if kind == "gunicorn":
        # --no-control-socket: two masters at once would fight over ~/.gunicorn/gunicorn.ctl.
        return [
            sys.executable, "-m", "gunicorn", app,
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            "--log-level", "warning", "--no-control-socket",
        ]  # fmt: skip
    raise ValueError(f"unknown server kind {kind!r}")


def start_server(
    log_path: Path,
    *,
    kind: str = "uvicorn",
    workers: int = 1,
    threads: int = 4,
    settings: str = "server.settings_test",
    app: str | None = None,
    port: int | None = None,
    **env: str,
) -> tuple[subprocess.Popen, str]:
    """The project (or another ``app`` that answers ``/healthz/``) under ``kind`` on a free
    port (or ``port``: a restart), serving the test database."""
    app = app or ("server.asgi:application" if kind == "uvicorn" else "server.wsgi:application")
    port = port or free_port()
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            server_command(kind, app, port, workers=workers, threads=threads),
            env=child_env(DJANGO_SETTINGS_MODULE=settings, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/healthz/", timeout=1).ok
        except requests.RequestException:  # not listening yet, or too busy to answer
            return process.poll() is not None  # died: stop waiting, the caller sees why

    try:
        wait_for(up, what=f"the {kind} server")
    except AssertionError:
        process.terminate()  # never answered: do not leave it (or its workers) behind
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        raise
    assert process.poll() is None, log_path.read_text()
    return process, url


def start_asgi_server(log_path: Path, **options) -> tuple[subprocess.Popen, str]:
    """``uvicorn server.asgi:application`` (see ``start_server``)."""
    return start_server(log_path, kind="uvicorn", **options)

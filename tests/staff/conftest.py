"""An ASGI server process (HTTP + WebSockets) over the test database, and a browser."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from tests.browser import browser  # noqa: F401  (the shared fixture)
from tests.support import child_env, free_port, wait_for


@pytest.fixture
def asgi_server(transactional_db, tmp_path):
    """``uvicorn server.asgi:application`` on a free port; two workers when Redis carries
    the channel layer, so live updates must cross processes."""
    port = free_port()
    workers = "2" if os.environ.get("REDIS_URL") else "1"
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "server.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                workers,
                "--log-level",
                "warning",
            ],
            env=child_env(EMAIL_FILE_PATH=str(tmp_path / "mail")),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/healthz/", timeout=1).ok
        except requests.ConnectionError:
            return process.poll() is not None  # died: stop waiting, fail below

    wait_for(up, what="the ASGI server")
    assert process.poll() is None, log_path.read_text()
    yield url
    process.terminate()
    process.wait(timeout=30)
    output = log_path.read_text()
    assert "Traceback" not in output, output

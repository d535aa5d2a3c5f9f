"""scripts/stack: the production layout on one machine, checked through its proxy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection
from websockets.sync.client import connect

from tests.support import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="the stack runs on PostgreSQL and Redis (the suite's second pass)",
    ),
    pytest.mark.skipif(
        not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
        reason="nginx is not installed (scripts/test installs it)",
    ),
    pytest.mark.timeout(240),
]


@pytest.fixture
def stack(tmp_path):
    """scripts/stack on a free port with its own database; stopped as Ctrl-C would."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    database = f"test_branchkiosk_stack_{os.getpid()}"
    run_dir = tmp_path / "run"
    port = free_port()
    prefix = f"stack-test-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")},
        "STACK_DATABASE_URL": f"{server}/{database}",
        "STACK_REDIS_URL": os.environ["REDIS_URL"],
        "STACK_BROKER_URL": os.environ.get("TEST_CELERY_BROKER_URL", os.environ["REDIS_URL"]),
        # The suite's Redis databases are shared with the test run: keep to our own keys.
        "CACHE_KEY_PREFIX": prefix,
        "CHANNELS_PREFIX": prefix,
        "CELERY_QUEUE": prefix,
        "DEMO_SECRETS_FILE": str(tmp_path / "demo-secrets.json"),
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "SECRET_KEY": uuid.uuid4().hex * 2,
    }
    output = tmp_path / "stack.out"
    with open(output, "w") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "stack"), "--port", str(port), "--run-dir", str(run_dir),
             "--seed", "--workers", "2", "--ws-workers", "2", "--job-workers", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(
            lambda: "is up at" in output.read_text() or process.poll() is not None,
            timeout=180,
            what="scripts/stack",
        )
        assert process.poll() is None, output.read_text()
        yield f"127.0.0.1:{port}", process, run_dir, output
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc",
             f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'],
            check=False,
        )  # fmt: skip


def test_the_stack_serves_pages_api_and_live_updates_through_nginx_and_stops_on_ctrl_c(stack):
    address, process, run_dir, output = stack
    url = f"http://{address}"

    health = requests.get(f"{url}/healthz/", timeout=10)
    assert health.json() == {"status": "ok"}
    assert health.headers["Server"] == "nginx"

    branches = requests.get(f"{url}/api/v1/branches/", timeout=10).json()
    slugs = [b["slug"] for b in branches.get("results", branches)]
    assert "mitte" in slugs

    page = requests.get(f"{url}/display/mitte/", timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]

    # /ws/ reaches uvicorn through the proxy (granian serves HTTP through WSGI only).
    with connect(f"ws://{address}/ws/display/mitte/", origin=url, open_timeout=10) as socket:
        first = json.loads(socket.recv(timeout=10))
    assert first["event"] == "display"

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert "stopping the stack" in output.read_text()
    assert not (run_dir / "nginx.pid").exists(), "nginx was left running"
    # Its own session (start_new_session): every process it started, workers included.
    left = subprocess.run(
        ["ps", "-o", "pid=,args=", "--sid", str(process.pid)], capture_output=True, text=True
    ).stdout
    assert left.strip() == "", f"left running:\n{left}"

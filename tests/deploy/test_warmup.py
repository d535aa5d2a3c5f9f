"""A server process loads its views, URL maps and cache client when it starts, not in the
first visitors' requests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import child_env

PROBE = """
import sys
import {entry}
print(all(name in sys.modules for name in ("booking.api.views_kiosk", "booking.staff.views",
                                           "drf_spectacular.views", "django_redis.client")))
"""


@pytest.mark.parametrize("entry", ["server.wsgi", "server.asgi"])
def test_the_entry_point_loads_every_view_and_the_cache_client_before_any_request(entry):
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(entry=entry)],
        env=child_env(
            DJANGO_SETTINGS_MODULE="server.settings_test",
            REDIS_URL="redis://127.0.0.1:6379/9",  # a client is built, nothing is sent
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.stdout.strip() == "True", probe.stderr


@pytest.mark.parametrize("entry", ["server.wsgi", "server.asgi"])
def test_what_the_entry_point_loaded_stays_out_of_the_collectors_full_sweeps(entry):
    probe = subprocess.run(
        [sys.executable, "-c", f"import gc, {entry}; print(gc.get_freeze_count())"],
        env=child_env(DJANGO_SETTINGS_MODULE="server.settings_test"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert int(probe.stdout.strip() or 0) > 10_000, probe.stderr

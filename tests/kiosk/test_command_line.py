"""``python -m kiosk`` from a plain shell: Kivy must not take the kiosk's arguments."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.kiosk_app


def run_kiosk(*args: str) -> subprocess.CompletedProcess:
    # Kivy skips its own argument parsing when an argument mentions "pytest", which would
    # hide the bug this guards against: use a neutral folder.
    data_dir = tempfile.mkdtemp(prefix="kiosk-smoke-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", data_dir, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_kiosk_starts_and_shows_home_even_without_a_server():
    result = run_kiosk(
        "--server",
        "http://127.0.0.1:9",
        "--token",
        "t0ken",
        "--mode",
        "both",
        "--lang",
        "en",
        "--exit-after",
        "2",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "home screen shown" in result.stderr


def test_a_bad_option_gets_the_kiosks_own_usage_text():
    result = run_kiosk("--mode", "party")
    assert result.returncode == 2
    assert "python -m kiosk" in result.stderr

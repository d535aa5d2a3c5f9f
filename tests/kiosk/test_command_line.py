"""``python -m kiosk`` from a plain shell: Kivy must not take the kiosk's arguments, and
the token need not show in ``ps``."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.kiosk_app


def neutral_folder() -> Path:
    # Kivy skips its own argument parsing when an argument mentions "pytest", which would
    # hide the bug this guards against: use a neutral folder.
    return Path(tempfile.mkdtemp(prefix="kiosk-smoke-"))


def kiosk_command(*args: str) -> tuple[list[str], dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    env["PYTHONPATH"] = str(ROOT)
    return [sys.executable, "-m", "kiosk", *args], env


def run_kiosk(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    command, env = kiosk_command("--data-dir", str(data_dir or neutral_folder()), *args)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


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


@pytest.mark.django_db(transaction=True)
def test_a_token_from_a_file_works_and_never_shows_in_ps(live_server, branch):
    from booking.services.devices import device_create

    _device, token = device_create(branch=branch, name="Eingang")
    folder = neutral_folder()
    secret = folder / "token"
    secret.write_text(token + "\n")
    secret.chmod(0o600)
    data_dir = folder / "data"
    command, env = kiosk_command(
        "--server",
        live_server.url,
        "--token-file",
        str(secret),
        "--data-dir",
        str(data_dir),
        "--exit-after",
        "6",
    )
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        device_file = data_dir / "device.json"
        deadline = time.monotonic() + 90
        while not device_file.exists() and process.poll() is None and time.monotonic() < deadline:
            seen = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
            assert token not in seen
            time.sleep(0.1)  # another process: poll for its file
        _out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err[-3000:]
    assert json.loads(device_file.read_text())["branch"]["slug"] == "mitte"
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(device_file.stat().st_mode) == 0o600


def test_save_config_writes_a_private_ini_and_the_kiosk_starts_from_it():
    data_dir = neutral_folder() / "data"
    saved = run_kiosk(
        "--server", "http://127.0.0.1:9", "--token", "t0ken", "--save-config", data_dir=data_dir
    )
    assert saved.returncode == 0, saved.stderr[-3000:]
    ini = data_dir / "kiosk.ini"
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert "token = t0ken" in ini.read_text()
    started = run_kiosk("--exit-after", "2", data_dir=data_dir)
    assert started.returncode == 0, started.stderr[-3000:]
    assert "home screen shown" in started.stderr

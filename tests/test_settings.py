"""Settings come from the environment and refuse to run production unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The test settings put relaxed defaults into this process's environment; drop them.
    relaxed = {
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_SETTINGS_MODULE",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in relaxed}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_development_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="server.settings")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="server.settings",
        SECRET_KEY="a-real-production-secret-" + "x7Kq9" * 10,
        ALLOWED_HOSTS="termine.bank.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_demo_runs_with_debug_and_no_other_settings():
    result = manage("check", DJANGO_SETTINGS_MODULE="server.settings", DEBUG="1")
    assert result.returncode == 0, result.stderr

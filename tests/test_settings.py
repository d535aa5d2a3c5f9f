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
    # No .env of a demo in the working copy either, unless the test names one.
    clean = {k: v for k, v in os.environ.items() if k not in relaxed} | {"ENV_FILE": ""}
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


def test_the_demo_env_file_makes_manage_commands_work_as_printed(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=an-installation-s-own-key-" + "q" * 30 + "\n")
    result = manage(
        "migrate",
        DJANGO_SETTINGS_MODULE="server.settings",
        ENV_FILE=str(env_file),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    result = manage(
        "seed_demo",
        "--json",
        DJANGO_SETTINGS_MODULE="server.settings",
        ENV_FILE=str(env_file),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"),
    )
    assert result.returncode == 0, result.stderr
    assert '"admin"' in result.stdout


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n")
    result = manage(
        "check", DJANGO_SETTINGS_MODULE="server.settings", ENV_FILE=str(env_file), DEBUG="0"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_demo_log_prints_each_request_once():
    # Django gives its logger a console handler of its own under DEBUG; the root has one.
    script = (
        "import logging; logger = logging.getLogger('django.channels.server'); n = 0\n"
        "while logger:\n"
        "    n += len(logger.handlers)\n"
        "    logger = logger.parent if logger.propagate else None\n"
        "print('handlers', n)"
    )
    result = manage("shell", "-c", script, DJANGO_SETTINGS_MODULE="server.settings", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "handlers 1" in result.stdout


def test_a_negative_availability_cache_lifetime_is_refused():
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="server.settings",
        DEBUG="1",
        AVAILABILITY_CACHE_SECONDS="-1",
    )
    assert result.returncode != 0
    assert "AVAILABILITY_CACHE_SECONDS" in result.stderr

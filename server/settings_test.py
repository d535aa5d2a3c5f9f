"""Settings for the test suite: the real settings, with test-friendly defaults.

The environment still decides the database and broker, so the same suite runs on
the embedded default and on PostgreSQL + Redis.
"""

import os
import tempfile
from pathlib import Path

# A demo's .env in the working copy must not change what the tests run with.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-4f9b2c7d1e")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from server.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Whitenoise warns about a missing STATIC_ROOT on every request otherwise.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# One test database per test process, so parallel runs (developers, CI passes) never share.
DATABASES["default"].setdefault("TEST", {})  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"]["NAME"] = str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
else:
    DATABASES["default"]["TEST"]["NAME"] = f"test_branchkiosk_{os.getpid()}"  # noqa: F405
    # Without a pool: idle pooled connections would keep the test database from being dropped.
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
# seed_demo's secrets of a test run stay out of the working copy's demo.
DEMO_SECRETS_FILE = os.environ.get(  # noqa: F405
    "DEMO_SECRETS_FILE", str(Path(tempfile.gettempdir()) / f"demo-secrets-test-{os.getpid()}.json")
)
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic

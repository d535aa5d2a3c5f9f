"""Settings of the benchmark server: the test settings plus a baseline view, and the
production connection pool (the test settings leave it out)."""

from server.settings import DATABASES as PRODUCTION_DATABASES
from server.settings_test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
if "pool" in PRODUCTION_DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["OPTIONS"]["pool"] = PRODUCTION_DATABASES["default"]["OPTIONS"]["pool"]  # noqa: F405

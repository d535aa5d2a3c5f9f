"""Settings of the benchmark server: the test settings plus a baseline view, with the
production connection pool that the test settings leave out."""

from server.settings_test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 10, "timeout": 10}  # noqa: F405

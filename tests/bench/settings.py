"""Settings of the benchmark server: the test settings plus a baseline view."""

from server.settings_test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

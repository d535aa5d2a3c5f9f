"""Settings of the project's benchmark servers: the test settings plus the production
connection pool that the test settings leave out."""

from server.settings_test import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 10, "timeout": 10}  # noqa: F405

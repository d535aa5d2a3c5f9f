from tests.browser import browser  # noqa: F401  (the shared fixture)

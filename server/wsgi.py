"""WSGI entry point (plain HTTP only; live updates need the ASGI app)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "server.settings")
application = get_wsgi_application()

from server.warmup import warm_up  # noqa: E402  (needs Django set up first)

warm_up()

"""Customer booking pages (see booking/web/views.py)."""

urlpatterns: list = []

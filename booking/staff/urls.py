"""Staff, manager and lobby-screen pages."""

urlpatterns: list = []

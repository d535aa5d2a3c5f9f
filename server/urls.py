from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from booking import errorpages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("booking.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", errorpages.healthz, name="healthz"),
    path("", include("booking.staff.urls")),
    path("", include("booking.web.urls")),
]

handler404 = errorpages.not_found
handler500 = errorpages.server_error

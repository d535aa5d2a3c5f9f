from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Appointments and queues")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from booking import subscriptions  # imports models: only once the registry is ready

        subscriptions.connect()

"""Run every periodic job once (cron in the embedded default, and tests)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Run each periodic job (reminders, no-shows, overdue alerts, retention) once, in-process."
    )

    def handle(self, *args, **options):
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = import_string(entry["task"])
            result = task.apply().get()
            self.stdout.write(f"{name}: {result}")

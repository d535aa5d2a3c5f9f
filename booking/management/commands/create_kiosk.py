"""Register a kiosk device and print its token (shown only this once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from booking.models import Branch, DeviceMode
from booking.services.devices import device_create


class Command(BaseCommand):
    help = "Create a kiosk device for a branch and print its new token on standard output."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="branch slug")
        parser.add_argument("--name", required=True, help="a name for the device, e.g. Eingang")
        parser.add_argument("--mode", choices=DeviceMode.values, default=DeviceMode.BOTH)
        parser.add_argument("--language", choices=["de", "en"], default="de")

    def handle(self, *args, **options):
        branch = Branch.objects.filter(slug=options["branch"]).first()
        if branch is None:
            raise CommandError(f"No branch with slug {options['branch']!r}.")
        device, token = device_create(
            branch=branch, name=options["name"], mode=options["mode"], language=options["language"]
        )
        self.stderr.write(f"Device #{device.id} {device} ({device.mode}); keep this token secret:")
        self.stdout.write(token)

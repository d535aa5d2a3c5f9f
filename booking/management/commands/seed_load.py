"""Create the bank of the load test (``booking.load_bank``) and write what its users need."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from booking.load_bank import BankExists, load_bank_create


class Command(BaseCommand):
    help = (
        "Create many branches at the start of their peak hour for the load test "
        "(in a database without one); writes slugs, tokens and codes as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--branches", type=int, default=200)
        parser.add_argument("--advisors", type=int, default=5, help="advisors per branch")
        parser.add_argument(
            "--appointments", type=int, default=3, help="appointments per advisor in the hour"
        )
        parser.add_argument(
            "--output", required=True, help="file for the JSON (tokens: written mode 0600)"
        )

    def handle(self, *args, **options):
        try:
            bank = load_bank_create(
                branches=options["branches"],
                advisors=options["advisors"],
                appointments_per_advisor=options["appointments"],
            )
        except BankExists as error:
            raise CommandError(str(error)) from error
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(bank, file)
        visits = sum(len(b["codes"]) for b in bank["branches"])
        self.stdout.write(
            f"{len(bank['branches'])} branches, {visits} appointments in the coming hour "
            f"(zone {bank['zone']}); written to {path}"
        )

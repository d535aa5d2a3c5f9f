"""Answer a customer's privacy request: export their data, or erase it."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from booking.models import Customer
from booking.services.privacy import customer_erase, customer_export


class Command(BaseCommand):
    help = "Export (JSON on standard output) or erase one customer's personal data."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--id", type=int, help="customer id")
        parser.add_argument("--email", help="customer e-mail address")

    def handle(self, *args, **options):
        customers = Customer.objects.all()
        if options["id"]:
            customers = customers.filter(id=options["id"])
        elif options["email"]:
            customers = customers.filter(email__iexact=options["email"])
        else:
            raise CommandError("Name the customer with --id or --email.")
        customer = customers.first()
        if customer is None:
            raise CommandError("No such customer.")
        if options["action"] == "export":
            self.stdout.write(json.dumps(customer_export(customer), indent=2, ensure_ascii=False))
        else:
            customer_erase(customer)
            self.stdout.write(f"Customer #{customer.id}: personal data erased.")

"""Create (idempotently) two demo branches with services, advisors, logins and kiosks."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from booking.demo_history import clear_history, generate_history
from booking.models import (
    Advisor,
    Branch,
    DeviceMode,
    KioskDevice,
    OpeningHours,
    Service,
    WorkingHours,
    hash_token,
)
from booking.services import devices

SERVICES = [
    # slug, German, English, minutes, buffer after, online, walk-in, prefix, what to bring (de, en)
    (
        "beratung",
        "Allgemeine Beratung",
        "General advice",
        30,
        0,
        True,
        True,
        "A",
        "Ausweis",
        "ID card",
    ),
    (
        "altersvorsorge",
        "Altersvorsorge",
        "Retirement planning",
        60,
        10,
        True,
        False,
        "V",
        "Ausweis, letzte Renteninformation",
        "ID card, latest pension statement",
    ),
    (
        "baufinanzierung",
        "Baufinanzierung",
        "Mortgage advice",
        60,
        15,
        True,
        False,
        "B",
        "Ausweis, Gehaltsnachweise, Exposé der Immobilie",
        "ID card, proof of income, property details",
    ),
    (
        "konto",
        "Konto und Karten",
        "Accounts and cards",
        15,
        0,
        False,
        True,
        "K",
        "Ausweis",
        "ID card",
    ),
    ("kasse", "Service am Schalter", "Counter service", 10, 0, False, True, "S", "", ""),
]

BRANCHES = [
    {
        "slug": "mitte",
        "name": "Filiale Berlin-Mitte",
        "street": "Friedrichstraße 100",
        "postal_code": "10117",
        "city": "Berlin",
        "phone": "+49 30 1234560",
        "email": "mitte@bank.example",
        "timezone": "Europe/Berlin",
        "advisors": [
            ("anna", "Anna Weber", "Raum 2", ["beratung", "altersvorsorge", "baufinanzierung"]),
            ("jonas", "Jonas Becker", "Raum 3", ["beratung", "altersvorsorge", "konto"]),
            ("mia", "Mia Schulz", "Schalter 1", ["konto", "kasse", "beratung"]),
        ],
    },
    {
        "slug": "hamburg",
        "name": "Filiale Hamburg-Altona",
        "street": "Ottenser Hauptstraße 10",
        "postal_code": "22765",
        "city": "Hamburg",
        "phone": "+49 40 9876540",
        "email": "altona@bank.example",
        "timezone": "Europe/Berlin",
        "advisors": [
            ("lena", "Lena Hoffmann", "Raum 1", ["beratung", "altersvorsorge", "baufinanzierung"]),
            ("paul", "Paul Fischer", "Raum 4", ["beratung", "altersvorsorge", "konto", "kasse"]),
        ],
    },
]

# Monday to Friday with a lunch break; Thursday is the long day.
WORKING_HOURS = [(weekday, dt.time(9), dt.time(12, 30)) for weekday in range(5)] + [
    (weekday, dt.time(13, 30), dt.time(18 if weekday == 3 else 17)) for weekday in range(5)
]
OPENING_HOURS = [(weekday, dt.time(9), dt.time(18 if weekday == 3 else 17)) for weekday in range(5)]


def _derived_secret(purpose: str, length: int) -> str:
    """Stable across runs (so re-seeding prints the same logins) yet not guessable."""
    digest = hmac.new(settings.SECRET_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]


def demo_password(username: str) -> str:
    return f"{username}-{_derived_secret('demo-password:' + username, 8)}"


def demo_kiosk_token(branch_slug: str) -> str:
    return _derived_secret(f"demo-kiosk:{branch_slug}", 43)


class Command(BaseCommand):
    help = "Create the demo branches, services, advisors, staff logins and kiosk devices."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            metavar="DAYS",
            help="also create this many days of past visits (replacing earlier history)",
        )
        parser.add_argument(
            "--visits-per-day",
            type=int,
            default=60,
            help="past visits per branch and working day (with --history)",
        )

    @transaction.atomic
    def _seed(self) -> dict:
        services = {}
        for slug, de, en, minutes, buffer, online, walk_in, prefix, bring_de, bring_en in SERVICES:
            services[slug], _ = Service.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": de,
                    "name_en": en,
                    "duration_minutes": minutes,
                    "buffer_after_minutes": buffer,
                    "online_bookable": online,
                    "walk_in": walk_in,
                    "ticket_prefix": prefix,
                    "description": bring_de,
                    "description_en": bring_en,
                    "active": True,
                },
            )
        users = get_user_model().objects
        manager, _ = users.get_or_create(
            username="manager", defaults={"first_name": "Sabine", "last_name": "Krüger"}
        )
        manager.email = "manager@bank.example"
        manager.set_password(demo_password("manager"))
        manager.save()
        result = {
            "branches": [],
            "manager": {
                "username": "manager",
                "password": demo_password("manager"),
                "branches": [],
            },
        }
        for spec in BRANCHES:
            branch, _ = Branch.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    k: spec[k]
                    for k in ("name", "street", "postal_code", "city", "phone", "email", "timezone")
                },
            )
            branch.services.add(*services.values())
            branch.managers.add(manager)
            branch.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(branch=branch, weekday=d, opens=o, closes=c)
                for d, o, c in OPENING_HOURS
            )
            advisors = []
            for username, name, location, offered in spec["advisors"]:
                first, last = name.split(" ", 1)
                user, _ = users.get_or_create(
                    username=username, defaults={"first_name": first, "last_name": last}
                )
                user.set_password(demo_password(username))
                user.save()
                advisor, _ = Advisor.objects.update_or_create(
                    user=user, defaults={"name": name, "location": location, "active": True}
                )
                advisor.branches.set([branch])
                advisor.services.set([services[s] for s in offered])
                advisor.working_hours.all().delete()
                WorkingHours.objects.bulk_create(
                    WorkingHours(advisor=advisor, branch=branch, weekday=d, start=s, end=e)
                    for d, s, e in WORKING_HOURS
                )
                advisors.append(
                    {
                        "id": advisor.id,
                        "name": name,
                        "username": username,
                        "password": demo_password(username),
                        "services": offered,
                        "location": location,
                    }
                )
            token = demo_kiosk_token(branch.slug)
            device = KioskDevice.objects.filter(branch=branch, name="Eingang").first()
            if device is None:
                devices.device_create(
                    branch=branch, name="Eingang", mode=DeviceMode.BOTH, token=token
                )
            elif device.token_hash != hash_token(token) or device.revoked_at:
                devices.device_rotate(device, token=token)
            result["branches"].append(
                {
                    "slug": branch.slug,
                    "name": branch.name,
                    "timezone": branch.timezone,
                    "kiosk_token": token,
                    "services": sorted(services),
                    "advisors": advisors,
                }
            )
            result["manager"]["branches"].append(branch.slug)
        return result

    def handle(self, *args, **options):
        result = self._seed()
        if options["history"]:
            branches = list(Branch.objects.filter(slug__in=[b["slug"] for b in result["branches"]]))
            clear_history(branches, before=branches[0].local_date(timezone.now()))
            for branch in branches:
                visits = generate_history(
                    branch, days=options["history"], visits_per_day=options["visits_per_day"]
                )
                self.stderr.write(f"{branch.slug}: {visits} past visits")
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        for branch in result["branches"]:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{branch['name']} ({branch['slug']})"))
            self.stdout.write(f"  kiosk token: {branch['kiosk_token']}")
            for advisor in branch["advisors"]:
                self.stdout.write(
                    f"  advisor #{advisor['id']} {advisor['name']}: "
                    f"{advisor['username']} / {advisor['password']}  "
                    f"({', '.join(advisor['services'])})"
                )
        manager = result["manager"]
        self.stdout.write(self.style.MIGRATE_HEADING("Manager"))
        self.stdout.write(
            f"  {manager['username']} / {manager['password']}  ({', '.join(manager['branches'])})"
        )

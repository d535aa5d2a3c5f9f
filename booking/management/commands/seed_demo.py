"""Create (idempotently) the demo branches with services, advisors, logins and kiosks.

Passwords and kiosk tokens are random per installation and kept in
``settings.DEMO_SECRETS_FILE`` (mode 0600), so a re-run prints the same ones and no
key in the repository can be used to work them out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from booking.demo.history import clear_history, generate_history
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
    {
        # Open whenever someone tries the demo: advisors on duty around the clock, every
        # day, no lead time, so today's floor (check-in, walk-ins, call next) always works.
        "slug": "rund-um-die-uhr",
        "name": "Filiale 24/7",
        "street": "Alexanderplatz 1",
        "postal_code": "10178",
        "city": "Berlin",
        "phone": "+49 30 7654320",
        "email": "rund-um-die-uhr@bank.example",
        "timezone": "Europe/Berlin",
        "around_the_clock": True,
        "advisors": [
            ("tom", "Tom Wagner", "Raum 7", ["beratung", "konto", "kasse"]),
            ("sara", "Sara Yilmaz", "Raum 8", ["beratung", "altersvorsorge", "konto"]),
        ],
    },
]

# ``--history`` without a number: a quarter of a year, what the manager page compares.
HISTORY_DAYS = 90
VISITS_PER_DAY = 20
# Monday to Friday with a lunch break; Thursday is the long day.
WORKING_HOURS = [(weekday, dt.time(9), dt.time(12, 30)) for weekday in range(5)] + [
    (weekday, dt.time(13, 30), dt.time(18 if weekday == 3 else 17)) for weekday in range(5)
]
OPENING_HOURS = [(weekday, dt.time(9), dt.time(18 if weekday == 3 else 17)) for weekday in range(5)]
# A time field cannot say 24:00: the day's last minute stays out.
ALL_DAY = [(weekday, dt.time(0), dt.time(23, 59)) for weekday in range(7)]
# Passwords are read off a screen and typed: no 0/O, 1/l/I.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
AROUND_THE_CLOCK_RULES = {"min_lead_minutes": 0, "slot_minutes": 5}


class DemoSecrets:
    """Random passwords and tokens, made once per installation and kept in a private file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values: dict[str, str] = {}
        self.changed = False
        if path.is_file():
            try:
                self.values = dict(json.loads(path.read_text()))
            except ValueError as error:
                raise CommandError(
                    f"{path} is not readable ({error}). Delete it to make new demo logins."
                ) from error

    def get(self, key: str, make) -> str:
        if key not in self.values:
            self.values[key] = make()
            self.changed = True
        return self.values[key]

    def password(self, username: str) -> str:
        def make() -> str:
            return f"{username}-" + "".join(secrets.choice(READABLE) for _ in range(10))

        return self.get(f"password:{username}", make)

    def kiosk_token(self, branch_slug: str) -> str:
        return self.get(f"kiosk:{branch_slug}", lambda: secrets.token_urlsafe(32))

    def save(self) -> None:
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        # Created private: the file holds every demo login.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(self.values, file, indent=2, sort_keys=True)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)
        self.changed = False


class Command(BaseCommand):
    help = "Create the demo branches, services, advisors, staff logins and kiosk devices."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--history",
            type=int,
            nargs="?",
            const=HISTORY_DAYS,
            default=0,
            metavar="DAYS",
            help=f"also replay this many days of past visits (default {HISTORY_DAYS}), "
            "replacing earlier history",
        )
        parser.add_argument(
            "--visits-per-day",
            type=int,
            default=VISITS_PER_DAY,
            help="visitors per branch and working day in the history (with --history)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="the same seed replays the same history (with --history)",
        )

    @transaction.atomic
    def _seed(self, vault: DemoSecrets) -> dict:
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
        admin, _ = users.get_or_create(username="admin", defaults={"email": "admin@bank.example"})
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(vault.password("admin"))
        admin.save()
        manager, _ = users.get_or_create(
            username="manager", defaults={"first_name": "Sabine", "last_name": "Krüger"}
        )
        manager.email = "manager@bank.example"
        manager.set_password(vault.password("manager"))
        manager.save()
        result = {
            "branches": [],
            "manager": {
                "username": "manager",
                "password": vault.password("manager"),
                "branches": [],
            },
            "admin": {"username": "admin", "password": vault.password("admin")},
        }
        for spec in BRANCHES:
            always_open = spec.get("around_the_clock", False)
            fields = {
                k: spec[k] for k in ("name", "street", "postal_code", "city", "phone", "email")
            }
            if always_open:
                fields.update(AROUND_THE_CLOCK_RULES)
            # The time zone only when the branch is made: one set in the admin (or by a
            # test that needs a branch where it is morning) stays.
            branch, _ = Branch.objects.update_or_create(
                slug=spec["slug"],
                defaults=fields,
                create_defaults={**fields, "slug": spec["slug"], "timezone": spec["timezone"]},
            )
            branch.services.add(*services.values())
            branch.managers.add(manager)
            branch.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(branch=branch, weekday=d, opens=o, closes=c)
                for d, o, c in (ALL_DAY if always_open else OPENING_HOURS)
            )
            advisors = []
            for username, name, location, offered in spec["advisors"]:
                first, last = name.split(" ", 1)
                user, _ = users.get_or_create(
                    username=username, defaults={"first_name": first, "last_name": last}
                )
                user.set_password(vault.password(username))
                user.save()
                advisor, _ = Advisor.objects.update_or_create(
                    user=user, defaults={"name": name, "location": location, "active": True}
                )
                advisor.branches.set([branch])
                advisor.services.set([services[s] for s in offered])
                advisor.working_hours.all().delete()
                WorkingHours.objects.bulk_create(
                    WorkingHours(advisor=advisor, branch=branch, weekday=d, start=s, end=e)
                    for d, s, e in (ALL_DAY if always_open else WORKING_HOURS)
                )
                advisors.append(
                    {
                        "id": advisor.id,
                        "name": name,
                        "username": username,
                        "password": vault.password(username),
                        "services": offered,
                        "location": location,
                    }
                )
            token = vault.kiosk_token(branch.slug)
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
                    "always_open": always_open,
                    "kiosk_token": token,
                    "services": sorted(services),
                    "advisors": advisors,
                }
            )
            result["manager"]["branches"].append(branch.slug)
        return result

    def handle(self, *args, **options):
        vault = DemoSecrets(Path(settings.DEMO_SECRETS_FILE))
        result = self._seed(vault)
        # Written after the commit: a failed seed leaves no secrets that no login uses.
        vault.save()
        if options["history"]:
            # The always-open branch has no past: its floor is for trying things now.
            slugs = [b["slug"] for b in result["branches"] if not b["always_open"]]
            branches = list(Branch.objects.filter(slug__in=slugs))
            clear_history(branches, before=branches[0].local_date(timezone.now()))
            for branch in branches:
                # A replay through the services takes its time: say so before it starts.
                self.stderr.write(
                    f"{branch.slug}: replaying {options['history']} days of visits "
                    "through the services (about half a minute to a minute) ..."
                )
                visits = generate_history(
                    branch,
                    days=options["history"],
                    visits_per_day=options["visits_per_day"],
                    seed=options["seed"],
                )
                self.stderr.write(f"{branch.slug}: {visits} past visits")
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        for branch in result["branches"]:
            hours = " (open around the clock)" if branch["always_open"] else ""
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"{branch['name']} ({branch['slug']}){hours}")
            )
            self.stdout.write(f"  kiosk token: {branch['kiosk_token']}")
            for advisor in branch["advisors"]:
                self.stdout.write(
                    f"  advisor #{advisor['id']} {advisor['name']}: "
                    f"{advisor['username']} / {advisor['password']}  "
                    f"({', '.join(advisor['services'])})"
                )
        manager = result["manager"]
        self.stdout.write(self.style.MIGRATE_HEADING("Manager (staff pages)"))
        self.stdout.write(
            f"  {manager['username']} / {manager['password']}  ({', '.join(manager['branches'])})"
        )
        admin = result["admin"]
        self.stdout.write(self.style.MIGRATE_HEADING("Administrator (/admin/)"))
        self.stdout.write(f"  {admin['username']} / {admin['password']}")

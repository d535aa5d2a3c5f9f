"""A whole bank for the load test (tests/load/): many branches at the start of their
peak hour, written in bulk through the real models.

Each branch is open around the clock in a fixed-offset zone where it is mid-morning
now (so the load test runs at any hour without crossing a local midnight), has its
advisors available at their desks, a kiosk, and the appointments of the coming hour,
booked and confirmed earlier in the day. The advisors log in by API token and the
staff page by a session made here: password hashing is a login's cost, not the
floor's, and would only measure PBKDF2.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import (
    Advisor,
    AdvisorStatus,
    Appointment,
    AppointmentStatus,
    Branch,
    Customer,
    DeviceMode,
    Notification,
    NotificationKind,
    NotificationStatus,
    OpeningHours,
    Service,
    WorkingHours,
)
from booking.services import devices
from booking.services.appointments import occupy
from booking.services.codes import new_code, new_manage_token

PREFIX = "load-"
# slug, name, minutes, bookable online, walk-in, ticket prefix
SERVICES = [
    ("load-beratung", "Beratung", 20, True, True, "A"),
    ("load-konto", "Konto und Karten", 10, False, True, "K"),
]
APPOINTMENT_SERVICE = "load-beratung"
WALK_IN_SERVICES = ["load-beratung", "load-konto"]
LOCAL_HOUR = 10
ALL_DAY = [(weekday, dt.time(0), dt.time(23, 59)) for weekday in range(7)]


class BankExists(Exception):
    pass


def mid_morning_zone(now: dt.datetime, hour: int = LOCAL_HOUR) -> str:
    """A fixed-offset zone where it is ``hour`` o'clock (or a little after) at ``now``."""
    offset = hour - now.astimezone(dt.UTC).hour
    if offset < -12:
        offset += 24
    elif offset > 14:
        offset -= 24
    # Etc/GMT names count the other way round: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _staff_session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@transaction.atomic
def load_bank_create(
    *,
    branches: int,
    advisors: int = 5,
    appointments_per_advisor: int = 3,
    now: dt.datetime | None = None,
) -> dict:
    """Create the bank (in a database without one); returns what the load test's users
    need: slugs, kiosk and advisor tokens, staff sessions, the hour's check-in codes."""
    now = now or timezone.now()
    if Branch.objects.filter(slug__startswith=PREFIX).exists():
        # Its visits, tickets and journeys are the last run's: start from an empty database.
        raise BankExists("a load bank exists already: use a fresh database")
    services = {}
    for slug, name, minutes, online, walk_in, prefix in SERVICES:
        services[slug], _ = Service.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "online_bookable": online,
                "walk_in": walk_in,
                "ticket_prefix": prefix,
                "active": True,
            },
        )
    zone = mid_morning_zone(now)
    made = Branch.objects.bulk_create(
        Branch(
            slug=f"{PREFIX}{number:04d}",
            name=f"Filiale {number:04d}",
            timezone=zone,
            min_lead_minutes=0,
            slot_minutes=10,
        )
        for number in range(1, branches + 1)
    )
    Branch.services.through.objects.bulk_create(
        Branch.services.through(branch=branch, service=service)
        for branch in made
        for service in services.values()
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(branch=branch, weekday=d, opens=o, closes=c)
        for branch in made
        for d, o, c in ALL_DAY
    )
    users = get_user_model().objects
    logins = users.bulk_create(
        users.model(username=f"{branch.slug}-a{n}", first_name=f"Berater {n}", password="!")
        for branch in made
        for n in range(1, advisors + 1)
    )
    staff = Advisor.objects.bulk_create(
        Advisor(
            user=user,
            name=f"{user.first_name} {branch.slug}",
            location=f"Raum {n}",
            status=AdvisorStatus.AVAILABLE,
            status_changed_at=now,
        )
        for (branch, n), user in zip(
            ((b, n) for b in made for n in range(1, advisors + 1)), logins, strict=True
        )
    )
    Advisor.branches.through.objects.bulk_create(
        Advisor.branches.through(advisor=advisor, branch=made[i // advisors])
        for i, advisor in enumerate(staff)
    )
    Advisor.services.through.objects.bulk_create(
        Advisor.services.through(advisor=advisor, service=service)
        for advisor in staff
        for service in services.values()
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(advisor=advisor, branch=made[i // advisors], weekday=d, start=s, end=e)
        for i, advisor in enumerate(staff)
        for d, s, e in ALL_DAY
    )
    tokens = Token.objects.bulk_create(
        Token(user=user, key=secrets.token_hex(20)) for user in logins
    )

    # The coming hour's visits: each advisor's, one service length apart, the desks'
    # first starts staggered so arrivals spread over the hour.
    service = services[APPOINTMENT_SERVICE]
    first = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    plan = [
        (
            made[i // advisors],
            advisor,
            first + dt.timedelta(minutes=4 * (i % advisors)) + k * service.duration,
        )
        for i, advisor in enumerate(staff)
        for k in range(appointments_per_advisor)
    ]
    customers = Customer.objects.bulk_create(
        Customer(name=f"Kunde {n}", email=f"kunde-{n}@load.example") for n in range(len(plan))
    )
    visits = []
    for (branch, advisor, start), customer in zip(plan, customers, strict=True):
        visit = Appointment(
            branch=branch,
            service=service,
            advisor=advisor,
            customer=customer,
            code=new_code(),
            manage_token=new_manage_token(),
            status=AppointmentStatus.BOOKED,
            contact_name=customer.name,
            contact_email=customer.email,
        )
        occupy(visit, service, start)
        visits.append(visit)
    visits = Appointment.objects.bulk_create(visits)
    # Booked earlier in the day: their confirmations went out then.
    Notification.objects.bulk_create(
        Notification(
            appointment=visit,
            kind=NotificationKind.CONFIRMATION,
            key=visit.start.isoformat(),
            status=NotificationStatus.SENT,
            recipient=visit.contact_email,
            attempts=1,
            claimed_at=now,
            sent_at=now,
        )
        for visit in visits
    )

    result = {"zone": zone, "walk_in_services": WALK_IN_SERVICES, "branches": []}
    by_branch: dict[int, list[str]] = {}
    for visit in visits:
        by_branch.setdefault(visit.branch_id, []).append(visit.code)
    for i, branch in enumerate(made):
        desk = staff[i * advisors : (i + 1) * advisors]
        _, kiosk_token = devices.device_create(branch=branch, name="Eingang", mode=DeviceMode.BOTH)
        result["branches"].append(
            {
                "slug": branch.slug,
                "kiosk_token": kiosk_token,
                "staff_session": _staff_session(logins[i * advisors]),
                "advisors": [
                    {"id": advisor.id, "token": tokens[i * advisors + n].key}
                    for n, advisor in enumerate(desk)
                ],
                "codes": by_branch.get(branch.id, []),
                "service": APPOINTMENT_SERVICE,
            }
        )
    return result

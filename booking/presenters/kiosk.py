"""What a kiosk keeps for offline check-in: the day's manifest of live bookings.

A manifest never carries a check-in code. Each booking is listed under
``code_hash``: the lowercase hex HMAC-SHA256 of the normalized code (upper case,
without spaces, dashes, dots or underscores, as ``normalize_code`` stores it),
keyed with the device's token hash, which is the lowercase hex SHA-256 of the
device token, taken as its 64 ASCII characters. The server stores only that hash
(``booking.models.device.hash_token``) and the kiosk computes it from its token,
so both sides can key the HMAC, and a manifest copied off one kiosk matches
codes on no other device.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from rest_framework import serializers

from booking.models import Appointment, KioskDevice
from booking.services.codes import normalize_code
from booking.timeutils import iso


def manifest_code_hash(code: str, token_hash: str) -> str:
    """The manifest key of a check-in code for the device whose token hashes to this."""
    key = token_hash.encode("ascii")
    return hmac.new(key, normalize_code(code).encode("ascii"), hashlib.sha256).hexdigest()


class ManifestEntryOut(serializers.Serializer):
    code_hash = serializers.CharField()
    first_name = serializers.CharField()
    advisor = serializers.CharField(help_text="the advisor's name")
    location = serializers.CharField()
    start = serializers.DateTimeField()
    language = serializers.CharField(help_text="the language the customer booked in")


class ManifestOut(serializers.Serializer):
    date = serializers.DateField()
    checkin_early_minutes = serializers.IntegerField()
    late_grace_minutes = serializers.IntegerField()
    late_policy = serializers.CharField()
    appointments = ManifestEntryOut(many=True)


def manifest_payload(
    device: KioskDevice, day: dt.date, appointments: Iterable[Appointment]
) -> dict:
    branch = device.branch
    tz = branch.tz
    return {
        "date": day.isoformat(),
        # The kiosk applies the branch's check-in window itself while it is offline.
        "checkin_early_minutes": branch.checkin_early_minutes,
        "late_grace_minutes": branch.late_grace_minutes,
        "late_policy": str(branch.late_policy),
        "appointments": [
            {
                "code_hash": manifest_code_hash(appointment.code, device.token_hash),
                "first_name": appointment.first_name,
                "advisor": appointment.advisor.name,
                "location": appointment.advisor.location,
                "start": iso(appointment.start, tz),
                "language": appointment.language,
            }
            for appointment in appointments
        ],
    }

"""Input fields: times with any offset."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from booking.validators import EARLIEST_DATE, LATEST_DATE, validate_date_in_range


@extend_schema_field(OpenApiTypes.DATETIME)
class RequestDateTimeField(serializers.Field):
    """ISO 8601 in; a value without offset stays naive and is read as the branch's wall clock."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date and time, e.g. 2026-11-24T09:00:00+01:00."),
        "out_of_range": _("Please give a date between 1900 and 2200."),
    }

    def to_internal_value(self, data) -> dt.datetime:
        try:
            value = parse_datetime(str(data))
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
            self.fail("out_of_range")
        return value

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


class DayField(serializers.DateField):
    """A local day between 1900 and 2200 (beyond, times overflow)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("validators", []).append(validate_date_in_range)
        super().__init__(**kwargs)

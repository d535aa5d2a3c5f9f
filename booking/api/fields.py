"""Input fields: times with any offset."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.DATETIME)
class RequestDateTimeField(serializers.Field):
    """ISO 8601 in; a value without offset stays naive and is read as the branch's wall clock."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date and time, e.g. 2026-11-24T09:00:00+01:00."),
    }

    def to_internal_value(self, data) -> dt.datetime:
        try:
            value = parse_datetime(str(data))
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()

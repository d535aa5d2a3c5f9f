"""Serializer fields for times: out in the branch's offset, in with any offset."""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from booking.timeutils import iso


@extend_schema_field(OpenApiTypes.DATETIME)
class BranchTimeField(serializers.Field):
    """A datetime rendered with the local offset of the object's branch."""

    def __init__(self, branch_path: str = "branch", **kwargs) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.branch_of = attrgetter(branch_path)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return None if value is None else (value, self.branch_of(instance).tz)

    def to_representation(self, pair) -> str | None:
        value, tz = pair
        return iso(value, tz)


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

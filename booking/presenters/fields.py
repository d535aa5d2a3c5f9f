"""Output fields: times in the local offset of the object's branch."""

from __future__ import annotations

from operator import attrgetter

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


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class WallClockField(serializers.TimeField):
    """A local wall-clock time of day, "09:00" (no seconds, no offset: it is the branch's)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)

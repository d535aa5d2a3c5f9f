"""Output shapes of service levels and recovery (documented for the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers


class PathOut(serializers.Serializer):
    steps = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    avg_score = serializers.FloatField(allow_null=True)


class PathsOut(serializers.Serializer):
    paths = PathOut(many=True)
    journeys = serializers.IntegerField()
    segment = serializers.CharField()


class WithinTargetOut(serializers.Serializer):
    visits = serializers.IntegerField()
    within = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)

"""What a branch offers: the services customers can book online, and those with tickets."""

from __future__ import annotations

from django.db.models import QuerySet

from booking.models import Branch, Service


def bookable_services(branch: Branch) -> QuerySet[Service]:
    """Services customers can book online at the branch."""
    return branch.services.filter(active=True, online_bookable=True)


def walk_in_services(branch: Branch) -> QuerySet[Service]:
    """Services the branch hands out queue tickets for."""
    return branch.services.filter(active=True, walk_in=True)

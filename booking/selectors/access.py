"""Who may see which branch: advisors their own branches, managers the ones they manage."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from booking.models import Advisor, Branch


def staff_branches(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Branch]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(Q(advisors__user=user) | Q(managers=user)).distinct()


def managed_branches(user) -> QuerySet[Branch]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(managers=user)


def is_staff_member(user) -> bool:
    return staff_branches(user).exists()


def advisor_of(user) -> Advisor | None:
    """The user's active advisor. A token's user comes with it (``StaffTokenAuthentication``
    reads both in one query); for another user it is read now."""
    if not getattr(user, "pk", None):
        return None
    try:
        advisor = user.advisor
    except Advisor.DoesNotExist:
        return None
    return advisor if advisor.active else None

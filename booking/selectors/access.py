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
    if not getattr(user, "pk", None):
        return None
    return Advisor.objects.filter(user=user, active=True).first()

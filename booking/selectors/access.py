"""Who may see which branch: advisors their own branches, managers the ones they manage."""

from __future__ import annotations

import functools

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from booking.models import Advisor, Branch

from .rows import RowPart, row_build, row_part


def staff_branches(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Branch]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(Q(advisors__user=user) | Q(managers=user)).distinct()


# Whether a user works at or manages the branch ``b``. A staff call's branch is read
# on every call of every desk: built once per process, since compiling the ORM's join of
# advisors and managers cost several times running it.
_WORKS_AT = """(
    EXISTS (
        SELECT 1 FROM {advisor_branches} wab JOIN {advisor} wv ON wv.id = wab.{advisor_id}
        WHERE wab.{branch_id} = b.id AND wv.{user_id} = {user}
    )
    OR EXISTS (
        SELECT 1 FROM {managers} wm WHERE wm.{manager_branch} = b.id AND wm.{manager_user} = {user}
    )
)"""


@functools.cache
def branch_of_staff_condition(user: str) -> str:
    """SQL: the branch of the slug ``%(slug)s``, read as ``b``, if the user (SQL) works
    there (as ``staff_branches``, superusers aside)."""
    qn = connection.ops.quote_name
    working = Advisor.branches.field
    managing = Branch.managers.field
    works_at = _WORKS_AT.format(
        user=user,
        advisor_branches=qn(working.m2m_db_table()),
        advisor_id=qn(working.m2m_column_name()),
        branch_id=qn(working.m2m_reverse_name()),
        advisor=qn(Advisor._meta.db_table),
        user_id=qn(Advisor._meta.get_field("user").column),
        managers=qn(managing.m2m_db_table()),
        manager_branch=qn(managing.m2m_column_name()),
        manager_user=qn(managing.m2m_reverse_name()),
    )
    return f"b.{qn(Branch._meta.get_field('slug').column)} = %(slug)s AND {works_at}"


@functools.cache
def _staff_branch_statement() -> tuple[str, RowPart]:
    part = row_part(Branch, "b")
    table = connection.ops.quote_name(Branch._meta.db_table)
    condition = branch_of_staff_condition("%(user)s")
    return f"SELECT {', '.join(part.columns)} FROM {table} b WHERE {condition}", part


def staff_branch_of(user: AbstractBaseUser | AnonymousUser, slug: str) -> Branch | None:
    """The branch of ``slug`` if the user works there (as ``staff_branches``), else None."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return None
    if user.is_superuser:
        return Branch.objects.filter(slug=slug).first()
    sql, part = _staff_branch_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"slug": slug, "user": user.pk})
        row = cursor.fetchone()
    return None if row is None else row_build(part, row)


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

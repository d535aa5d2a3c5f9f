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


# A staff call's branch, read on every call of every desk: built once per process, since
# compiling the ORM's join of advisors and managers cost several times running it.
_STAFF_BRANCH = """
SELECT {columns} FROM {branch} b
WHERE b.{slug} = %(slug)s AND (
    EXISTS (
        SELECT 1 FROM {advisor_branches} ab JOIN {advisor} v ON v.id = ab.{advisor_id}
        WHERE ab.{branch_id} = b.id AND v.{user_id} = %(user)s
    )
    OR EXISTS (
        SELECT 1 FROM {managers} m WHERE m.{manager_branch} = b.id AND m.{manager_user} = %(user)s
    )
)
"""


@functools.cache
def _staff_branch_statement() -> tuple[str, RowPart]:
    qn = connection.ops.quote_name
    part = row_part(Branch, "b")
    working = Advisor.branches.field
    managing = Branch.managers.field
    sql = _STAFF_BRANCH.format(
        columns=", ".join(part.columns),
        branch=qn(Branch._meta.db_table),
        slug=qn(Branch._meta.get_field("slug").column),
        advisor_branches=qn(working.m2m_db_table()),
        advisor_id=qn(working.m2m_column_name()),
        branch_id=qn(working.m2m_reverse_name()),
        advisor=qn(Advisor._meta.db_table),
        user_id=qn(Advisor._meta.get_field("user").column),
        managers=qn(managing.m2m_db_table()),
        manager_branch=qn(managing.m2m_column_name()),
        manager_user=qn(managing.m2m_reverse_name()),
    )
    return sql, part


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

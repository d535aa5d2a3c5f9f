"""A staff call's branch, read by one hand-built statement, is the branch the ORM's
``staff_branches`` finds: where the user advises or manages, nowhere else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from booking.selectors.access import staff_branch_of, staff_branches

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("anna")


def test_an_advisors_branch_reads_as_the_orm_reads_it(user, anna, branch):
    anna.user = user
    anna.save()
    found = staff_branch_of(user, "mitte")
    assert fields(found) == fields(staff_branches(user).get(slug="mitte"))


def test_a_manager_finds_the_branch_they_manage(user, branch):
    branch.managers.add(user)
    assert staff_branch_of(user, "mitte") == branch


def test_an_advisor_of_another_branch_finds_nothing_here(user, anna, branch, other_branch):
    anna.user = user
    anna.save()
    anna.branches.set([other_branch])
    assert staff_branch_of(user, "mitte") is None
    assert staff_branch_of(user, "altona") == other_branch


def test_a_manager_of_another_branch_finds_nothing_here(user, branch, other_branch):
    other_branch.managers.add(user)
    assert staff_branch_of(user, "mitte") is None


def test_an_unknown_slug_is_nobodys_branch(user, anna, branch):
    anna.user = user
    anna.save()
    assert staff_branch_of(user, "nirgendwo") is None


def test_a_superuser_finds_every_branch(django_user_model, branch, other_branch):
    root = django_user_model.objects.create_superuser("root")
    assert (staff_branch_of(root, "mitte"), staff_branch_of(root, "altona")) == (
        branch,
        other_branch,
    )


def test_nobody_logged_in_has_no_branch(branch):
    assert staff_branch_of(AnonymousUser(), "mitte") is None

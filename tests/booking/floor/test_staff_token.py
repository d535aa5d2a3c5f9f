"""A desk's token brings its user and advisor in one read, and a branch's path reads the
branch once: the checks a call-next pays before it claims anyone. What the token may
do stays exactly what the rows say at the moment of the call."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from booking.api.authentication import _token_read
from booking.models import Branch
from booking.services import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(django_user_model, anna) -> APIClient:
    anna.user = django_user_model.objects.create_user("anna", password="pw")
    anna.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=anna.user).key}")
    return client


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def reads_of(table: str, captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


def test_call_next_reads_the_token_its_advisor_and_the_branch_in_one_statement(
    desk, branch, service
):
    queue.walk_in_take(branch=branch, service=service)
    with CaptureQueriesContext(connection) as captured:
        response = desk.post("/api/v1/branches/mitte/call-next/")
    assert response.status_code == 200
    (token_read,) = reads_of("authtoken_token", captured)
    assert '"booking_advisor"' in token_read
    assert reads_of("booking_branch", captured) == [token_read]


def test_the_branch_read_with_the_token_is_the_branch_as_the_orm_reads_it(anna, branch):
    anna.user = get_user_model().objects.create_user("anna")
    anna.save()
    _token, from_token = _token_read(Token.objects.create(user=anna.user).key, "mitte")
    assert fields(from_token) == fields(Branch.objects.get(slug="mitte"))


def test_a_manager_of_the_branch_gets_it_with_the_token(django_user_model, branch):
    manager = django_user_model.objects.create_user("boss")
    branch.managers.add(manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/branches/mitte/queue/").status_code == 200
    assert len(reads_of("booking_branch", captured)) == 1


def test_a_superusers_token_opens_any_branch(django_user_model, branch):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    assert client.get("/api/v1/branches/mitte/queue/").status_code == 200


def test_a_deactivated_advisor_cannot_call_with_their_token(desk, anna, branch, service):
    queue.walk_in_take(branch=branch, service=service)
    anna.active = False
    anna.save()
    assert desk.post("/api/v1/branches/mitte/call-next/").status_code == 403


def test_a_deactivated_users_token_is_refused(desk, anna):
    anna.user.is_active = False
    anna.user.save()
    response = desk.get("/api/v1/branches/mitte/queue/")
    assert response.status_code == 403  # DRF: 401 only with a WWW-Authenticate scheme first
    assert response.json()["detail"] == "Benutzer inaktiv oder gelöscht."


def test_an_unknown_token_is_refused(api, branch):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/branches/mitte/queue/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Ungültiges Token."


def test_a_colleague_of_another_branch_gets_no_queue_here(desk, anna, other_branch):
    anna.branches.set([other_branch])
    assert desk.get("/api/v1/branches/mitte/queue/").status_code == 404


def test_the_tokens_user_and_advisor_read_as_the_orm_reads_them(desk, anna, branch):
    from_token = desk.get("/api/v1/branches/mitte/queue/").wsgi_request.user
    theirs = Token.objects.select_related("user", "user__advisor").get(user=anna.user).user
    assert (fields(from_token), fields(from_token.advisor)) == (
        fields(theirs),
        fields(theirs.advisor),
    )


def test_a_user_without_an_advisor_is_known_to_have_none_without_a_query(django_user_model, branch):
    manager = django_user_model.objects.create_user("boss")
    branch.managers.add(manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    user = client.get("/api/v1/branches/mitte/queue/").wsgi_request.user
    with CaptureQueriesContext(connection) as captured:
        assert not hasattr(user, "advisor")
    assert captured.captured_queries == []

"""On PostgreSQL values travel apart from the statement, and a statement a connection
has sent twice is prepared, so PostgreSQL plans it about once per connection
(server.settings; ``DB_SERVER_SIDE_BINDING`` and ``DB_PREPARED_STATEMENTS`` turn this
off)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from booking.models import Branch
from booking.selectors.checkin import visit_locked

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL feature"),
]


def prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return cursor.fetchone()[0]


def test_an_orm_query_sent_twice_is_prepared():
    for _ in range(3):
        assert Branch.objects.filter(slug="nowhere").first() is None
    assert prepared('FROM "booking_branch"') == 1


def test_the_check_in_lookup_sent_twice_is_prepared():
    for _ in range(3):
        assert visit_locked("NOSUCHCD", timezone.now()) is None
    assert prepared("FOR UPDATE OF a") == 1

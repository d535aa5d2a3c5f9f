"""On PostgreSQL values travel apart from the statement, and a statement a connection
has sent twice is prepared, so PostgreSQL plans it about once per connection
(server.settings; ``DB_SERVER_SIDE_BINDING`` and ``DB_PREPARED_STATEMENTS`` turn this
off)."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from booking.models import Branch
from booking.selectors.checkin import _statement, visit_locked
from tests.support import booked

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


def test_a_check_in_counts_its_advisors_queue_through_their_own_index(branch, service, anna):
    """The check-in read counts the booked advisor's waiting appointments through the
    partial index ``ticket_waiting_with_advisor``, also in the plan PostgreSQL keeps
    for all runs: with the ticket's status and kind as parameters it could not, and
    walked the branch's whole waiting queue instead."""
    start = timezone.now() + dt.timedelta(hours=1)
    appointment = booked(branch=branch, service=service, advisor=anna, start=start)
    statement = _statement(for_update_of=True, key="code")
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    numbered = iter(range(1, statement.sql.count("%s") + 1))
    sql = re.sub("%s", lambda _: f"${next(numbered)}", statement.sql)
    connection.ensure_connection()
    # Client-side binding: sent with the extended protocol, PREPARE's own $n would be
    # taken for the protocol's parameters.
    with psycopg.ClientCursor(connection.connection) as cursor:
        # Tables of a test hold a few rows, where a sequential scan is cheapest.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE checkin_read (timestamptz, timestamptz, text) AS {sql}")
        cursor.execute(
            "EXPLAIN EXECUTE checkin_read(%s, %s, %s)", [moment, moment, appointment.code]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE checkin_read")
    assert "ticket_waiting_with_advisor" in plan

"""Small database functions the ORM lacks."""

from __future__ import annotations

from django.db.models import BigIntegerField, Func


class Epoch(Func):
    """Seconds since 1970 of a datetime column, computed by the database.

    Reading integers is several times cheaper than building aware datetimes in Python
    (see shared/notes/performance.md), which matters on the availability hot path.
    """

    output_field = BigIntegerField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(unixepoch(%(expressions)s) AS INTEGER)",
            **extra_context,
        )


def literal(value: str) -> str:
    """A constant of the code (an enum's value) written into a raw statement as SQL.

    PostgreSQL plans a prepared statement once for all its runs only if that plan is
    about as good as one for the given values; a parameter where a constant belongs
    (a status, a kind) hides which partial indexes fit, so every run was planned anew,
    at more cost than running it. Never for values that come from outside.
    """
    return "'" + str(value).replace("'", "''") + "'"

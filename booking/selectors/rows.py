"""Model instances from the rows of a hand-written statement.

The hot reads (a kiosk scan, a called ticket, a staff token and its branch) run SQL
whose text is built once per process: the ORM compiles a query with joins anew on every
call, at several times the cost of running it. What the ORM would do with the values is
kept: the same columns, the backend's and the fields' converters, ``Model.from_db``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col


@dataclass(frozen=True)
class RowPart:
    """One model's columns in a statement and how its instance is made of them."""

    model: type[Model]
    # ``alias."column"``, in the model's field order (``from_db`` fills a partial row so).
    columns: list[str]
    attnames: list[str]
    # Only the columns that need converting: (index, column, converters).
    converters: list[tuple[int, Col, list[Callable]]]


def row_part(model: type[Model], alias: str, names: Collection[str] | None = None) -> RowPart:
    """The model's concrete fields (or those of ``names``) read under ``alias``."""
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if names is None or f.name in names]
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(alias)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    return RowPart(
        model,
        [f"{alias}.{qn(f.column)}" for f in fields],
        [f.attname for f in fields],
        converters,
    )


def select_list(parts: Sequence[RowPart]) -> str:
    """The columns of every part, in order, for a statement's ``SELECT``."""
    return ", ".join(column for part in parts for column in part.columns)


def row_build(part: RowPart, values: Sequence) -> Model | None:
    """The instance, or None when every value is NULL (an outer join found nothing)."""
    if all(value is None for value in values):
        return None
    row = list(values)
    for index, column, converters in part.converters:
        for convert in converters:
            row[index] = convert(row[index], column, connection)
    return part.model.from_db(connection.alias, part.attnames, row)


def rows_build(parts: Sequence[RowPart], row: Sequence) -> tuple[list[Model | None], Sequence]:
    """One instance per part from the front of ``row``, and the values after them."""
    instances, offset = [], 0
    for part in parts:
        width = len(part.columns)
        instances.append(row_build(part, row[offset : offset + width]))
        offset += width
    return instances, row[offset:]

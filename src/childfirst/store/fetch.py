"""Fast reads of many rows for the engines.

On SQLite the statement goes straight to the driver and the few typed columns (dates, times, JSON)
are parsed here with C-speed parsers, skipping SQLAlchemy's per-value result processing, which
dominates when millions of rows are read. Other databases return typed values already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Date, DateTime, Select
from sqlalchemy.orm import Session


def _parse_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _parse_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _parse_json(value: str | bytes | None) -> Any:
    return None if value is None else orjson.loads(value)


def _parser(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _parse_datetime
    if isinstance(column_type, Date):
        return _parse_date
    if isinstance(column_type, JSON):
        return _parse_json
    return None


def rows(session: Session, statement: Select[*tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``statement`` as plain tuples of Python values."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield from (tuple(row) for row in connection.execute(statement))
        return
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.params
    positional = tuple(params[name] for name in (compiled.positiontup or ()))
    parsers = [
        (position, parser)
        for position, column in enumerate(statement.selected_columns)
        if (parser := _parser(column.type)) is not None
    ]
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.execute(str(compiled), positional)  # same connection, same transaction
    if not parsers:
        yield from (tuple(row) for row in cursor)
        return
    for row in cursor:
        values = list(row)
        for position, parser in parsers:
            values[position] = parser(values[position])
        yield tuple(values)

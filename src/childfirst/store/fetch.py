"""Fast reads of many rows for the engines.

On SQLite the statement goes straight to the driver and the few typed columns (dates, times, JSON)
are parsed here with C-speed parsers, skipping SQLAlchemy's per-value result processing, which
dominates when millions of rows are read. Other databases return typed values already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Date, DateTime, Select, bindparam
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
    yield from _parsed(session, statement, str(compiled), positional)


IN_VALUES = "in_values"
IN_CHUNK = 900  # values per statement: well under SQLite's limit on bound parameters


def rows_in(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    column: Any,
    values: Iterable[Any],
    chunk: int = IN_CHUNK,
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``statement`` where ``column`` is one of ``values``, asked for in chunks.

    The statement is compiled once, not once per chunk: building and compiling an IN list of
    hundreds of literal values costs more than running it."""
    chosen = list(values)
    if not chosen:
        return
    full = statement.where(column.in_(bindparam(IN_VALUES, expanding=True)))
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        for start in range(0, len(chosen), chunk):
            part = chosen[start : start + chunk]
            yield from (tuple(row) for row in connection.execute(full, {IN_VALUES: part}))
        return
    compiled = full.compile(dialect=connection.dialect)
    sql = str(compiled)
    names = compiled.positiontup or ()
    params = compiled.params
    expanding = {name for name in names if compiled.binds[name].expanding}
    for start in range(0, len(chosen), chunk):
        values = {**params, IN_VALUES: chosen[start : start + chunk]}
        text = sql
        positional: list[Any] = []
        for name in names:
            if name in expanding:  # an IN list: one placeholder per value
                items = list(values[name])
                text = text.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(items)), 1)
                positional.extend(items)
            else:
                positional.append(values[name])
        yield from _parsed(session, statement, text, tuple(positional))


def _parsed(
    session: Session, statement: Select[*tuple[Any, ...]], sql: str, positional: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    """Run SQL on SQLite's driver, in the session's transaction, parsing the typed columns."""
    parsers = [
        (position, parser)
        for position, column in enumerate(statement.selected_columns)
        if (parser := _parser(column.type)) is not None
    ]
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.execute(sql, positional)  # same connection, same transaction
    if not parsers:
        yield from (tuple(row) for row in cursor)
        return
    for row in cursor:
        values = list(row)
        for position, parser in parsers:
            values[position] = parser(values[position])
        yield tuple(values)

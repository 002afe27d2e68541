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
from sqlalchemy import JSON, Date, DateTime, Dialect, Select, bindparam
from sqlalchemy.engine import Compiled
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


COMPILED_CACHE = 500  # statements remembered, compiled, per process

_compiled: dict[tuple[str, Any], Compiled] = {}


def _compile(
    statement: Select[*tuple[Any, ...]], dialect: Dialect, given: dict[str, Any] | None = None
) -> tuple[Compiled, dict[str, Any]]:
    """The statement compiled (once per shape, as SQLAlchemy's own cache does) and its values.

    Statements that differ only in their values, IN lists of any length included, share one
    compiled form; the values are read off each statement's cache key."""
    cache_key = statement._generate_cache_key()
    if cache_key is None:  # a statement SQLAlchemy cannot cache: compiled afresh
        fresh = statement.compile(dialect=dialect)
        return fresh, dict(fresh.construct_params(params=given))
    key = (dialect.name, cache_key.key)
    compiled = _compiled.get(key)
    if compiled is None:
        if len(_compiled) >= COMPILED_CACHE:
            _compiled.clear()
        compiled = _compiled[key] = statement.compile(dialect=dialect, cache_key=cache_key)
    values = compiled.construct_params(params=given, extracted_parameters=cache_key.bindparams)
    return compiled, dict(values or {})


def _positional(compiled: Compiled, values: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL text and its positional values, with one placeholder per value of an IN list."""
    text = str(compiled)
    positional: list[Any] = []
    binds = getattr(compiled, "binds", {})
    for name in getattr(compiled, "positiontup", None) or ():
        if binds[name].expanding:
            items = list(values[name])
            text = text.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(items)), 1)
            positional.extend(items)
        else:
            positional.append(values[name])
    return text, tuple(positional)


def rows(session: Session, statement: Select[*tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``statement`` as plain tuples of Python values."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield from (tuple(row) for row in connection.execute(statement))
        return
    compiled, values = _compile(statement, connection.dialect)
    yield from _parsed(session, statement, *_positional(compiled, values))


IN_VALUES = "in_values"
IN_CHUNK = 900  # values per statement: well under SQLite's limit on bound parameters


def rows_in(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    column: Any,
    values: Iterable[Any],
    chunk: int = IN_CHUNK,
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``statement`` where ``column`` is one of ``values``, asked for in chunks
    (each chunk one statement, all of them compiled once)."""
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
    compiled, values_of = _compile(full, connection.dialect, {IN_VALUES: chosen[:chunk]})
    for start in range(0, len(chosen), chunk):
        values_of[IN_VALUES] = chosen[start : start + chunk]
        yield from _parsed(session, statement, *_positional(compiled, values_of))


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
        yield from cursor  # the driver's rows are plain tuples already
        return
    for row in cursor:
        values = list(row)
        for position, parser in parsers:
            values[position] = parser(values[position])
        yield tuple(values)

"""Fast bulk inserts for imports.

On SQLite the rows go straight to the driver's ``executemany`` with values already in the forms
SQLAlchemy itself stores (ISO text for dates and times, JSON text), several times faster than the
ORM's parameter processing. Other databases take SQLAlchemy's own bulk insert. Both paths are
exercised by the same tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Date, DateTime, Table, insert
from sqlalchemy.orm import Session


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The exact text form SQLAlchemy's SQLite DateTime type writes, so comparisons stay correct.
    return None if value is None else value.isoformat(sep=" ", timespec="microseconds")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, DateTime):
        return _sqlite_datetime
    if isinstance(column_type, Date):
        return _sqlite_date
    if isinstance(column_type, JSON):
        return _sqlite_json
    return None


Statement = tuple[Table, str | None, list[Any]]
"""A table, the SQLite statement (None for SQLAlchemy's own insert) and its rows."""


def prepare(dialect: str, table: Table, rows: Sequence[dict[str, Any]]) -> Statement:
    """Turn ``rows`` (dictionaries keyed by column name) into one insert ready to execute."""
    if dialect != "sqlite" or not rows:
        return table, None, list(rows)
    columns = [c for c in table.columns if c.name in rows[0]]
    names = [c.name for c in columns]
    converted = [
        (position, convert)
        for position, column in enumerate(columns)
        if (convert := _converter(column.type)) is not None
    ]
    pick = itemgetter(*names)
    values: list[Any] = []
    for row in rows:
        picked = list(pick(row)) if len(names) > 1 else [pick(row)]
        for position, convert in converted:
            picked[position] = convert(picked[position])
        values.append(tuple(picked))
    placeholders = ", ".join("?" for _ in names)
    quoted = ", ".join(f'"{name}"' for name in names)
    return table, f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})', values


def execute(session: Session, statement: Statement) -> None:
    table, sql, values = statement
    if not values:
        return
    if sql is None:
        session.execute(insert(table), values)
    else:
        session.connection().exec_driver_sql(sql, values)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` now, on this thread."""
    execute(session, prepare(session.connection().dialect.name, table, rows))

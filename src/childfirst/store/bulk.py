"""Fast bulk inserts for imports and for the rules engine's findings.

On SQLite the rows go straight to the driver's ``executemany`` with values already in the forms
SQLAlchemy itself stores (ISO text for dates and times, JSON text), several times faster than the
ORM's parameter processing. Other databases take SQLAlchemy's own bulk insert. Both paths are
exercised by the same tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, Date, DateTime, Table, func, insert, select
from sqlalchemy.orm import Session

_last_datetime: tuple[datetime | None, str | None] = (None, None)


def _sqlite_datetime(value: datetime | None) -> str | None:
    """The exact text form SQLAlchemy's SQLite DateTime type writes, so comparisons stay correct.

    The text of the last value is remembered: rows written together mostly share one moment
    (when a finding was stored, say), and formatting it again for every row is slow."""
    global _last_datetime
    if value is None:
        return None
    last, text = _last_datetime
    if value is last and text is not None:
        return text
    text = value.isoformat(sep=" ", timespec="microseconds")
    _last_datetime = (value, text)
    return text


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


BATCH = 5000  # rows per statement on other databases

Statement = tuple[Table, str | None, list[Any]]
"""A table, the SQLite statement (None for SQLAlchemy's own insert) and its rows."""


def prepare(dialect: str, table: Table, rows: Sequence[dict[str, Any]]) -> Statement:
    """Turn ``rows`` (dictionaries keyed by column name) into one insert ready to execute."""
    if dialect != "sqlite" or not rows:
        return table, None, list(rows)
    names = tuple(c.name for c in table.columns if c.name in rows[0])
    to_tuple = _tuple_maker(table, names)
    placeholders = ", ".join("?" for _ in names)
    quoted = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})'
    return table, sql, [to_tuple(row) for row in rows]


@lru_cache(maxsize=64)
def _tuple_maker(
    table: Table, names: tuple[str, ...]
) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function from a row dictionary to the tuple of driver values, in ``names`` order.

    It is compiled once per table and column set: one expression per column, with the column's
    converter applied where it has one. The names come from the table's own columns.
    """
    namespace: dict[str, Any] = {}
    parts = []
    for position, name in enumerate(names):
        convert = _converter(table.columns[name].type)
        if convert is None:
            parts.append(f"row[{name!r}]")
        else:
            namespace[f"convert{position}"] = convert
            parts.append(f"convert{position}(row[{name!r}])")
    maker: Callable[[dict[str, Any]], tuple[Any, ...]] = eval(
        f"lambda row: ({', '.join(parts)},)", namespace
    )
    return maker


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


def insert_with_ids(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table``, whose primary key is an integer ``id``, and return the new
    ids in the order of ``rows``.

    On SQLite the ids are given here, after the largest in use: the caller holds the write lock
    (``Database.session(write=True)``), so no other writer can take them meanwhile."""
    if not rows:
        return []
    session.flush()  # objects the session holds get their ids first
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            result = connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                list(rows[start : start + BATCH]),
            )
            ids.extend(int(found) for (found,) in result)
        return ids
    largest = connection.execute(select(func.max(table.c.id))).scalar()
    first = (largest or 0) + 1
    ids = list(range(first, first + len(rows)))
    insert_rows(session, table, [{**row, "id": new} for row, new in zip(rows, ids, strict=True)])
    return ids

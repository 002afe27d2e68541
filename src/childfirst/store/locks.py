"""Reading a row to change it: afresh, and locked until the transaction ends.

A change a person makes is checked against the version they saw and then written; between the
two nobody else may change the row. On PostgreSQL the row is read ``FOR NO KEY UPDATE``: a
concurrent writer of the same row waits until this transaction ends and then reads what it wrote
(under READ COMMITTED), so it compares its version with the new one rather than overwriting it.
The lock does not hold up rows that merely refer to this one (a concern's log, its evidence). On
SQLite a writing session holds the database's write lock from its first statement, so the read
alone is enough and no lock clause is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

T = TypeVar("T")

CHUNK = 500


def reread_to_lock(session: Session) -> bool:
    """Whether rows read earlier in the transaction must be read again, locked, before they are
    changed: not on SQLite, where a transaction reads one snapshot and a writer holds the whole
    database from its start, so a second read would find exactly what the first did."""
    return session.get_bind().dialect.name != "sqlite"


def locked(session: Session, model: type[T], key: Any) -> T | None:
    """The row of ``model`` with primary key ``key`` (None if there is none), locked."""
    column = inspect(model).primary_key[0]
    return session.scalar(
        select(model)
        .where(column == key)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )


def lock_all(session: Session, model: type[T], keys: Sequence[Any]) -> list[T]:
    """The rows of ``model`` with these primary keys, locked in key order (so that two
    transactions locking overlapping sets cannot each wait for the other)."""
    column = inspect(model).primary_key[0]
    ordered = sorted(set(keys))
    found: list[T] = []
    for start in range(0, len(ordered), CHUNK):
        found += session.scalars(
            select(model)
            .where(column.in_(ordered[start : start + CHUNK]))
            .order_by(column)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    return found

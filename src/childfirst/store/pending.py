"""Events still to be judged: a durable mark that survives a crash between writing and judging.

An import writes a mark for every new or changed event in the transaction that writes the records,
so a batch and its marks are stored together or not at all. The rules delete the marks of what they
judged in the transaction that stores their findings, so a mark is gone exactly when the findings
are stored. Whatever stops a process in between (a crash, ``kill -9``, a lost connection) leaves
the marks behind, and the next import, ``childfirst serve`` or ``childfirst evaluate --pending``
finishes the job (``rules.service.evaluate_pending``).

The marks an evaluation settles are read before it loads any history: every record a mark was
written with is then visible to the evaluation, and a mark written by someone else while it runs
is left for the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import DateTime, String, Table, bindparam, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from childfirst.store.bulk import insert_rows
from childfirst.store.models import PendingEvaluation

MARKS = cast(Table, PendingEvaluation.__table__)
CHUNK = 5_000  # values in one IN list


@dataclass(frozen=True)
class Marks:
    """The marks one evaluation settles: those numbered up to ``up_to`` (every mark there was when
    it started), or exactly ``ids``."""

    up_to: int | None = None
    ids: tuple[int, ...] = ()

    def clear(self, session: Session) -> int:
        """Delete these marks, in the caller's transaction; return how many there were."""
        cleared = 0
        if self.up_to is not None:
            done = session.execute(delete(MARKS).where(MARKS.c.id <= self.up_to))
            cleared += done.rowcount  # type: ignore[attr-defined]
        for start in range(0, len(self.ids), CHUNK):
            chunk = self.ids[start : start + CHUNK]
            done = session.execute(delete(MARKS).where(MARKS.c.id.in_(chunk)))
            cleared += done.rowcount  # type: ignore[attr-defined]
        return cleared


NONE = Marks()


def mark(session: Session, batch_id: int, event_ids: Sequence[str], now: datetime) -> None:
    """Mark ``event_ids`` as still to be judged, in the caller's (the import's) transaction."""
    if not event_ids:
        return
    if session.connection().dialect.name == "postgresql":
        # One statement with the ids as an array: about twice as fast as many rows of values.
        ids = select(func.unnest(bindparam("ids", type_=ARRAY(String))))
        rows = select(ids.subquery().c[0], literal(batch_id), literal(now, DateTime()))
        session.execute(
            insert(MARKS).from_select(["event_id", "batch_id", "marked_at"], rows),
            {"ids": list(event_ids)},
        )
        return
    insert_rows(
        session,
        MARKS,
        [{"event_id": e, "batch_id": batch_id, "marked_at": now} for e in event_ids],
    )


def every_mark(session: Session) -> Marks:
    """Every mark there is now (an evaluation of the whole store settles them all)."""
    up_to = session.scalar(select(func.max(MARKS.c.id)))
    return NONE if up_to is None else Marks(up_to=up_to)


def all_marks(session: Session) -> tuple[Marks, list[str]]:
    """Every mark there is now, and the events they name (each once, in a stable order)."""
    marks = every_mark(session)
    if marks.up_to is None:
        return NONE, []
    events = session.scalars(
        select(MARKS.c.event_id)
        .where(MARKS.c.id <= marks.up_to)
        .distinct()
        .order_by(MARKS.c.event_id)
    ).all()
    return marks, list(events)


def marks_of(session: Session, event_ids: Sequence[str]) -> Marks:
    """The marks there are now on any of ``event_ids``."""
    wanted = sorted(set(event_ids))
    ids: list[int] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        ids.extend(session.scalars(select(MARKS.c.id).where(MARKS.c.event_id.in_(chunk))))
    return Marks(ids=tuple(sorted(ids)))


def count(session: Session) -> int:
    """How many events are marked."""
    return session.scalar(select(func.count(func.distinct(MARKS.c.event_id)))) or 0

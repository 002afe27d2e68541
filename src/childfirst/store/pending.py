"""Work an import leaves to be done: a durable mark that survives a crash between writing records
and working on them.

An import writes, in the transaction that writes its records, a mark for every new or changed
event (``EVENT``: the rules have still to judge it) and person record (``PERSON``: it has still to
be matched against the master person index), so a batch and its marks are stored together or not
at all. The rules delete the marks of the events they judged in the transaction that stores their
findings; matching deletes the marks of the people it placed once it has stored where they went.
Whatever stops a process in between (a crash, ``kill -9``, a lost connection) leaves the marks
behind, and the next import, ``childfirst serve`` or ``childfirst evaluate --pending`` finishes
the job (``linkage.pending.match_marked``, ``rules.service.evaluate_pending``).

The marks a piece of work settles are read before it reads anything else: every record a mark was
written with is then visible to it, and a mark written by someone else while it runs is left for
the next.
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
EVENT, PERSON = "event", "person"


@dataclass(frozen=True)
class Marks:
    """The marks of one kind one piece of work settles: all those of the import ``batches`` that
    had marks when it started, or exactly the marks ``ids``.

    Whole batches, not "every mark numbered up to the largest seen": on PostgreSQL an import still
    writing has already taken its marks' numbers, and they may be smaller than that. A batch's
    marks are written in its one transaction, so a batch seen at all was seen whole."""

    kind: str = EVENT
    batches: tuple[int, ...] = ()
    ids: tuple[int, ...] = ()

    def clear(self, session: Session) -> int:
        """Delete these marks, in the caller's transaction; return how many there were."""
        cleared = 0
        for start in range(0, len(self.batches), CHUNK):
            chunk = self.batches[start : start + CHUNK]
            done = session.execute(
                delete(MARKS).where(MARKS.c.kind == self.kind, MARKS.c.batch_id.in_(chunk))
            )
            cleared += done.rowcount  # type: ignore[attr-defined]
        for start in range(0, len(self.ids), CHUNK):
            chunk = self.ids[start : start + CHUNK]
            done = session.execute(delete(MARKS).where(MARKS.c.id.in_(chunk)))
            cleared += done.rowcount  # type: ignore[attr-defined]
        return cleared


NONE = Marks()


def mark(
    session: Session,
    batch_id: int,
    now: datetime,
    *,
    events: Sequence[str] = (),
    people: Sequence[str] = (),
) -> None:
    """Mark ``events`` as still to be judged and ``people`` as still to be matched, in the
    caller's (the import's) transaction."""
    for kind, record_ids in ((EVENT, events), (PERSON, people)):
        if record_ids:
            _insert(session, kind, batch_id, now, record_ids)


def _insert(
    session: Session, kind: str, batch_id: int, now: datetime, record_ids: Sequence[str]
) -> None:
    if session.connection().dialect.name == "postgresql":
        # One statement with the ids as an array: about twice as fast as many rows of values.
        ids = select(func.unnest(bindparam("ids", type_=ARRAY(String))))
        rows = select(
            literal(kind), ids.subquery().c[0], literal(batch_id), literal(now, DateTime())
        )
        session.execute(
            insert(MARKS).from_select(["kind", "record_id", "batch_id", "marked_at"], rows),
            {"ids": list(record_ids)},
        )
        return
    insert_rows(
        session,
        MARKS,
        [
            {"kind": kind, "record_id": r, "batch_id": batch_id, "marked_at": now}
            for r in record_ids
        ],
    )


def every_mark(session: Session, kind: str = EVENT) -> Marks:
    """Every mark of ``kind`` there is now (an evaluation of the whole store settles them all)."""
    batches = session.scalars(
        select(MARKS.c.batch_id).where(MARKS.c.kind == kind).distinct().order_by(MARKS.c.batch_id)
    ).all()
    return Marks(kind, batches=tuple(batches))


def all_marks(session: Session, kind: str = EVENT) -> tuple[Marks, list[str]]:
    """Every mark of ``kind`` there is now, and the records they name (each once, in order).

    A batch committed between the two reads adds records without their marks: those are worked
    on now and again by the next comer, and judging twice adds nothing."""
    marks = every_mark(session, kind)
    if not marks.batches:
        return marks, []
    records = session.scalars(
        select(MARKS.c.record_id).where(MARKS.c.kind == kind).distinct().order_by(MARKS.c.record_id)
    ).all()
    return marks, list(records)


def marks_of(session: Session, record_ids: Sequence[str], kind: str = EVENT) -> Marks:
    """The marks of ``kind`` there are now on any of ``record_ids``."""
    return marked_among(session, record_ids, kind)[0]


def marked_among(session: Session, record_ids: Sequence[str], kind: str) -> tuple[Marks, list[str]]:
    """The marks of ``kind`` there are now on any of ``record_ids``, and the records they name."""
    wanted = sorted(set(record_ids))
    ids: list[int] = []
    records: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for mark_id, record_id in session.execute(
            select(MARKS.c.id, MARKS.c.record_id).where(
                MARKS.c.kind == kind, MARKS.c.record_id.in_(chunk)
            )
        ):
            ids.append(mark_id)
            records.add(record_id)
    return Marks(kind, ids=tuple(sorted(ids))), sorted(records)


def count(session: Session, kind: str = EVENT) -> int:
    """How many records of ``kind`` are marked."""
    return (
        session.scalar(
            select(func.count(func.distinct(MARKS.c.record_id))).where(MARKS.c.kind == kind)
        )
        or 0
    )

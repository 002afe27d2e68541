"""Running the rules against the store: for new events as they arrive, for the events an import
marked and nobody has judged yet, or for everything.

Whatever judges events (other than only their waits) deletes their marks (``store/pending.py``) in
the transaction that stores its findings.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from childfirst.domain.clock import utcnow
from childfirst.faults import crash_point
from childfirst.rules.batch import evaluate_in_parts
from childfirst.rules.concerns import record
from childfirst.rules.config import load_engine
from childfirst.rules.engine import Engine
from childfirst.rules.identity import follow_linkage
from childfirst.rules.loader import load_around
from childfirst.rules.registry import RULES
from childfirst.store.database import Database
from childfirst.store.fetch import rows
from childfirst.store.models import Event
from childfirst.store.pending import NONE, Marks, all_marks, every_mark, marks_of

Progress = Callable[[str, int, int], None]
# From this many new events, judging the store part by part beats loading around each event.
IN_PARTS_FROM = 5_000
# How often events are judged again when another writer changed the same concerns meanwhile.
ATTEMPTS = 10
# PostgreSQL's codes for a deadlock and a serialisation failure: the transaction may be retried.
RETRYABLE_STATES = frozenset({"40P01", "40001"})


@dataclass(frozen=True)
class Evaluation:
    events: int
    findings: int
    raised: int
    grown: int
    seconds: float


def default_engine() -> Engine:
    """The engine with every rule and the force's settings, if it has a settings file."""
    return load_engine(RULES)


def follow_people(db: Database) -> tuple[int, int]:
    """Move concerns to the people linkage now says their children are: (moved, merged)."""
    with db.session(write=True) as session:
        return follow_linkage(session)


def evaluate_events(
    db: Database,
    event_ids: Sequence[str],
    engine: Engine | None = None,
    progress: Progress | None = None,
    *,
    clock: datetime | None = None,
    wakes_only: bool = False,
    marks: Marks | None = None,
) -> Evaluation:
    """Judge newly recorded or imported events against the full history, and store what is found.

    Waits the events opened that had already run out by ``clock`` (now, by default: an import of
    older records) are judged too; with ``wakes_only``, only those (see ``judge_waits``).

    The events' marks as still to be judged (``marks``, else those there are when judging starts;
    none with ``wakes_only``) are deleted with the findings stored."""
    started = time.perf_counter()
    engine = engine or default_engine()
    clock = clock or utcnow()
    if wakes_only:
        marks = NONE
    if len(event_ids) >= IN_PARTS_FROM:
        judged, findings, raised, grown = evaluate_in_parts(
            db, engine, event_ids, progress, clock=clock, wakes_only=wakes_only, marks=marks
        )
        return Evaluation(judged, findings, raised, grown, time.perf_counter() - started)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with db.session(write=True) as session:
                # Read before the history: whatever a mark was written with is then loaded.
                settled = marks_of(session, event_ids) if marks is None else marks
                history = load_around(session, event_ids)
                events = [history.events[e] for e in event_ids if e in history.events]
                outcomes = list(
                    engine.run(history, events, progress, clock=clock, wakes_only=wakes_only)
                )
                raised, grown = record(session, outcomes, engine.calendar)
                crash_point("evaluation:storing")
                settled.clear(session)
            return Evaluation(
                len(events), len(outcomes), raised, grown, time.perf_counter() - started
            )
        except (IntegrityError, StaleDataError, OperationalError) as exc:
            if attempt == ATTEMPTS or not _conflict(exc):
                raise
            time.sleep(random.uniform(0, 0.05 * attempt))
    raise AssertionError("unreachable: the last attempt returns or raises")


def judge_waits(
    db: Database,
    since: datetime | None,
    clock: datetime | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Judge the rules that waited for something to follow an event (a referral after a parent's
    arrest) whose waits ran out after ``since`` (ever, if None) and by ``clock`` (now), so a
    family nobody hears from again is not missed. Meant to run on a schedule: judging a wait
    twice adds nothing, so runs may overlap."""
    engine = engine or default_engine()
    clock = clock or utcnow()
    types = sorted(t.value for t in engine.wait_types)
    statement = select(Event.id).where(Event.occurred_at <= clock, Event.event_type.in_(types))
    if since is not None:
        earliest = since - timedelta(hours=engine.longest_wait_hours)
        statement = statement.where(Event.occurred_at > earliest)
    with db.session() as session:
        opened = [str(event_id) for (event_id,) in rows(session, statement)]
    if not opened:
        return Evaluation(0, 0, 0, 0, 0.0)
    return evaluate_events(db, opened, engine, progress, clock=clock, wakes_only=True)


def _conflict(exc: Exception) -> bool:
    """Whether judging failed only because another writer got to the same concerns first.

    SQLite writers take turns (``Database.session(write=True)``), but on PostgreSQL two requests
    recording events about the same child judge them side by side: both may raise the same concern
    (its unique key refuses the second) or add to it (its version refuses the second), or they may
    deadlock. Rolled back, the loser judges again against what the winner stored; judging the same
    events twice adds nothing.
    """
    if isinstance(exc, OperationalError):
        return getattr(exc.orig, "sqlstate", None) in RETRYABLE_STATES
    return isinstance(exc, IntegrityError | StaleDataError)


def evaluate_store(
    db: Database, engine: Engine | None = None, progress: Progress | None = None
) -> Evaluation:
    """Re-evaluate every event in the store (after a rule change or a bulk import), part by part
    (see ``batch.py``); every event marked as still to be judged is judged with the rest."""
    started = time.perf_counter()
    engine = engine or default_engine()
    with db.session(write=True) as session:
        follow_linkage(session)
    with db.session() as session:
        marks = every_mark(session)
    judged, findings, raised, grown = evaluate_in_parts(
        db, engine, None, progress, clock=utcnow(), marks=marks
    )
    return Evaluation(judged, findings, raised, grown, time.perf_counter() - started)


def evaluate_pending(
    db: Database, engine: Engine | None = None, progress: Progress | None = None
) -> Evaluation:
    """Judge every event still marked as to be judged: what an import wrote and the rules had not
    yet judged when its process stopped, or the events of the import that has just finished.

    Run after every import, at ``serve`` start and by ``childfirst evaluate --pending``; with
    nothing marked it does nothing, and judging an event twice adds nothing."""
    with db.session() as session:
        marks, event_ids = all_marks(session)
    if not event_ids:
        return Evaluation(0, 0, 0, 0, 0.0)
    return evaluate_events(db, event_ids, engine, progress, marks=marks)

"""Batch evaluation part by part, in worker processes, so memory stays flat as the store grows.

The store is split into parts no rule can see across (``parts.py``). Worker processes each load a
part, judge its events with the same engine the online path uses, and send back what they found;
the parent stores the findings part by part in one transaction, so a failed run stores nothing;
the same transaction deletes the judged events' marks as still to be judged (``store/pending.py``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import AsyncResult, Pool

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from childfirst.collector import collector_paused
from childfirst.faults import crash_point
from childfirst.rules.case import EventView, PersonView
from childfirst.rules.concerns import record
from childfirst.rules.engine import Engine, Outcome
from childfirst.rules.loader import load_part
from childfirst.rules.model import Finding
from childfirst.rules.parts import PART_LINKS, Part, partition
from childfirst.store.database import Database
from childfirst.store.models import EventLink
from childfirst.store.pending import NONE, Marks, marks_of

Progress = Callable[[str, int, int], None]
Found = tuple[str, PersonView, EventView, Finding]  # (rule id, child, event, finding)


def workers() -> int:
    """Worker processes for a batch run: CHILDFIRST_WORKERS, else one per core, at most two."""
    configured = os.environ.get("CHILDFIRST_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class _Job:
    url: str
    engine: Engine
    wanted: frozenset[str] | None
    clock: datetime | None = None
    wakes_only: bool = False
    db: Database | None = None


_JOB: _Job | None = None  # set in the parent before the workers are forked


def _judge(job: _Job, session: Session, part: Part) -> tuple[int, list[Found]]:
    with collector_paused(collect_after=True):  # collects once the part's history is gone
        return _judge_part(job, session, part)


def _judge_part(job: _Job, session: Session, part: Part) -> tuple[int, list[Found]]:
    history = load_part(session, part.people, part.unlinked_events)
    if job.wanted is None:
        events = None
    else:
        events = [e for key, e in history.events.items() if key in job.wanted]
    outcomes = job.engine.run(history, events, clock=job.clock, wakes_only=job.wakes_only)
    found = [(o.rule.id, o.child, o.event, o.finding) for o in outcomes]
    return (len(history.events) if events is None else len(events)), found


def _start_worker() -> None:
    assert _JOB is not None
    # The parent's pooled connections came across with the fork: leave them to the parent.
    _JOB.db = Database(_JOB.url, migrate=False)


def _judge_in_worker(part: Part) -> tuple[int, list[Found]]:
    assert _JOB is not None
    assert _JOB.db is not None
    with _JOB.db.session() as session:
        return _judge(_JOB, session, part)


def _shareable(db: Database) -> bool:
    """Whether another process can open the same store (not an in-memory SQLite database)."""
    return not (db.dialect == "sqlite" and db.engine.url.database in (None, "", ":memory:"))


def _one_part(db: Database, part_links: int) -> bool:
    """Whether the whole store fits in one part (judged in this process, without workers)."""
    with db.session() as session:
        return (session.scalar(select(func.max(EventLink.id))) or 0) <= part_links


@contextmanager
def _workers(db: Database, job: _Job, processes: int, part_links: int) -> Iterator[Pool | None]:
    """Worker processes, when the store can be shared and needs more than one part; else None.

    They are forked before the store is split into parts, so that they do not inherit the
    memory the split takes, and before the caller opens its write transaction."""
    global _JOB
    if processes <= 1 or not _shareable(db) or _one_part(db, part_links):
        yield None
        return
    _JOB = job
    db.engine.dispose()  # no pooled connection is shared with the workers
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_start_worker) as pool:
            yield pool
    finally:
        _JOB = None


def _in_order(pool: Pool, parts: list[Part], window: int) -> Iterator[tuple[int, list[Found]]]:
    """The parts' results in order, with at most ``window`` parts handed out and not yet taken:
    the workers wait for the store rather than pile findings up in memory."""
    pending: deque[AsyncResult[tuple[int, list[Found]]]] = deque()
    for index in range(len(parts)):
        part, parts[index] = parts[index], Part()  # handed over: the parent need not keep it
        pending.append(pool.apply_async(_judge_in_worker, (part,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _in_process(db: Database, job: _Job, parts: list[Part]) -> Iterator[tuple[int, list[Found]]]:
    for part in parts:
        with db.session() as session:
            yield _judge(job, session, part)


def evaluate_in_parts(
    db: Database,
    engine: Engine,
    wanted: Sequence[str] | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
    part_links: int = PART_LINKS,
    *,
    clock: datetime | None = None,
    wakes_only: bool = False,
    marks: Marks | None = None,
) -> tuple[int, int, int, int]:
    """Judge every event (or only ``wanted``) part by part, with the waits they opened that had
    run out by ``clock`` (only those, with ``wakes_only``); return (events judged, findings,
    concerns raised, concerns grown).

    ``marks`` (else the marks on ``wanted`` when judging starts; none with ``wakes_only`` or with
    nothing wanted) are deleted in the transaction that stores the findings."""
    chosen = frozenset(wanted) if wanted is not None else None
    if marks is None:
        if wakes_only or wanted is None:
            marks = NONE
        else:
            with db.session() as session:  # read before any part is loaded
                marks = marks_of(session, wanted)
    job = _Job(db.url, engine, chosen, clock, wakes_only)
    by_id = {rule.id: rule for rule in engine.rules}
    judged = findings = raised = grown = 0
    processes = processes or workers()
    with _workers(db, job, processes, part_links) as pool:
        with db.session() as session, collector_paused(collect_after=True):
            parts = partition(session, part_links, set(chosen) if chosen is not None else None)
        count = len(parts)
        results = (
            _in_order(pool, parts, window=2 * processes)
            if pool is not None and count > 1
            else _in_process(db, job, parts)
        )
        with db.session(write=True) as session:
            for done, (judged_here, found) in enumerate(results, start=1):
                with collector_paused(collect_after=True):
                    outcomes = [Outcome(by_id[r], child, event, f) for r, child, event, f in found]
                    new, more = record(session, outcomes, engine.calendar)
                    session.flush()
                    session.expunge_all()
                judged, findings = judged + judged_here, findings + len(outcomes)
                raised, grown = raised + new, grown + more
                crash_point("evaluation:storing")
                if progress is not None:
                    progress("evaluating", done, count)
            marks.clear(session)
    return judged, findings, raised, grown

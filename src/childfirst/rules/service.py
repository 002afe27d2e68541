"""Running the rules against the store: for new events as they arrive, or for everything."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from childfirst.rules.batch import evaluate_in_parts
from childfirst.rules.concerns import record
from childfirst.rules.config import load_engine
from childfirst.rules.engine import Engine
from childfirst.rules.identity import follow_linkage
from childfirst.rules.loader import load_around
from childfirst.rules.registry import RULES
from childfirst.store.database import Database

Progress = Callable[[str, int, int], None]
# From this many new events, judging the store part by part beats loading around each event.
IN_PARTS_FROM = 5_000


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
) -> Evaluation:
    """Judge newly recorded or imported events against the full history, and store what is found."""
    started = time.perf_counter()
    engine = engine or default_engine()
    if len(event_ids) >= IN_PARTS_FROM:
        judged, findings, raised, grown = evaluate_in_parts(db, engine, event_ids, progress)
        return Evaluation(judged, findings, raised, grown, time.perf_counter() - started)
    with db.session(write=True) as session:
        history = load_around(session, event_ids)
        events = [history.events[e] for e in event_ids if e in history.events]
        outcomes = list(engine.run(history, events, progress))
        raised, grown = record(session, outcomes, engine.calendar)
    return Evaluation(len(events), len(outcomes), raised, grown, time.perf_counter() - started)


def evaluate_store(
    db: Database, engine: Engine | None = None, progress: Progress | None = None
) -> Evaluation:
    """Re-evaluate every event in the store (after a rule change or a bulk import), part by part
    (see ``batch.py``)."""
    started = time.perf_counter()
    engine = engine or default_engine()
    with db.session(write=True) as session:
        follow_linkage(session)
    judged, findings, raised, grown = evaluate_in_parts(db, engine, None, progress)
    return Evaluation(judged, findings, raised, grown, time.perf_counter() - started)

"""Officers recording incidents about the same child at the same moment: every recording succeeds,
and the child has one concern that rests on all of them (SQLite's writers take turns; PostgreSQL's
judge side by side and the one that loses a race judges again)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from childfirst.ingest.recording import record_batch
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, ConcernEvidence, Event
from childfirst.store.sharing import Notification
from tests.factories import AGENCY, event, location, person, relationship

WRITERS = 8
ROUNDS = 3
PATTERN = "domestic-abuse.cumulative-pattern"
ENCOMPASS = "domestic-abuse.operation-encompass"


def _incident(rid: str, day: int) -> dict[str, Any]:
    at = datetime(2025, 3, 1, 21, 0) + timedelta(days=day, minutes=day)
    return event(rid, occurred_at=at.isoformat(), reference=f"NM/25/{rid}")


def test_incidents_about_one_child_recorded_at_once_all_succeed_and_build_one_concern(
    db: Database,
) -> None:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    record_batch(
        db,
        [
            location(),
            person(addresses=home),
            person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
            relationship(),
            _incident("E0", 0),
        ],
        by="test",
    )
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait(timeout=30)
            for n in range(ROUNDS):
                record_batch(db, [_incident(f"E{writer}-{n}", 1 + writer + n)], by="test")
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    ids = {record_id("event", AGENCY, "niche", "E0")} | {
        record_id("event", AGENCY, "niche", f"E{w}-{n}")
        for w in range(WRITERS)
        for n in range(ROUNDS)
    }
    child = record_id("person", AGENCY, "niche", "P1")
    with db.session() as session:
        assert set(session.scalars(select(Event.id))) == ids
        [pattern] = session.scalars(
            select(Concern).where(Concern.rule_id == PATTERN, Concern.child_id == child)
        )
        evidence = session.scalars(
            select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == pattern.id)
        ).all()
        schools = session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(Concern, Concern.id == Notification.concern_id)
            .where(Concern.rule_id == ENCOMPASS)
        )
    assert sorted(evidence) == sorted(ids)  # each incident once
    assert schools == len(ids)  # one school notification per incident, none twice

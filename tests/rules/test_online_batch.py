"""One definition, two paths: judging events one by one as they arrive gives the same concerns as
re-evaluating the whole store at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.rules.concerns import record
from childfirst.rules.loader import load_all, load_around
from childfirst.rules.service import default_engine, evaluate_store, judge_waits
from childfirst.store.database import Database
from childfirst.store.models import Concern, ConcernEvidence
from childfirst.synth import SynthConfig, generate


def snapshot(db: Database) -> set[tuple[str, str, str, str, frozenset[str]]]:
    with db.session() as session:
        evidence: dict[int, set[str]] = {}
        for concern_id, event_id in session.execute(
            select(ConcernEvidence.concern_id, ConcernEvidence.event_id)
        ):
            evidence.setdefault(concern_id, set()).add(event_id)
        return {
            (c.rule_id, c.child_id, c.key, c.severity, frozenset(evidence[c.id]))
            for c in session.scalars(select(Concern))
        }


@pytest.mark.slow
def test_replaying_events_one_by_one_matches_the_batch_run(tmp_path: Path) -> None:
    generate(SynthConfig(people=2000, years=2, seed=11), tmp_path / "area")
    files = sorted((tmp_path / "area" / "records").glob("*.jsonl"))
    stores = []
    for name in ("batch", "online"):
        db = Database(f"sqlite:///{tmp_path / name}.db")
        import_files(db, files)
        stores.append(db)
    batch, online = stores

    evaluate_store(batch)

    engine = default_engine()
    with online.session() as session:
        order = sorted(load_all(session).events.values(), key=lambda e: e.order)
    judged = 0
    for event in order:
        if not engine.triggered_by(event.type):
            continue
        with online.session(write=True) as session:
            history = load_around(session, [event.id])
            record(session, list(engine.judge(history, history.events[event.id])))
        judged += 1
    # The scheduled run of the waits that ran out, which the batch judges with everything else.
    waits = judge_waits(online, None, engine=engine)

    assert judged > 300
    assert waits.raised > 0
    found = snapshot(batch)
    assert len(found) > 100
    assert snapshot(online) == found

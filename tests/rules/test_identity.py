"""Concerns follow their child when linkage finds that two records are one person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from childfirst.domain.clock import utcnow
from childfirst.ingest.importer import import_files
from childfirst.rules.identity import follow_linkage
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import (
    Action,
    Concern,
    ConcernLog,
    LinkageRun,
    MasterMembership,
    MasterPerson,
)
from tests.factories import event, location, person, source, write_jsonl


def health(record: dict[str, Any], rid: str) -> dict[str, Any]:
    record["source"] = {**source(rid), "agency": "northmoor-health", "agency_kind": "health"}
    return record


def test_two_records_of_one_child_become_one_concern(db: Database, tmp_path: Path) -> None:
    # The same 15-year-old is reported missing to the police and attends A&E on return, and each
    # agency holds its own record of her; both records see repeat episodes.
    records: list[dict[str, Any]] = [location(), person("P1", date_of_birth="2010-05-05")]
    records += [
        event(
            f"M{n}",
            event_type="missing_reported",
            occurred_at=f"2025-0{n}-10T22:00:00",
            links=[{"role": "subject", "person": "P1"}],
            details={},
        )
        for n in (1, 2, 3)
    ]
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    evaluate_events(db, summary.events_touched)
    police = record_id("person", "northmoor-police", "niche", "P1")
    with db.session() as session:
        before = session.scalars(select(Concern).where(Concern.child_id == police)).all()
    assert {c.rule_id for c in before} >= {"missing.repeat-episodes"}

    now = utcnow()
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        session.add(MasterPerson(id="mp_test_child", created_at=now, created_by_run=run.id))
        session.flush()
        session.execute(
            insert(MasterMembership),
            [
                {
                    "person_id": police,
                    "master_id": "mp_test_child",
                    "run_id": run.id,
                    "assigned_at": now,
                }
            ],
        )
        moved, merged = follow_linkage(session)
    assert moved == len(before)
    assert merged == 0
    with db.session() as session:
        after = session.scalars(select(Concern)).all()
        log = session.scalars(select(ConcernLog.what).where(ConcernLog.what == "moved")).all()
    assert {c.child_id for c in after} == {"mp_test_child"}
    assert len(log) == len(before)


def test_duplicate_concerns_merge_and_keep_their_history(db: Database, tmp_path: Path) -> None:
    police_child = person("P1", date_of_birth="2010-05-05")
    health_child = health(person("H1", date_of_birth="2010-05-05"), "H1")
    episodes = []
    for who, agency in (("P1", "northmoor-police"), ("H1", "northmoor-health")):
        for n in (1, 2, 3):
            e = event(
                f"{who}M{n}",
                event_type="missing_reported",
                occurred_at=f"2025-0{n}-1{n}T22:00:00",
                location=None,
                links=[{"role": "subject", "person": who}],
                details={},
            )
            if agency == "northmoor-health":
                e = health(e, f"{who}M{n}")
            episodes.append(e)
    summary = import_files(
        db, [write_jsonl(tmp_path / "a.jsonl", [police_child, health_child, *episodes])]
    )
    evaluate_events(db, summary.events_touched)
    ids = [
        record_id("person", "northmoor-police", "niche", "P1"),
        record_id("person", "northmoor-health", "niche", "H1"),
    ]
    now = utcnow()
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        session.add(MasterPerson(id="mp_test_child", created_at=now, created_by_run=run.id))
        session.flush()
        session.execute(
            insert(MasterMembership),
            [
                {"person_id": i, "master_id": "mp_test_child", "run_id": run.id, "assigned_at": now}
                for i in ids
            ],
        )
        follow_linkage(session)
    with db.session() as session:
        repeat = session.scalars(
            select(Concern).where(Concern.rule_id == "missing.repeat-episodes")
        ).all()
        open_actions = session.scalars(
            select(Action).where(
                Action.status == "open", Action.concern_id.in_([c.id for c in repeat])
            )
        ).all()
    statuses = sorted(c.status for c in repeat)
    assert statuses == ["merged", "open"]
    merged = next(c for c in repeat if c.status == "merged")
    kept = next(c for c in repeat if c.status == "open")
    assert kept.child_id == "mp_test_child"
    assert merged.closed_reason is not None
    assert str(kept.id) in merged.closed_reason
    assert {a.concern_id for a in open_actions} == {kept.id}

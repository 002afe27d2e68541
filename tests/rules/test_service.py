"""The rules against a real store: concerns raised on import, grown by new events, never lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.rules.concerns import ConcernStateError, acknowledge, close
from childfirst.rules.service import evaluate_events, evaluate_store, judge_waits
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Action, Concern, ConcernEvidence, ConcernLog
from tests.factories import AGENCY, event, location, person, relationship, write_jsonl

CHILD = record_id("person", AGENCY, "niche", "P1")


def family() -> list[dict[str, Any]]:
    """A girl of 9 living with her mother and the mother's partner."""
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    return [
        location(),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2016-06-30", addresses=home),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
        person("P3", "Dean", "Cole", date_of_birth="1985-09-09", sex="male", addresses=home),
        relationship("R1"),
        relationship("R2", person="P3", other="P2", relationship_type="partner"),
    ]


def incident(number: int, when: str, **fields: Any) -> dict[str, Any]:
    return event(
        f"E{number}",
        occurred_at=when,
        links=[{"role": "victim", "person": "P2"}, {"role": "suspect", "person": "P3"}],
        details={"children_present": False},
        **fields,
    )


def concerns(db: Database) -> dict[str, Concern]:
    with db.session() as session:
        return {
            c.rule_id: c for c in session.scalars(select(Concern).where(Concern.child_id == CHILD))
        }


def evidence(db: Database, concern_id: int) -> set[str]:
    with db.session() as session:
        return set(
            session.scalars(
                select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == concern_id)
            )
        )


def load(db: Database, tmp_path: Path, name: str, records: list[dict[str, Any]]) -> None:
    summary = import_files(db, [write_jsonl(tmp_path / name, records)])
    evaluate_events(db, summary.events_touched)


def test_repeated_domestic_abuse_is_one_growing_concern(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    first = concerns(db)
    assert "domestic-abuse.cumulative-pattern" not in first  # one incident is not yet a pattern
    assert "domestic-abuse.operation-encompass" in first
    assert "children-first.unrecorded-child" in first

    load(db, tmp_path, "b.jsonl", [incident(2, "2025-03-02T21:05:00")])
    pattern = concerns(db)["domestic-abuse.cumulative-pattern"]
    assert pattern.severity == "high"
    assert "Kayleigh Walsh (aged 8) lives with 2 domestic abuse incidents" in pattern.explanation
    e1, e2, e3 = (record_id("event", AGENCY, "niche", f"E{n}") for n in (1, 2, 3))
    assert evidence(db, pattern.id) == {e1, e2}

    load(db, tmp_path, "c.jsonl", [incident(3, "2025-05-11T01:15:00")])
    grown = concerns(db)["domestic-abuse.cumulative-pattern"]
    assert grown.id == pattern.id
    assert grown.severity == "critical"
    assert evidence(db, pattern.id) == {e1, e2, e3}


def test_actions_fall_due_by_their_rule(db: Database, tmp_path: Path) -> None:
    # Saturday 18 January 2025, 23:40: the school must know before 09:00 on Monday 20 January.
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    encompass = concerns(db)["domestic-abuse.operation-encompass"]
    with db.session() as session:
        action = session.scalars(select(Action).where(Action.concern_id == encompass.id)).one()
    assert action.owner_role == "public_protection"
    assert action.due_at.isoformat() == "2025-01-20T09:00:00"
    assert action.due_rule == "before 09:00 on the next school day"


def test_closing_needs_a_reason_and_new_evidence_reopens(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    load(db, tmp_path, "b.jsonl", [incident(2, "2025-03-02T21:05:00")])
    pattern = concerns(db)["domestic-abuse.cumulative-pattern"]
    with pytest.raises(ConcernStateError, match="without a recorded reason"), db.session() as s:
        close(s, pattern.id, by="sgt.patel", reason="  ")
    with db.session(write=True) as s:
        acknowledge(s, pattern.id, by="dc.jones")
        close(s, pattern.id, by="sgt.patel", reason="Referred to MARAC; plan in place")
    assert concerns(db)["domestic-abuse.cumulative-pattern"].status == "closed"

    load(db, tmp_path, "c.jsonl", [incident(3, "2025-05-11T01:15:00")])
    reopened = concerns(db)["domestic-abuse.cumulative-pattern"]
    assert reopened.status == "open"
    assert reopened.closed_reason == "Referred to MARAC; plan in place"
    with db.session() as s:
        log = s.scalars(
            select(ConcernLog.what)
            .where(ConcernLog.concern_id == pattern.id)
            .order_by(ConcernLog.id)
        ).all()
    assert log == ["raised", "acknowledged", "closed", "reopened"]


def test_evaluating_the_store_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path, "a.jsonl", [*family(), incident(1, "2025-01-18T23:40:00")])
    load(db, tmp_path, "b.jsonl", [incident(2, "2025-03-02T21:05:00")])
    before = {k: (c.id, evidence(db, c.id)) for k, c in concerns(db).items()}
    again = evaluate_store(db)
    assert again.raised == 0
    assert again.grown == 0
    assert {k: (c.id, evidence(db, c.id)) for k, c in concerns(db).items()} == before


def test_a_seventeen_year_old_detainee_is_a_child(db: Database, tmp_path: Path) -> None:
    teen = person("P9", "Jordan", "Hale", date_of_birth="2008-06-01", sex="male")
    detention = event(
        "E9",
        event_type="custody_detention",
        occurred_at="2025-11-25T22:00:00",
        links=[{"role": "detainee", "person": "P9"}],
        details={"overnight": True},
    )
    load(db, tmp_path, "a.jsonl", [location(), teen, detention])
    with db.session() as session:
        found = session.scalars(
            select(Concern).where(Concern.child_id == record_id("person", AGENCY, "niche", "P9"))
        ).one()
        actions = session.scalars(select(Action.title).where(Action.concern_id == found.id)).all()
    assert found.rule_id == "custody.child-detainee"
    assert found.severity == "critical"
    assert "Jordan Hale is 17" in found.explanation
    assert any("appropriate adult" in title for title in actions)


def drug_warrant(when: str) -> dict[str, Any]:
    return event(
        "E7",
        event_type="drugs",
        occurred_at=when,
        summary="Warrant at the home: heroin and needles in the kitchen.",
        links=[{"role": "suspect", "person": "P2"}],
        details={},
    )


def test_a_wait_that_runs_out_with_no_more_contact_is_raised_on_schedule(
    db: Database, tmp_path: Path
) -> None:
    records = [*family(), drug_warrant("2025-06-02T10:00:00+00:00")]
    summary = import_files(db, [write_jsonl(tmp_path / "a.jsonl", records)])
    warrant_at = datetime(2025, 6, 2, 10, 0)
    evaluate_events(db, summary.events_touched, clock=warrant_at + timedelta(minutes=5))
    assert "referrals.parental-substance-misuse" not in concerns(db)  # the wait has begun

    early = judge_waits(db, warrant_at, warrant_at + timedelta(hours=71))
    assert early.raised == 0
    due = judge_waits(db, warrant_at, warrant_at + timedelta(days=4))
    assert due.raised == 1
    found = concerns(db)["referrals.parental-substance-misuse"]
    assert found.first_event_at == warrant_at + timedelta(hours=72)
    assert "no referral of the child to children's social care" in found.explanation
    assert evidence(db, found.id) == {record_id("event", AGENCY, "niche", "E7")}

    again = judge_waits(db, warrant_at, warrant_at + timedelta(days=5))  # runs may overlap
    assert (again.raised, again.grown) == (0, 0)
    # A later run whose period starts after the wait ran out leaves the warrant alone.
    assert (
        judge_waits(db, warrant_at + timedelta(days=4), warrant_at + timedelta(days=6)).events == 0
    )


def test_importing_records_older_than_their_wait_judges_the_wait_at_once(
    db: Database, tmp_path: Path
) -> None:
    load(db, tmp_path, "a.jsonl", [*family(), drug_warrant("2025-06-02T10:00:00+00:00")])
    assert "referrals.parental-substance-misuse" in concerns(db)

"""A clerical decision splitting a person splits the concerns about them at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from childfirst.ingest.importer import import_files
from childfirst.linkage import decide, link_all, master_of
from childfirst.linkage.index import save_model
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, ConcernEvidence
from tests.factories import write_jsonl
from tests.linkage.test_linkage import AGENCIES, FILLER_FAMILY, FILLER_GIVEN, _person, _places, rid

EPISODES = {
    ("health", "H2"): ["2025-01-10", "2025-02-10", "2025-03-10"],
    ("csc", "C2"): ["2025-03-20", "2025-04-10"],
}


def _episodes(where: str, sid: str, days: list[str]) -> list[dict[str, Any]]:
    agency, kind, system = AGENCIES[where]
    return [
        {
            "kind": "event",
            "source": {"agency": agency, "agency_kind": kind, "system": system, "id": f"{sid}M{n}"},
            "event_type": "missing_reported",
            "occurred_at": f"{day}T22:00:00",
            "links": [{"role": "subject", "person": sid}],
            "details": {},
        }
        for n, day in enumerate(days)
    ]


def _event_ids(where: str, sid: str) -> set[str]:
    agency, _, system = AGENCIES[where]
    return {
        record_id("event", agency, system, f"{sid}M{n}") for n in range(len(EPISODES[where, sid]))
    }


def test_a_not_the_same_decision_splits_the_concern_about_the_person(
    db: Database, tmp_path: Path, trained_model: dict[str, Any]
) -> None:
    # Health and social care each know a Chloe Brennan born in 2011 (day and month transposed);
    # the model links them, and her five missing episodes become one concern.
    records = [*_places("health"), *_places("csc")]
    records += [
        _person("health", "H2", "Chloe", "Brennan", "2011-03-09", "female", "A2"),
        _person("csc", "C2", "Chloe", "Brennan", "2011-09-03", "female", "A2"),
    ]
    for i, (given, family) in enumerate(zip(FILLER_GIVEN * 4, FILLER_FAMILY * 4, strict=True)):
        dob = f"{1950 + i % 60}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        records.append(_person("health", f"F{i}", f"{given}{i}", family, dob, "female", "A2"))
    import_files(db, [write_jsonl(tmp_path / "people.jsonl", records)])
    save_model(db, trained_model, records=0)
    link_all(db)
    health, csc = rid("health", "H2"), rid("csc", "C2")
    assert len(set(master_of(db, [health, csc]).values())) == 1
    episodes = [e for (where, sid), days in EPISODES.items() for e in _episodes(where, sid, days)]
    summary = import_files(db, [write_jsonl(tmp_path / "episodes.jsonl", episodes)])
    evaluate_events(db, summary.events_touched)
    with db.session() as session:
        (before,) = session.scalars(
            select(Concern).where(Concern.rule_id == "missing.repeat-episodes")
        ).all()

    decide(db, health, csc, "not_same", who="analyst1", why="Different NHS numbers")

    people = master_of(db, [health, csc])
    assert people[health] != people[csc]
    with db.session() as session:
        after = session.scalars(
            select(Concern).where(Concern.rule_id == "missing.repeat-episodes").order_by(Concern.id)
        ).all()
        held = {
            c.id: set(
                session.scalars(
                    select(ConcernEvidence.event_id).where(ConcernEvidence.concern_id == c.id)
                )
            )
            for c in after
        }
    kept, part = after
    assert kept.id == before.id
    assert kept.child_id == people[csc]  # the most recent episode is social care's
    assert held[kept.id] == _event_ids("csc", "C2")
    assert part.child_id == people[health]
    assert held[part.id] == _event_ids("health", "H2")

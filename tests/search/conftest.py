"""A small area to search: one man known to the police and to children's social care under two
spellings, linked into one person; the girl he lives with, who has an open concern; and people
with names that sound alike but are someone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern, LinkageRun, MasterMembership, MasterPerson
from tests.factories import AGENCY, event, location, person, relationship, source, write_jsonl

CSC = "northmoor-csc"
MASTER = "mp_0000000000000000dan1"
DAN = record_id("person", AGENCY, "niche", "P3")
DANNY = record_id("person", CSC, "niche", "C7")
GIRL = record_id("person", AGENCY, "niche", "P1")
TODAY = datetime(2026, 1, 10, tzinfo=UTC).date()


def _records() -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    other_home = [{"location": "L2", "from_date": "2020-01-01"}]
    csc_record = person("C7", "Danny", "Smyth", date_of_birth="1985-09-09", sex="male")
    csc_record["source"] = source("C7", CSC, "childrens_social_care")
    return [
        location(),
        location("L2", address="3 Canal Street, Northmoor", postcode="NM2 1AB"),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2016-06-30", addresses=home),
        person("P3", "Daniel", "Smith", date_of_birth="1985-09-09", sex="male", addresses=home),
        person(
            "P4", "Daniel", "Smith", date_of_birth="1990-03-12", sex="male", addresses=other_home
        ),
        person("P5", "Dean", "Smithson", date_of_birth="1979-01-02", sex="male"),
        person("P6", "Katharine", "Thomson", date_of_birth="2001-09-05", addresses=other_home),
        person("P7", "Muhammad", "Khan", date_of_birth="2009-11-04", sex="male"),
        csc_record,
        relationship("R1", person="P3", other="P1", relationship_type="step_parent"),
        event(
            "E1",
            reference="NM/25/0001",
            links=[{"role": "suspect", "person": "P3"}, {"role": "present", "person": "P1"}],
        ),
        event(
            "E2",
            event_type="missing_reported",
            occurred_at="2025-06-02T20:00:00",
            location="L2",
            reference="NM/25/0777",
            details={},
            links=[{"role": "subject", "person": "P7"}],
        ),
    ]


@dataclass(frozen=True)
class Area:
    db: Database
    concern_id: int


@pytest.fixture
def area(db: Database, tmp_path: Path) -> Area:
    import_files(db, [write_jsonl(tmp_path / "area.jsonl", _records())])
    now = datetime(2026, 1, 1)
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        session.add(MasterPerson(id=MASTER, created_at=now, created_by_run=run.id))
        session.flush()
        for pid, probability in ((DAN, 0.97), (DANNY, 0.97)):
            session.add(
                MasterMembership(
                    person_id=pid,
                    master_id=MASTER,
                    run_id=run.id,
                    match_probability=probability,
                    assigned_at=now,
                )
            )
        concern = Concern(
            rule_id="domestic-abuse.cumulative-pattern",
            child_id=GIRL,
            key="test",
            severity="high",
            status="open",
            explanation="Lives with 2 domestic abuse incidents.",
            learning=[],
            first_event_at=now,
            last_event_at=now,
            raised_at=now,
            updated_at=now,
        )
        session.add(concern)
        session.flush()
        concern_id = concern.id
    return Area(db, concern_id)

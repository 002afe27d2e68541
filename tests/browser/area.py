"""The small force area the browser tests sign in to: fixed records, so the pages are the same each
run.

A girl of 8 lives with her mother and the mother's partner, with two domestic abuse incidents at
home (a cumulative pattern, and notifications for her school, which knows her too: the police and
school records of her are linked as one person); a 17-year-old was held overnight in custody; a
14-year-old came back from a missing episode. Two more children, of 17 and 15, are known with
nothing yet recorded about them: the journeys record it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.rules.service import evaluate_events
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.store.models import Concern
from childfirst.web.demo import ensure_demo_accounts
from tests.factories import (
    AGENCY,
    SCHOOLS,
    at_school,
    event,
    household_and_detainee,
    link_as_one,
    location,
    person,
    write_jsonl,
)

SCHOOL_NAME = "St Cuthbert's Primary School, Northmoor"
# Kayleigh as one person across the police's and the school's records (record linkage's answer).
CHILD = "mp_0000000000000000000a"
CHILD_RECORDS = (
    record_id("person", AGENCY, "niche", "P1"),
    record_id("person", SCHOOLS, "sims", "U1"),
)
TEEN = record_id("person", AGENCY, "niche", "P9")
RUNAWAY = record_id("person", AGENCY, "niche", "P7")
ENCOMPASS = "domestic-abuse.operation-encompass"
PATTERN = "domestic-abuse.cumulative-pattern"
DETAINEE = "custody.child-detainee"
RETURN_INTERVIEW = "missing.return-home-interview"
# Where the clock stands for the pages that are photographed: after every event in the area.
FIXED_NOW = datetime(2025, 12, 1, 9, 30)


def records() -> list[dict[str, Any]]:
    return [
        *household_and_detainee(),
        person("P7", "Amelia", "Price", date_of_birth="2011-03-14"),
        event(
            "E7",
            event_type="missing_returned",
            occurred_at="2025-11-20T07:15:00",
            links=[{"role": "subject", "person": "P7"}],
            details={},
        ),
        # Known to the police, with nothing yet recorded: the journeys record their incidents.
        person("P8", "Callum", "Reid", date_of_birth="2008-09-15", sex="male"),
        person("P6", "Leah", "Moss", date_of_birth="2010-05-02"),
        at_school(location("S1", address=SCHOOL_NAME, location_type="school"), "S1"),
        at_school(person("U1", "Kayleigh", "Walsh", date_of_birth="2016-06-30"), "U1"),
        at_school(
            {
                "kind": "event",
                "event_type": "school_attendance_concern",
                "occurred_at": "2024-10-07T09:30:00",
                "location": "S1",
                "links": [{"role": "subject", "person": "U1"}],
                "details": {},
            },
            "SE1",
        ),
    ]


@dataclass(frozen=True)
class Area:
    db: Database
    concerns: dict[str, int]  # rule id -> the first concern the rule raised
    passwords: dict[Role, str]


def build_area(db: Database, folder: Path) -> Area:
    summary = import_files(db, [write_jsonl(folder / "area.jsonl", records())])
    link_as_one(db, {CHILD: CHILD_RECORDS})
    evaluate_events(db, summary.events_touched)
    with db.session() as session:
        found = {
            c.rule_id: c.id for c in session.scalars(select(Concern).order_by(Concern.id.desc()))
        }
    passwords = {role: password for _, password, role in ensure_demo_accounts(db)}
    return Area(db, found, passwords)

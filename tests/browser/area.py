"""The small force area the browser tests sign in to: fixed records, so the pages are the same each
run.

A girl of 8 lives with her mother and the mother's partner, with two domestic abuse incidents at
home (a cumulative pattern, and a notification for her school); a 17-year-old was held overnight in
custody; a 14-year-old came back from a missing episode.
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
from tests.factories import AGENCY, event, location, person, relationship, write_jsonl

CHILD = record_id("person", AGENCY, "niche", "P1")
TEEN = record_id("person", AGENCY, "niche", "P9")
RUNAWAY = record_id("person", AGENCY, "niche", "P7")
ENCOMPASS = "domestic-abuse.operation-encompass"
PATTERN = "domestic-abuse.cumulative-pattern"
DETAINEE = "custody.child-detainee"
RETURN_INTERVIEW = "missing.return-home-interview"
# Where the clock stands for the pages that are photographed: after every event in the area.
FIXED_NOW = datetime(2025, 12, 1, 9, 30)


def records() -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    links = [{"role": "victim", "person": "P2"}, {"role": "suspect", "person": "P3"}]
    return [
        location(),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2016-06-30", addresses=home),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
        person("P3", "Dean", "Cole", date_of_birth="1985-09-09", sex="male", addresses=home),
        relationship("R1"),
        relationship("R2", person="P3", other="P2", relationship_type="partner"),
        event("E1", occurred_at="2025-01-18T23:40:00", links=links, details={}),
        event("E2", occurred_at="2025-03-02T21:05:00", links=links, details={}),
        person("P9", "Jordan", "Hale", date_of_birth="2008-06-01", sex="male"),
        event(
            "E9",
            event_type="custody_detention",
            occurred_at="2025-11-25T22:00:00",
            links=[{"role": "detainee", "person": "P9"}],
            details={"overnight": True},
        ),
        person("P7", "Amelia", "Price", date_of_birth="2011-03-14"),
        event(
            "E7",
            event_type="missing_returned",
            occurred_at="2025-11-20T07:15:00",
            links=[{"role": "subject", "person": "P7"}],
            details={},
        ),
    ]


@dataclass(frozen=True)
class Area:
    db: Database
    concerns: dict[str, int]  # rule id -> the first concern the rule raised
    passwords: dict[Role, str]


def build_area(db: Database, folder: Path) -> Area:
    summary = import_files(db, [write_jsonl(folder / "area.jsonl", records())])
    evaluate_events(db, summary.events_touched)
    with db.session() as session:
        found = {
            c.rule_id: c.id for c in session.scalars(select(Concern).order_by(Concern.id.desc()))
        }
    passwords = {role: password for _, password, role in ensure_demo_accounts(db)}
    return Area(db, found, passwords)

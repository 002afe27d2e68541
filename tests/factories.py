"""Small builders for import records, as the dictionaries a source would send, and for record
linkage's answer, as a batch link stores it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert

from childfirst.domain.clock import utcnow
from childfirst.store.database import Database
from childfirst.store.models import LinkageRun, MasterMembership, MasterPerson

AGENCY = "northmoor-police"
SCHOOLS = "northmoor-schools"


def source(record_id: str, agency: str = AGENCY, kind: str = "police") -> dict[str, Any]:
    return {"agency": agency, "agency_kind": kind, "system": "niche", "id": record_id}


def at_school(record: dict[str, Any], record_id: str) -> dict[str, Any]:
    """``record`` as the schools' system sends it."""
    return {
        **record,
        "source": {
            **source(record_id),
            "agency": SCHOOLS,
            "agency_kind": "education",
            "system": "sims",
        },
    }


def location(record_id: str = "L1", **fields: Any) -> dict[str, Any]:
    return {
        "kind": "location",
        "source": source(record_id),
        "address": "12 Mill Lane, Northmoor",
        "postcode": "NM4 7QT",
        "force_area": "northmoor",
        "jurisdiction": "england_and_wales",
        **fields,
    }


def person(
    record_id: str = "P1", given: str = "Kayleigh", family: str = "Walsh", **fields: Any
) -> dict[str, Any]:
    return {
        "kind": "person",
        "source": source(record_id),
        "name": {"given_name": given, "family_name": family},
        "date_of_birth": "2012-06-30",
        "sex": "female",
        **fields,
    }


def event(record_id: str = "E1", **fields: Any) -> dict[str, Any]:
    return {
        "kind": "event",
        "source": source(record_id),
        "event_type": "domestic_abuse",
        "occurred_at": "2025-01-18T23:40:00",
        "location": "L1",
        "reference": f"NM/25/{record_id}",
        "details": {"children_present": True},
        "links": [{"role": "victim", "person": "P2"}, {"role": "present", "person": "P1"}],
        **fields,
    }


def relationship(record_id: str = "R1", **fields: Any) -> dict[str, Any]:
    return {
        "kind": "relationship",
        "source": source(record_id),
        "person": "P2",
        "other": "P1",
        "relationship_type": "parent",
        "started_on": "2012-06-30",
        **fields,
    }


def household() -> list[dict[str, Any]]:
    """A mother and daughter at one address, and a domestic abuse incident the girl witnessed."""
    return [
        location(),
        person(addresses=[{"location": "L1", "from_date": "2019-04-01"}]),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11"),
        event(),
        relationship(),
    ]


def household_and_detainee() -> list[dict[str, Any]]:
    """A girl of 8 living with her mother and the mother's partner; two domestic abuse incidents;
    and a 17-year-old held overnight in custody."""
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
    ]


def link_as_one(db: Database, masters: dict[str, Iterable[str]]) -> None:
    """Record linkage's answer that each master person's records are one person, as a batch link
    stores it."""
    now = utcnow()
    with db.session(write=True) as session:
        run = LinkageRun(kind="batch", started_at=now, link_threshold=0.9, review_threshold=0.3)
        session.add(run)
        session.flush()
        rows: list[dict[str, Any]] = []
        for master, record_ids in masters.items():
            session.add(MasterPerson(id=master, created_at=now, created_by_run=run.id))
            rows.extend(
                {"person_id": pid, "master_id": master, "run_id": run.id, "assigned_at": now}
                for pid in record_ids
            )
        session.flush()
        session.execute(insert(MasterMembership), rows)


def write_jsonl(path: Path, records: Iterable[dict[str, Any] | str | bytes]) -> Path:
    lines = []
    for record in records:
        if isinstance(record, bytes):
            lines.append(record)
        elif isinstance(record, str):
            lines.append(record.encode())
        else:
            lines.append(orjson.dumps(record))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path

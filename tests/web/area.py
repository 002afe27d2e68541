"""A small area for the recording and partner tests: a household the police know, two schools, the
schools' records of the children linked to the police records, and accounts for each school."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from childfirst.domain.roles import Role
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from childfirst.web.app import create_app
from childfirst.web.auth import create_account
from tests.factories import (
    AGENCY,
    SCHOOLS,
    at_school,
    event,
    link_as_one,
    location,
    person,
    relationship,
    write_jsonl,
)
from tests.web.conftest import Browser, TestClient, browser_for, settings_for

PASSWORD = "a-long-test-password"
# Payloads a free-text field must store as typed and show as text.
SQL = "'; DROP TABLE events; --"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HOSTILE = f"{SQL} {XSS}"


def police(kind: str, rid: str) -> str:
    return record_id(kind, AGENCY, "niche", rid)


def school_record(kind: str, rid: str) -> str:
    return record_id(kind, SCHOOLS, "sims", rid)


KAYLEIGH, TYLER, MIA, JORDAN = (police("person", p) for p in ("P1", "P5", "P7", "P9"))
DONNA, DEAN = police("person", "P2"), police("person", "P3")
HOME = police("location", "L1")
ST_CUTHBERTS, FELLVIEW = school_record("location", "S1"), school_record("location", "S2")
ST_CUTHBERTS_NAME = "St Cuthbert's Primary School, Northmoor"
MASTERS = {"mp_kayleigh": ("P1", "U1"), "mp_tyler": ("P5", "U5")}


def _records() -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    attendance: dict[str, Any] = {
        "kind": "event",
        "event_type": "school_attendance_concern",
        "occurred_at": "2025-10-06T09:30:00",
        "details": {},
    }
    return [
        location(),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2016-06-30", addresses=home),
        person("P5", "Tyler", "Walsh", date_of_birth="2011-03-03", sex="male", addresses=home),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
        person("P3", "Dean", "Cole", date_of_birth="1985-09-09", sex="male", addresses=home),
        relationship("R1"),
        relationship("R5", other="P5", started_on="2011-03-03"),
        relationship("R2", person="P3", other="P2", relationship_type="partner"),
        person("P7", "Mia", "Shaw", date_of_birth="2010-09-09"),
        person("P9", "Jordan", "Hale", date_of_birth="2008-06-01", sex="male"),
        at_school(location("S1", address=ST_CUTHBERTS_NAME, location_type="school"), "S1"),
        at_school(
            location("S2", address="Fellview Academy, Northmoor", location_type="school"), "S2"
        ),
        at_school(person("U1", "Kayleigh", "Walsh", date_of_birth="2016-06-30"), "U1"),
        at_school(person("U5", "Tyler", "Walsh", date_of_birth="2011-03-03", sex="male"), "U5"),
        at_school(
            {**attendance, "location": "S1", "links": [{"role": "subject", "person": "U1"}]}, "SE1"
        ),
        at_school(
            {**attendance, "location": "S2", "links": [{"role": "subject", "person": "U5"}]}, "SE5"
        ),
    ]


@dataclass(frozen=True)
class Area:
    db: Database
    app: FastAPI

    def browser(
        self,
        username: str,
        role: Role,
        school: str | None = None,
        *,
        organisation: str | None = None,
        write_agencies: list[str] | None = None,
    ) -> Browser:
        """A client signed in to a new account of ``role``: a school's when ``school`` is given, a
        police account of the force whose records the area holds, or of ``organisation``."""
        police_role = role not in {Role.SCHOOL, Role.HEALTH, Role.CHILDRENS_SOCIAL_CARE}
        with self.db.session(write=True) as session:
            create_account(
                session,
                username=username,
                display_name=username,
                role=role,
                password=PASSWORD,
                agency_code=school or organisation or (AGENCY if police_role else None),
                write_agencies=write_agencies,
            )
        client = TestClient(self.app, follow_redirects=False)
        return browser_for(client, username, PASSWORD, role)


def build_area(db: Database, tmp_path: Path) -> Area:
    import_files(db, [write_jsonl(tmp_path / "area.jsonl", _records())])
    link_as_one(
        db,
        {
            master: (police("person", police_id), school_record("person", school_id))
            for master, (police_id, school_id) in MASTERS.items()
        },
    )
    return Area(db, create_app(settings_for(db), db))


def domestic_abuse(rid: str = "E100", **fields: Any) -> dict[str, Any]:
    """A domestic abuse incident at the household's home, in the import format."""
    return event(
        rid,
        **{
            "occurred_at": "2025-11-24T21:40:00",
            "summary": "Shouting heard by neighbours.",
            "links": [
                {"role": "victim", "person": "P2"},
                {"role": "suspect", "person": "P3"},
                {"role": "present", "person": "P1"},
            ],
            **fields,
        },
    )

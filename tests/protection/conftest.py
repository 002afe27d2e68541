"""A family to protect: a girl of 8, her mother, the mother's partner (who lives elsewhere and is
known to the police under a memorable source id), with two domestic abuse incidents whose free
text names all of them, and a second version of the partner's record and of the first incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from childfirst.ingest.importer import ImportSummary, import_files
from childfirst.store.database import Database
from childfirst.store.identity import record_id
from tests.factories import AGENCY, event, location, person, relationship, write_jsonl

GIRL = record_id("person", AGENCY, "niche", "P1")
MOTHER = record_id("person", AGENCY, "niche", "P2")
PARTNER = record_id("person", AGENCY, "niche", "NM-NOMINAL-778123")
PARTNER_SOURCE_ID = "NM-NOMINAL-778123"
PARTNER_DOB = date(1985, 9, 9)
# What identifies the partner, planted in his record and in the incidents' free text.
PARTNER_MARKS = ("Dean", "Cole", "Deano", "1985-09-09", "09/09/1985", PARTNER_SOURCE_ID)
PARTNER_HOME = "7 Quarry Row, Northmoor"


def records(*, partner_alias: str = "Deano") -> list[dict[str, Any]]:
    home = [{"location": "L1", "from_date": "2019-04-01"}]
    links = [
        {"role": "victim", "person": "P2"},
        {"role": "suspect", "person": PARTNER_SOURCE_ID},
        {"role": "present", "person": "P1"},
    ]
    return [
        location(),
        location("L2", address=PARTNER_HOME, postcode="NM2 1AB"),
        person("P1", "Kayleigh", "Walsh", date_of_birth="2017-06-30", addresses=home),
        person("P2", "Donna", "Walsh", date_of_birth="1988-02-11", addresses=home),
        person(
            PARTNER_SOURCE_ID,
            "Dean",
            "Cole",
            date_of_birth="1985-09-09",
            sex="male",
            aliases=[{"given_name": partner_alias, "kind": "nickname"}],
            addresses=[{"location": "L2", "from_date": "2018-01-01"}],
        ),
        relationship("R1", started_on="2017-06-30"),
        relationship("R2", person=PARTNER_SOURCE_ID, other="P2", relationship_type="partner"),
        event(
            "E1",
            occurred_at="2025-01-18T23:40:00",
            links=links,
            summary="Donna Walsh said Dean Cole (born 09/09/1985) hit her; Kayleigh Walsh was "
            "upstairs. Cole left before officers arrived; Deano is known at 7 Quarry Row.",
            details={"children_present": True},
        ),
        event(
            "E2",
            occurred_at="2025-03-02T21:05:00",
            links=links,
            summary="Second call: Mr Cole returned to the address; Kayleigh spoke to officers.",
            outcome="Dean Cole arrested.",
            details={"children_present": True},
        ),
    ]


@dataclass
class Family:
    db: Database
    path: Path
    first: ImportSummary
    second: ImportSummary


@pytest.fixture
def family(db: Database, tmp_path: Path) -> Family:
    """The family imported twice: the second time the partner has another alias and the first
    incident a longer summary, so both have a superseded version."""
    first = import_files(db, [write_jsonl(tmp_path / "one.jsonl", records())])
    changed = records(partner_alias="Deano")
    changed[4]["aliases"].append({"given_name": "Dino", "kind": "misspelling"})
    changed[7]["summary"] += " Dean Cole's DOB 1985-09-09 confirmed."
    path = write_jsonl(tmp_path / "two.jsonl", changed)
    second = import_files(db, [path])
    return Family(db, path, first, second)


def every_stored_text(db: Database, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """Every row of every table as text, table by table (dates as YYYY-MM-DD)."""
    found: dict[str, str] = {}
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in leave_out or table.name == "alembic_version":
                continue
            found[table.name] = "\n".join(
                " | ".join(str(value) for value in row) for row in connection.execute(select(table))
            )
    return found

"""A small area for the reports: children of several ethnic groups and ages, some searched,
arrested, held or missing, and an adult who is searched too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from childfirst.ingest.importer import import_files
from childfirst.reports.periods import Period
from childfirst.store.database import Database
from tests.factories import event, location, person, write_jsonl

AS_OF = datetime(2026, 3, 15, 12, 0)
PERIOD = Period.ending(AS_OF, 6)  # October 2025 to March 2026


def _child(pid: str, ethnicity: str | None, born: str) -> dict[str, Any]:
    extra = {"ethnicity": ethnicity} if ethnicity else {}
    return person(pid, f"Given{pid}", "Family", date_of_birth=born, **extra)


def _event(eid: str, kind: str, at: str, role: str, pid: str, **fields: Any) -> dict[str, Any]:
    return event(
        eid, event_type=kind, occurred_at=at, links=[{"role": role, "person": pid}], **fields
    )


def area() -> list[dict[str, Any]]:
    return [
        location(),
        # White children: four (two aged 15, one 11, one 6 on 15 March 2026).
        _child("W1", "white_british", "2010-06-01"),
        _child("W2", "white_irish", "2010-09-01"),
        _child("W3", "white_other", "2014-05-05"),
        _child("W4", "white_british", "2019-12-12"),
        # Black children: two aged 15 and 16.
        _child("B1", "black_african", "2010-08-08"),
        _child("B2", "black_caribbean", "2009-07-07"),
        # An Asian child, a child whose ethnicity is not recorded, and an adult.
        _child("A1", "asian_indian", "2012-02-02"),
        _child("N1", None, "2011-03-03"),
        _child("X1", "black_african", "1990-01-01"),
        # Stop and search: B1 twice, W1 once, the adult once, and B2 once before the period.
        _event("S1", "stop_and_search", "2025-11-02T16:00:00", "subject", "B1", details={}),
        _event("S2", "stop_and_search", "2026-01-20T17:00:00", "subject", "B1", details={}),
        _event("S3", "stop_and_search", "2025-12-01T15:00:00", "subject", "W1", details={}),
        _event("S4", "stop_and_search", "2026-02-01T22:00:00", "subject", "X1", details={}),
        _event("S5", "stop_and_search", "2025-06-01T15:00:00", "subject", "B2", details={}),
        # B2 arrested and held; still held at AS_OF (no end recorded, began 10 hours before).
        _event("R1", "arrest", "2026-03-15T01:30:00", "suspect", "B2", details={}),
        _event(
            "C1",
            "custody_detention",
            "2026-03-15T02:00:00",
            "detainee",
            "B2",
            details={"overnight": True},
        ),
        # W2 held in January and released after six hours.
        _event(
            "C2",
            "custody_detention",
            "2026-01-10T10:00:00",
            "detainee",
            "W2",
            ended_at="2026-01-10T16:00:00",
            details={},
        ),
        # A1 missing three times in the period, W3 once; A1 once more before the period.
        *(
            _event(f"M{n}", "missing_reported", at, "subject", pid, details={})
            for n, (at, pid) in enumerate(
                [
                    ("2025-10-05T20:00:00", "A1"),
                    ("2025-12-24T20:00:00", "A1"),
                    ("2026-03-01T20:00:00", "A1"),
                    ("2026-02-14T20:00:00", "W3"),
                    ("2025-04-01T20:00:00", "A1"),
                ]
            )
        ),
    ]


@pytest.fixture
def reports_db(db: Database, tmp_path: Path) -> Database:
    import_files(db, [write_jsonl(tmp_path / "area.jsonl", area())])
    return db

"""Small builders for import records, as the dictionaries a source would send."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

AGENCY = "northmoor-police"


def source(record_id: str, agency: str = AGENCY, kind: str = "police") -> dict[str, Any]:
    return {"agency": agency, "agency_kind": kind, "system": "niche", "id": record_id}


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

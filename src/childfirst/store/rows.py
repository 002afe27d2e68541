"""From validated records to table rows: one function per kind of record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from childfirst.domain.clock import to_utc
from childfirst.domain.records import (
    AnyRecord,
    EventRecord,
    LocationRecord,
    ObjectRecord,
    PersonRecord,
    RelationshipRecord,
    payload,
)
from childfirst.search.keys import family_key, given_key
from childfirst.store.identity import content_hash, record_id


@dataclass
class Rows:
    """The row for a record's own table, and the rows it owns in child tables."""

    kind: str
    id: str
    main: dict[str, Any]
    links: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)


def to_rows(
    record: AnyRecord, *, received_at: datetime, batch_id: int | None, raw: bytes | None = None
) -> Rows:
    """The rows for ``record``; ``raw`` is the record as received, kept as its stored content."""
    src = record.source
    ref = _resolver(src.agency, src.system)
    if raw is None:
        data = payload(record)
    else:
        data = orjson.loads(raw)
        data["source"].pop("received_at", None)
    rid = record_id(record.kind, src.agency, src.system, src.id)
    main: dict[str, Any] = {
        "id": rid,
        "agency": src.agency,
        "agency_kind": src.agency_kind.value,
        "system": src.system,
        "source_id": src.id,
        "received_at": to_utc(src.received_at) if src.received_at else received_at,
        "version": 1,
        "content_hash": content_hash(data),
        "batch_id": batch_id,
        "record": data,
    }
    rows = Rows(record.kind, rid, main)
    if isinstance(record, PersonRecord):
        main.update(
            given_name=record.name.given_name,
            middle_names=record.name.middle_names,
            family_name=record.name.family_name,
            aliases=data.get("aliases", []),
            date_of_birth=record.date_of_birth,
            dob_precision=record.dob_precision.value,
            sex=record.sex.value,
            ethnicity=record.ethnicity.value if record.ethnicity else None,
            family_key=family_key(record.name.family_name),
            given_key=given_key(record.name.given_name),
        )
        rows.addresses = [
            {
                "person_id": rid,
                "location_id": ref("location", spell.location),
                "from_date": spell.from_date,
                "to_date": spell.to_date,
            }
            for spell in record.addresses
        ]
    elif isinstance(record, LocationRecord):
        main.update(
            address=record.address,
            postcode=record.postcode,
            uprn=record.uprn,
            location_type=record.location_type,
            force_area=record.force_area,
            jurisdiction=record.jurisdiction.value,
        )
    elif isinstance(record, ObjectRecord):
        main.update(
            object_type=record.object_type.value,
            identifier=record.identifier,
            description=record.description,
        )
    elif isinstance(record, EventRecord):
        main.update(
            event_type=record.event_type.value,
            occurred_at=to_utc(record.occurred_at),
            ended_at=to_utc(record.ended_at) if record.ended_at else None,
            reference=record.reference,
            location_id=ref("location", record.location) if record.location else None,
            summary=record.summary,
            outcome=record.outcome,
            details=data.get("details", {}),
        )
        rows.links = [
            {
                "event_id": rid,
                "role": link.role.value,
                "person_id": ref("person", link.person) if link.person else None,
                "object_id": ref("object", link.object) if link.object else None,
            }
            for link in record.links
        ]
    elif isinstance(record, RelationshipRecord):
        main.update(
            person_id=ref("person", record.person),
            other_id=ref("person", record.other),
            relationship_type=record.relationship_type.value,
            started_on=record.started_on,
            ended_on=record.ended_on,
        )
    return rows


def _resolver(agency: str, system: str) -> Callable[[str, str], str]:
    def ref(kind: str, source_id: str) -> str:
        return record_id(kind, agency, system, source_id)

    return ref

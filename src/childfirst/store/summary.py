"""What the store holds, in numbers a person can check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from childfirst.store.models import (
    Event,
    EventLink,
    ImportBatch,
    Location,
    Person,
    PoleObject,
    RecordVersion,
    Relationship,
)


@dataclass(frozen=True)
class StoreSummary:
    counts: dict[str, int]
    records_by_agency: dict[str, int]
    events_by_type: dict[str, int]
    first_event: str | None
    last_event: str | None


def summarise(session: Session) -> StoreSummary:
    counts = {
        label: session.scalar(select(func.count()).select_from(model)) or 0
        for label, model in (
            ("people", Person),
            ("locations", Location),
            ("objects", PoleObject),
            ("events", Event),
            ("event links", EventLink),
            ("relationships", Relationship),
            ("superseded versions", RecordVersion),
            ("import batches", ImportBatch),
        )
    }
    by_agency: dict[str, int] = {}
    for model in (Person, Location, PoleObject, Event, Relationship):
        for agency, n in session.execute(select(model.agency, func.count()).group_by(model.agency)):
            by_agency[agency] = by_agency.get(agency, 0) + n
    by_type: dict[str, int] = dict(
        session.execute(
            select(Event.event_type, func.count())
            .group_by(Event.event_type)
            .order_by(func.count().desc())
        ).all()
    )
    first, last = session.execute(
        select(func.min(Event.occurred_at), func.max(Event.occurred_at))
    ).one()
    return StoreSummary(
        counts=counts,
        records_by_agency=dict(sorted(by_agency.items())),
        events_by_type=by_type,
        first_event=first.date().isoformat() if first else None,
        last_event=last.date().isoformat() if last else None,
    )

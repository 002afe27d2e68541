"""Events as a practitioner reads them: what happened, when, where from, and who was in it how."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.vocab import EventType
from childfirst.store.models import Event, EventLink
from childfirst.web.services.models import EventSummary

MAX_EVENTS = 500


def label(event_type: str) -> str:
    try:
        return EventType(event_type).kind.label
    except (ValueError, KeyError):
        return event_type.replace("_", " ")


def summary(event: Any, roles: Collection[str] = ()) -> EventSummary:
    """An event (stored, or a row of the same columns), with the roles people asked about had in
    it."""
    return EventSummary(
        id=event.id,
        event_type=event.event_type,
        label=label(event.event_type),
        occurred_at=event.occurred_at,
        reference=event.reference,
        agency=event.agency,
        summary=event.summary,
        outcome=event.outcome,
        roles=sorted(roles),
    )


def summaries(
    session: Session,
    event_ids: Collection[str],
    people: Collection[str] = (),
    newest_first: bool = False,
) -> list[EventSummary]:
    """The events, with the roles ``people`` had in each."""
    if not event_ids:
        return []
    order = Event.occurred_at.desc() if newest_first else Event.occurred_at
    events = session.scalars(
        select(Event).where(Event.id.in_(sorted(event_ids))).order_by(order, Event.id)
    ).all()
    roles: dict[str, set[str]] = {}
    if people:
        for event_id, role in session.execute(
            select(EventLink.event_id, EventLink.role).where(
                EventLink.event_id.in_(sorted(event_ids)), EventLink.person_id.in_(sorted(people))
            )
        ):
            roles.setdefault(event_id, set()).add(role)
    return [summary(e, roles.get(e.id, set())) for e in events]


def events_of(session: Session, people: Collection[str]) -> list[str]:
    """The ids of the latest events the people are linked to (at most ``MAX_EVENTS``)."""
    if not people:
        return []
    return list(
        session.scalars(
            select(Event.id)
            .join(EventLink, EventLink.event_id == Event.id)
            .where(EventLink.person_id.in_(sorted(people)))
            .group_by(Event.id, Event.occurred_at)
            .order_by(Event.occurred_at.desc())
            .limit(MAX_EVENTS)
        )
    )

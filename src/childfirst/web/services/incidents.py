"""The children-first incident form: who and where, the children around them, and recording it.

The listing comes from ``rules.around`` and the recording from ``ingest.incidents``; this module only
looks up what the officer typed (a record id or a source system's id) and shapes the pages' data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.clock import to_utc
from childfirst.domain.names import full_name
from childfirst.errors import NotFoundError
from childfirst.ingest.importer import ImportSummary
from childfirst.ingest.incidents import Incident, incident_records
from childfirst.ingest.recording import Recorded, record_batch
from childfirst.rules.around import ChildAround, children_around
from childfirst.store.database import Database
from childfirst.store.models import Event, EventLink, Location, Person
from childfirst.web import audit
from childfirst.web.auth import CurrentUser
from childfirst.web.services.concern import actor
from childfirst.web.services.events import label
from childfirst.web.services.recording import (
    RaisedConcern,
    authorise,
    raised_concerns,
    written_for,
)


@dataclass(frozen=True)
class Found:
    """A person or address the officer named, as recorded."""

    id: str
    text: str  # name and date of birth, or the address
    source: str  # agency / system: source id


@dataclass
class Lookup:
    people: list[Found | None]  # one per reference typed, None when not found
    location: Found | None
    problems: dict[str, str]  # form field -> what is wrong
    children: list[ChildAround]

    def shown(self) -> list[str]:
        """The people the form lists: those named, and every child around them."""
        return [p.id for p in self.people if p is not None] + [c.key for c in self.children]


def _person(session: Session, reference: str) -> Person | None:
    reference = reference.strip()
    if reference.startswith("per_"):
        return session.get(Person, reference)
    found = session.scalars(select(Person).where(Person.source_id == reference).limit(5)).all()
    police = [p for p in found if p.agency_kind == "police"]
    chosen = police or list(found)
    return chosen[0] if len(chosen) == 1 else None


def _location(session: Session, reference: str) -> Location | None:
    reference = reference.strip()
    if reference.startswith("loc_"):
        return session.get(Location, reference)
    found = session.scalars(select(Location).where(Location.source_id == reference).limit(5)).all()
    police = [loc for loc in found if loc.agency_kind == "police"]
    chosen = police or list(found)
    return chosen[0] if len(chosen) == 1 else None


def _born(value: date | None) -> str:
    return f", born {value.isoformat()}" if value else ""


def look_up(db: Database, people: Sequence[str], location: str, at: datetime | None) -> Lookup:
    """The people and address the officer typed, and the children around them at ``at``."""
    problems: dict[str, str] = {}
    found_people: list[Found | None] = []
    with db.session() as session:
        for i, reference in enumerate(people):
            if not reference.strip():
                found_people.append(None)
                continue
            person = _person(session, reference)
            if person is None:
                problems[f"person_{i}"] = f"No single person is recorded as '{reference}'."
                found_people.append(None)
                continue
            found_people.append(
                Found(
                    person.id,
                    full_name(person.given_name, person.family_name) + _born(person.date_of_birth),
                    f"{person.agency} / {person.system}: {person.source_id}",
                )
            )
        place: Found | None = None
        if location.strip():
            row = _location(session, location)
            if row is None:
                problems["location"] = f"No single address is recorded as '{location}'."
            else:
                postcode = f", {row.postcode}" if row.postcode else ""
                place = Found(
                    row.id,
                    f"{row.address}{postcode}",
                    f"{row.agency} / {row.system}: {row.source_id}",
                )
        children: list[ChildAround] = []
        ids = [p.id for p in found_people if p is not None]
        if at is not None and (ids or place is not None):
            children = children_around(session, ids, place.id if place else None, to_utc(at))
    return Lookup(found_people, place, problems, children)


def record(db: Database, user: CurrentUser, incident: Incident) -> Recorded:
    """Record the incident for ``user``; audited as one recorded event, with the organisation
    and agency it was written for, in the transaction that writes it. Refused whole when the
    records chosen are of an agency ``user`` may not write for."""
    with db.session() as session:
        records = incident_records(session, incident)
    agencies = authorise(db, user, records)
    why = written_for(user, agencies)

    def audited(session: Session, summary: ImportSummary) -> None:
        # In the write's own transaction: the incident is never kept without its audit entry.
        for event_id in summary.events_touched:
            audit.record(session, actor(user), "recorded incident", "event", event_id, why=why)

    return record_batch(db, records, by=user.username, within=audited)


@dataclass(frozen=True)
class LinkedPerson:
    person_id: str
    name: str
    role: str
    account: dict[str, object]  # the child's account from the event's details, if any


@dataclass(frozen=True)
class RecordedIncident:
    id: str
    label: str
    occurred_at: datetime
    reference: str | None
    summary: str | None
    outcome: str | None
    address: str | None
    people: list[LinkedPerson]
    concerns: list[RaisedConcern]


def view_incident(db: Database, user: CurrentUser, event_id: str) -> RecordedIncident:
    """A recorded incident, the account of each child and the concerns resting on it (audited)."""
    from childfirst.ingest.recording import concerns_resting_on

    concerns = raised_concerns(db, user, concerns_resting_on(db, [event_id]))
    with db.session(write=True) as session:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFoundError(f"event {event_id} does not exist")
        rows = session.execute(
            select(EventLink.role, Person)
            .join(Person, Person.id == EventLink.person_id)
            .where(EventLink.event_id == event_id)
            .order_by(EventLink.id)
        ).all()
        address = session.scalar(select(Location.address).where(Location.id == event.location_id))
        details = dict(event.details or {})
        people = []
        for role, person in rows:
            prefix = f"child.{person.source_id}."
            account = {k[len(prefix) :]: v for k, v in details.items() if k.startswith(prefix)}
            people.append(
                LinkedPerson(
                    person.id, full_name(person.given_name, person.family_name), role, account
                )
            )
        # The people linked, and the children the concerns it raised name.
        named = [p.person_id for p in people] + [c.child_id for c in concerns]
        audit.record(session, actor(user), "viewed incident", "event", event_id, people=named)
        shown = RecordedIncident(
            event.id,
            label(event.event_type),
            event.occurred_at,
            event.reference,
            event.summary,
            event.outcome,
            address,
            people,
            concerns,
        )
    return shown

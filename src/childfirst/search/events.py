"""Finding events by reference, type, date, agency and place, newest first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from childfirst.domain.age import ADULT_AGE, age_at
from childfirst.domain.clock import to_utc
from childfirst.domain.names import full_name
from childfirst.domain.vocab import EventType
from childfirst.protection.restricted import RESTRICTED_NAME, restricted_keys
from childfirst.search import keys
from childfirst.search.people import SearchError
from childfirst.search.results import EventHit, EventPerson, EventResults
from childfirst.store.database import Database
from childfirst.store.models import Event, EventLink, Location, Person

SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class EventsQuery:
    reference: str = ""
    event_type: str | None = None
    since: date | None = None
    until: date | None = None
    agency: str | None = None
    place: str = ""  # a postcode or the outward part of one
    limit: int = 50

    @property
    def empty(self) -> bool:
        return not (
            self.reference.strip()
            or self.event_type
            or self.since
            or self.until
            or self.place.strip()
        )

    def cleaned(self) -> EventsQuery:
        """The query with control characters removed from its text."""
        return replace(
            self,
            reference=keys.printable(self.reference),
            agency=keys.printable(self.agency).strip() or None,
            place=keys.printable(self.place),
        )


def label(event_type: str) -> str:
    try:
        return EventType(event_type).kind.label
    except (ValueError, KeyError):
        return event_type.replace("_", " ")


def _local_midnight(day: date) -> datetime:
    """The start of a UK day, as a stored UTC time."""
    return to_utc(datetime.combine(day, time()))


def _reference(text: str, *, prefix: bool) -> ColumnElement[bool]:
    """The reference as typed or in capitals; with ``prefix``, any reference starting so."""
    forms = sorted({text, text.upper()})
    if prefix:
        return or_(*(Event.reference.startswith(form, autoescape=True) for form in forms))
    return Event.reference.in_(forms)


def search_events(db: Database, query: EventsQuery, *, today: date | None = None) -> EventResults:
    """The latest events answering every criterion given."""
    query = query.cleaned()
    if query.empty:
        raise SearchError("give a reference, an event type, a date or a postcode")
    today = today or date.today()
    where: list[ColumnElement[bool]] = []
    words: list[str] = []
    reference = query.reference.strip()
    if reference:
        words.append(f"reference ‘{reference}’")
    if query.event_type:
        where.append(Event.event_type == query.event_type)
        words.append(label(query.event_type))
    if query.since:
        where.append(Event.occurred_at >= _local_midnight(query.since))
        words.append(f"from {query.since.isoformat()}")
    if query.until:
        where.append(Event.occurred_at < _local_midnight(query.until + timedelta(days=1)))
        words.append(f"to {query.until.isoformat()}")
    if query.agency:
        where.append(Event.agency == query.agency)
        words.append(f"recorded by {query.agency}")
    place = query.place.strip()
    if place:
        code = keys.postcode(place)
        if code is None:
            raise SearchError("give the place of an event as a postcode or its first part")
        if " " in code:
            at = Location.postcode == code
        else:
            at = and_(Location.postcode >= f"{code} ", Location.postcode < f"{code}!")
        where.append(Event.location_id.in_(select(Location.id).where(at)))
        words.append(f"at {code}")
    with db.session() as session:
        rows = _find(session, where, reference, query.limit + 1, prefix=False)
        if reference and not rows:
            # Nothing has that exact reference: an officer may have typed only its start.
            rows = _find(session, where, reference, query.limit + 1, prefix=True)
        shown = rows[: query.limit]
        people = _people(session, [e.id for e, _, _ in shown], today)
    hits = [
        EventHit(
            id=e.id,
            reference=e.reference,
            event_type=e.event_type,
            label=label(e.event_type),
            occurred_at=e.occurred_at,
            agency=e.agency,
            place=", ".join(p for p in (address, postcode) if p) or None,
            summary=(e.summary or "")[:SUMMARY_LENGTH] or None,
            people=people.get(e.id, []),
        )
        for e, address, postcode in shown
    ]
    return EventResults(hits=hits, more=len(rows) > query.limit, understood=", ".join(words))


def _find(
    session: Session, where: list[ColumnElement[bool]], reference: str, limit: int, *, prefix: bool
) -> list[tuple[Event, str | None, str | None]]:
    conditions = [*where, _reference(reference, prefix=prefix)] if reference else where
    rows = session.execute(
        select(Event, Location.address, Location.postcode)
        .outerjoin(Location, Location.id == Event.location_id)
        .where(*conditions)
        .order_by(Event.occurred_at.desc(), Event.id)
        .limit(limit)
    )
    return [(event, address, postcode) for event, address, postcode in rows]


def _people(session: Session, event_ids: list[str], today: date) -> dict[str, list[EventPerson]]:
    found: dict[str, list[EventPerson]] = defaultdict(list)
    if not event_ids:
        return found
    rows = session.execute(
        select(
            EventLink.event_id,
            EventLink.role,
            Person.id,
            Person.given_name,
            Person.family_name,
            Person.date_of_birth,
        )
        .join(Person, Person.id == EventLink.person_id)
        .where(EventLink.event_id.in_(event_ids))
        .order_by(EventLink.event_id, EventLink.id)
    )
    hidden = restricted_keys(session)
    for event_id, role, pid, given, family, dob in rows:
        if pid in hidden:
            given, family, dob = None, RESTRICTED_NAME, None
        age = age_at(dob, today) if dob and dob <= today else None
        found[event_id].append(
            EventPerson(
                person_id=pid,
                name=full_name(given, family),
                role=role,
                child=age is not None and age < ADULT_AGE,
            )
        )
    return found

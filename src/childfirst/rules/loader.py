"""Loading the history the rules read, from the store: all of it, or the part around some events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from childfirst.domain.vocab import DobPrecision, EventType, RelationshipType
from childfirst.rules.case import EventView, History, PersonView, Spell, Tie
from childfirst.store.fetch import rows
from childfirst.store.models import Event, EventLink, Person, PersonAddress, Relationship

CHUNK = 500
Progress = Callable[[str, int, int], None]


def _name(given: str | None, family: str | None) -> str:
    return " ".join(part for part in (given, family) if part) or "name not recorded"


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _add_persons(history: History, rows: Iterable[Any]) -> None:
    for pid, given, family, dob, precision, sex in rows:
        history.persons[pid] = PersonView(
            pid, _name(given, family), dob, DobPrecision(precision), sex
        )


PERSON_COLUMNS = (
    Person.id,
    Person.given_name,
    Person.family_name,
    Person.date_of_birth,
    Person.dob_precision,
    Person.sex,
)
EVENT_COLUMNS = (
    Event.id,
    Event.event_type,
    Event.occurred_at,
    Event.ended_at,
    Event.agency,
    Event.agency_kind,
    Event.reference,
    Event.location_id,
    Event.summary,
    Event.outcome,
    Event.details,
)


def _add_events(
    history: History, rows: Iterable[Any], links: dict[str, list[tuple[str, str]]]
) -> None:
    for eid, etype, at, ended, agency, kind, ref, loc, summary, outcome, details in rows:
        history.add_event(
            EventView(
                eid,
                EventType(etype),
                at,
                ended,
                agency,
                kind,
                ref,
                loc,
                summary,
                outcome,
                details or {},
                tuple(links.get(eid, ())),
            )
        )


def load_all(session: Session, progress: Progress | None = None) -> History:
    """Everything in the store, for a batch evaluation."""
    history = History()
    _add_persons(history, rows(session, select(*PERSON_COLUMNS)))
    for pid, loc, start, end in rows(
        session,
        select(
            PersonAddress.person_id,
            PersonAddress.location_id,
            PersonAddress.from_date,
            PersonAddress.to_date,
        ),
    ):
        history.add_spell(pid, Spell(loc, start, end))
    for person, kind, other, start, end in rows(
        session,
        select(
            Relationship.person_id,
            Relationship.relationship_type,
            Relationship.other_id,
            Relationship.started_on,
            Relationship.ended_on,
        ),
    ):
        history.add_tie(Tie(person, RelationshipType(kind), other, start, end))
    links: dict[str, list[tuple[str, str]]] = {}
    for eid, role, linked_person in rows(
        session,
        select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
            EventLink.person_id.is_not(None)
        ),
    ):
        pid = str(linked_person)
        links.setdefault(eid, []).append((role, pid))
    events = rows(session, select(*EVENT_COLUMNS).order_by(Event.occurred_at, Event.id))
    _add_events(history, events, links)
    if progress is not None:
        progress("loading", len(history.events), len(history.events))
    return history


def load_around(session: Session, event_ids: Iterable[str]) -> History:
    """The part of the store the rules need to judge ``event_ids``: the people linked to them,
    the people living with them or at the event's place, those people's relationships, and every
    event of all of these people."""
    events = list(event_ids)
    seeds: set[str] = set()
    locations: set[str] = set()
    for chunk in _chunks(events):
        seeds.update(
            str(pid)
            for (pid,) in rows(
                session,
                select(EventLink.person_id).where(
                    EventLink.event_id.in_(chunk), EventLink.person_id.is_not(None)
                ),
            )
        )
        locations.update(
            str(loc)
            for (loc,) in rows(
                session,
                select(Event.location_id).where(
                    Event.id.in_(chunk), Event.location_id.is_not(None)
                ),
            )
        )
    people = _neighbours(session, seeds, locations)
    people |= _neighbours(session, people, set())
    return _load_people(session, people)


def _neighbours(session: Session, people: set[str], locations: set[str]) -> set[str]:
    """``people`` with everyone who shares an address or a relationship with them."""
    found = set(people)
    for chunk in _chunks(people):
        locations.update(
            loc
            for (loc,) in rows(
                session, select(PersonAddress.location_id).where(PersonAddress.person_id.in_(chunk))
            )
        )
        for a, b in rows(
            session,
            select(Relationship.person_id, Relationship.other_id).where(
                or_(Relationship.person_id.in_(chunk), Relationship.other_id.in_(chunk))
            ),
        ):
            found.update((a, b))
    for chunk in _chunks(locations):
        found.update(
            pid
            for (pid,) in rows(
                session, select(PersonAddress.person_id).where(PersonAddress.location_id.in_(chunk))
            )
        )
    return found


def _load_people(session: Session, people: set[str]) -> History:
    history = History()
    event_ids: set[str] = set()
    for chunk in _chunks(people):
        event_ids.update(
            eid
            for (eid,) in rows(
                session, select(EventLink.event_id).where(EventLink.person_id.in_(chunk))
            )
        )
    links: dict[str, list[tuple[str, str]]] = {}
    linked: set[str] = set(people)
    for chunk in _chunks(event_ids):
        for eid, role, pid in rows(
            session,
            select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
                EventLink.event_id.in_(chunk), EventLink.person_id.is_not(None)
            ),
        ):
            links.setdefault(eid, []).append((role, str(pid)))
            linked.add(str(pid))
    for chunk in _chunks(linked):
        _add_persons(history, rows(session, select(*PERSON_COLUMNS).where(Person.id.in_(chunk))))
    seen_ties: set[str] = set()
    for chunk in _chunks(people):
        for pid, loc, start, end in rows(
            session,
            select(
                PersonAddress.person_id,
                PersonAddress.location_id,
                PersonAddress.from_date,
                PersonAddress.to_date,
            ).where(PersonAddress.person_id.in_(chunk)),
        ):
            history.add_spell(pid, Spell(loc, start, end))
        for rid, person, kind, other, start, end in rows(
            session,
            select(
                Relationship.id,
                Relationship.person_id,
                Relationship.relationship_type,
                Relationship.other_id,
                Relationship.started_on,
                Relationship.ended_on,
            ).where(or_(Relationship.person_id.in_(chunk), Relationship.other_id.in_(chunk))),
        ):
            if rid not in seen_ties:
                seen_ties.add(rid)
                history.add_tie(Tie(person, RelationshipType(kind), other, start, end))
    found: list[Any] = []
    for chunk in _chunks(event_ids):
        found.extend(rows(session, select(*EVENT_COLUMNS).where(Event.id.in_(chunk))))
    found.sort(key=lambda r: (r[2], r[0]))
    _add_events(history, found, links)
    return history

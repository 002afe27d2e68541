"""Loading the history the rules read, from the store: all of it, or the part around some events.

Locations are read as places (see ``places.py``), so that the same address recorded by two
agencies is one place, and people living there are seen as one household.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from childfirst.domain.vocab import DobPrecision, EventType, RelationshipType
from childfirst.rules.case import EventView, History, PersonView, Spell, Tie
from childfirst.rules.places import place_key
from childfirst.store.fetch import rows
from childfirst.store.models import (
    Event,
    EventLink,
    Location,
    Person,
    PersonAddress,
    Relationship,
)

CHUNK = 500
Progress = Callable[[str, int, int], None]

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
SPELL_COLUMNS = (
    PersonAddress.person_id,
    PersonAddress.location_id,
    PersonAddress.from_date,
    PersonAddress.to_date,
)
TIE_COLUMNS = (
    Relationship.id,
    Relationship.person_id,
    Relationship.relationship_type,
    Relationship.other_id,
    Relationship.started_on,
    Relationship.ended_on,
)
LOCATION_COLUMNS = (Location.id, Location.address, Location.postcode, Location.uprn)


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


class _Loader:
    """Adds rows to a history, translating location ids to place keys on the way."""

    def __init__(self) -> None:
        self.history = History()
        self.places: dict[str, str] = {}
        self.ties: set[str] = set()

    def locations(self, found: Iterable[Any]) -> None:
        for lid, address, postcode, uprn in found:
            self.places[lid] = place_key(address, postcode, uprn)

    def persons(self, found: Iterable[Any]) -> None:
        for pid, given, family, dob, precision, sex in found:
            self.history.persons[pid] = PersonView(
                pid, _name(given, family), dob, DobPrecision(precision), sex
            )

    def spells(self, found: Iterable[Any]) -> None:
        for pid, loc, start, end in found:
            self.history.add_spell(pid, Spell(self.places.get(loc, loc), start, end))

    def relationships(self, found: Iterable[Any]) -> None:
        for rid, person, kind, other, start, end in found:
            if rid not in self.ties:
                self.ties.add(rid)
                self.history.add_tie(Tie(person, RelationshipType(kind), other, start, end))

    def events(self, found: Iterable[Any], links: dict[str, list[tuple[str, str]]]) -> None:
        for eid, etype, at, ended, agency, kind, ref, loc, summary, outcome, details in found:
            self.history.add_event(
                EventView(
                    eid,
                    EventType(etype),
                    at,
                    ended,
                    agency,
                    kind,
                    ref,
                    self.places.get(loc, loc) if loc else None,
                    summary,
                    outcome,
                    details or {},
                    tuple(links.get(eid, ())),
                )
            )


def _links(found: Iterable[Any]) -> dict[str, list[tuple[str, str]]]:
    links: dict[str, list[tuple[str, str]]] = {}
    for eid, role, pid in found:
        links.setdefault(eid, []).append((role, str(pid)))
    return links


def load_all(session: Session, progress: Progress | None = None) -> History:
    """Everything in the store, for a batch evaluation."""
    loader = _Loader()
    loader.locations(rows(session, select(*LOCATION_COLUMNS)))
    loader.persons(rows(session, select(*PERSON_COLUMNS)))
    loader.spells(rows(session, select(*SPELL_COLUMNS)))
    loader.relationships(rows(session, select(*TIE_COLUMNS)))
    links = _links(
        rows(
            session,
            select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
                EventLink.person_id.is_not(None)
            ),
        )
    )
    loader.events(
        rows(session, select(*EVENT_COLUMNS).order_by(Event.occurred_at, Event.id)), links
    )
    if progress is not None:
        progress("loading", len(loader.history.events), len(loader.history.events))
    return loader.history


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
    return _load_people(session, people, event_ids=events)


def _same_places(session: Session, locations: set[str]) -> set[str]:
    """Every location record that is the same place as one of ``locations``."""
    wanted: set[str] = set()
    postcodes: set[str] = set()
    uprns: set[str] = set()
    for chunk in _chunks(locations):
        for _lid, address, postcode, uprn in rows(
            session, select(*LOCATION_COLUMNS).where(Location.id.in_(chunk))
        ):
            wanted.add(place_key(address, postcode, uprn))
            if postcode:
                postcodes.add(postcode)
            if uprn:
                uprns.add(uprn)
    same = set(locations)
    for column, values in ((Location.postcode, postcodes), (Location.uprn, uprns)):
        for chunk in _chunks(values):
            for lid, address, postcode, uprn in rows(
                session, select(*LOCATION_COLUMNS).where(column.in_(chunk))
            ):
                if place_key(address, postcode, uprn) in wanted:
                    same.add(lid)
    return same


def _neighbours(session: Session, people: set[str], locations: set[str]) -> set[str]:
    """``people`` with everyone who shares a place or a relationship with them."""
    found = set(people)
    places = set(locations)
    for chunk in _chunks(people):
        places.update(
            str(loc)
            for (loc,) in rows(
                session,
                select(PersonAddress.location_id).where(PersonAddress.person_id.in_(chunk)),
            )
        )
        for a, b in rows(
            session,
            select(Relationship.person_id, Relationship.other_id).where(
                or_(Relationship.person_id.in_(chunk), Relationship.other_id.in_(chunk))
            ),
        ):
            found.update((a, b))
    for chunk in _chunks(_same_places(session, places)):
        found.update(
            str(pid)
            for (pid,) in rows(
                session,
                select(PersonAddress.person_id).where(PersonAddress.location_id.in_(chunk)),
            )
        )
    return found


def _load_people(session: Session, people: set[str], event_ids: Iterable[str]) -> History:
    loader = _Loader()
    wanted_events: set[str] = set(event_ids)
    for chunk in _chunks(people):
        wanted_events.update(
            str(eid)
            for (eid,) in rows(
                session, select(EventLink.event_id).where(EventLink.person_id.in_(chunk))
            )
        )
    links: dict[str, list[tuple[str, str]]] = {}
    linked: set[str] = set(people)
    for chunk in _chunks(wanted_events):
        for eid, role, pid in rows(
            session,
            select(EventLink.event_id, EventLink.role, EventLink.person_id).where(
                EventLink.event_id.in_(chunk), EventLink.person_id.is_not(None)
            ),
        ):
            links.setdefault(eid, []).append((role, str(pid)))
            linked.add(str(pid))
    for chunk in _chunks(linked):
        loader.persons(rows(session, select(*PERSON_COLUMNS).where(Person.id.in_(chunk))))
    spells: list[Any] = []
    for chunk in _chunks(people):
        spells.extend(
            rows(session, select(*SPELL_COLUMNS).where(PersonAddress.person_id.in_(chunk)))
        )
        loader.relationships(
            rows(
                session,
                select(*TIE_COLUMNS).where(
                    or_(Relationship.person_id.in_(chunk), Relationship.other_id.in_(chunk))
                ),
            )
        )
    found: list[Any] = []
    for chunk in _chunks(wanted_events):
        found.extend(rows(session, select(*EVENT_COLUMNS).where(Event.id.in_(chunk))))
    locations = {str(s[1]) for s in spells} | {str(e[7]) for e in found if e[7]}
    for chunk in _chunks(locations):
        loader.locations(rows(session, select(*LOCATION_COLUMNS).where(Location.id.in_(chunk))))
    loader.spells(spells)
    found.sort(key=lambda r: (r[2], r[0]))
    loader.events(found, links)
    return loader.history

"""Loading the history the rules read, from the store: all of it, or the part around some events.

People are read as the master persons record linkage has made of them, so that one person known to
several agencies under several records is one person to the rules; a record not yet linked stands
for itself. Locations are read as places (see ``places.py``), so that the same address recorded by
two agencies is one place, and people living there are seen as one household.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from childfirst.domain.names import full_name
from childfirst.domain.places import place_key
from childfirst.domain.vocab import DobPrecision, EventType, RelationshipType
from childfirst.protection.restricted import restricted_keys
from childfirst.rules.case import EventView, History, PersonView, Spell, Tie
from childfirst.store.fetch import rows, rows_in
from childfirst.store.models import (
    Event,
    EventLink,
    Location,
    MasterMembership,
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
    return full_name(given, family, unknown="name not recorded")


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _best(records: list[PersonView]) -> PersonView:
    """One view of a person from the records linked to them: the most exact date of birth most
    records agree on (on a tie, the latest: where the records cannot say whether this is a child,
    the rules treat them as one), a known sex, and the fullest name."""
    dated = [r for r in records if r.date_of_birth is not None]
    precision = min((r.dob_precision for r in dated), key=list(DobPrecision).index, default=None)
    dobs = [r.date_of_birth for r in dated if r.dob_precision is precision]
    dob = max(sorted(set(dobs), reverse=True), key=dobs.count) if dobs else None  # type: ignore[type-var]
    sexes = [r.sex for r in records if r.sex != "unknown"]
    sex = max(sorted(set(sexes)), key=sexes.count) if sexes else "unknown"
    name = max((r.name for r in records), key=lambda n: (len(n.split()), n))
    return PersonView(records[0].key, name, dob, precision or DobPrecision.EXACT, sex)


class _Loader:
    """Adds rows to a history, translating person records to master persons and location ids to
    place keys on the way."""

    def __init__(
        self, identity: dict[str, str] | None = None, hidden: frozenset[str] = frozenset()
    ) -> None:
        self.history = History()
        self.places: dict[str, str] = {}
        self.ties: set[str] = set()
        self.identity = identity or {}
        # People whose processing is restricted (childfirst.protection.restriction): no rule sees
        # them, as a person, a household member, a relative or someone linked to an event.
        self.hidden = hidden
        self._records: dict[str, list[PersonView]] = {}

    def key(self, record_id: str) -> str:
        return self.identity.get(record_id, record_id)

    def locations(self, found: Iterable[Any]) -> None:
        for lid, address, postcode, uprn in found:
            self.places[lid] = place_key(address, postcode, uprn)

    def persons(self, found: Iterable[Any]) -> None:
        if self.hidden:
            found = [row for row in found if row[0] not in self.hidden]
        for pid, given, family, dob, precision, sex in found:
            key = self.key(pid)
            view = PersonView(key, _name(given, family), dob, DobPrecision(precision), sex)
            self._records.setdefault(key, []).append(view)

    def finish_persons(self) -> None:
        for key, records in self._records.items():
            self.history.persons[key] = records[0] if len(records) == 1 else _best(records)

    def spells(self, found: Iterable[Any]) -> None:
        if self.hidden:
            found = [row for row in found if row[0] not in self.hidden]
        key, place = self.key, self.places.get
        self.history.add_spells(
            (key(pid), Spell(place(loc, loc), start, end)) for pid, loc, start, end in found
        )

    def relationships(self, found: Iterable[Any]) -> None:
        if self.hidden:
            found = [r for r in found if r[1] not in self.hidden and r[3] not in self.hidden]
        for rid, person, kind, other, start, end in found:
            a, b = self.key(person), self.key(other)
            if rid not in self.ties and a != b:
                self.ties.add(rid)
                self.history.add_tie(Tie(a, RelationshipType(kind), b, start, end))

    def events(self, found: Iterable[Any], links: dict[str, list[tuple[str, str]]]) -> None:
        """Add events, given in time order, with their links (role, person record)."""
        if self.hidden:
            links = {
                eid: [(role, pid) for role, pid in pairs if pid not in self.hidden]
                for eid, pairs in links.items()
            }
        key, place, linked, kind_of = self.key, self.places.get, links.get, EventType
        self.history.add_events(
            EventView(
                eid,
                kind_of(etype),
                at,
                ended,
                agency,
                kind,
                ref,
                place(loc, loc) if loc else None,
                summary,
                outcome,
                details or {},
                tuple(dict.fromkeys([(role, key(pid)) for role, pid in linked(eid, ())])),
            )
            for eid, etype, at, ended, agency, kind, ref, loc, summary, outcome, details in found
        )


def _links(found: Iterable[Any]) -> dict[str, list[tuple[str, str]]]:
    links: dict[str, list[tuple[str, str]]] = {}
    for eid, role, pid in found:
        links.setdefault(eid, []).append((role, str(pid)))
    return links


def _identity(session: Session, people: Iterable[str] | None) -> dict[str, str]:
    """Source person record -> master person, for ``people`` (everyone when None)."""
    columns = select(MasterMembership.person_id, MasterMembership.master_id)
    found = (
        rows(session, columns)
        if people is None
        else rows_in(session, columns, MasterMembership.person_id, people)
    )
    return {str(p): str(m) for p, m in found}


def _with_linked(session: Session, people: set[str]) -> set[str]:
    """``people`` with every other record linked to the same master persons."""
    masters = set(_identity(session, people).values())
    linked = rows_in(
        session, select(MasterMembership.person_id), MasterMembership.master_id, masters
    )
    return people | {str(p) for (p,) in linked}


def load_all(session: Session, progress: Progress | None = None) -> History:
    """Everything in the store, for a batch evaluation."""
    loader = _Loader(_identity(session, None), restricted_keys(session))
    loader.locations(rows(session, select(*LOCATION_COLUMNS)))
    loader.persons(rows(session, select(*PERSON_COLUMNS)))
    loader.finish_persons()
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
    people = _neighbours(session, _with_linked(session, seeds), locations)
    people = _with_linked(session, _neighbours(session, _with_linked(session, people), set()))
    return _load_people(session, people, event_ids=events)


def load_part(session: Session, people: Iterable[str], unlinked_events: Iterable[str]) -> History:
    """One part of the store (see ``parts.py``): its people, everything about them, their events,
    and the events nobody is linked to at the places they live.

    A part is closed: everyone linked to its events, related to its people or joined to them by
    linkage is in it, so each table is read once, by the part's people."""
    chosen = sorted(set(people))
    loader = _Loader(_identity(session, chosen), restricted_keys(session))
    links: dict[str, list[tuple[str, str]]] = {}
    for eid, role, pid in rows_in(
        session,
        select(EventLink.event_id, EventLink.role, EventLink.person_id),
        EventLink.person_id,
        chosen,
    ):
        links.setdefault(eid, []).append((role, str(pid)))
    loader.persons(rows_in(session, select(*PERSON_COLUMNS), Person.id, chosen))
    spells = list(rows_in(session, select(*SPELL_COLUMNS), PersonAddress.person_id, chosen))
    loader.relationships(rows_in(session, select(*TIE_COLUMNS), Relationship.person_id, chosen))
    loader.finish_persons()
    found = list(rows_in(session, select(*EVENT_COLUMNS), Event.id, [*links, *unlinked_events]))
    locations = {str(s[1]) for s in spells} | {str(e[7]) for e in found if e[7]}
    loader.locations(rows_in(session, select(*LOCATION_COLUMNS), Location.id, sorted(locations)))
    loader.spells(spells)
    found.sort(key=lambda r: (r[2], r[0]))
    loader.events(found, links)
    return loader.history


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
    loader = _Loader(_identity(session, people), restricted_keys(session))
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
    linked = _with_linked(session, linked)
    loader.identity.update(_identity(session, linked - set(loader.identity)))
    for chunk in _chunks(linked):
        loader.persons(rows(session, select(*PERSON_COLUMNS).where(Person.id.in_(chunk))))
    loader.finish_persons()
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

"""The children around an incident before it is recorded: who an officer must ask about.

Given the people an officer is dealing with and the address, these are exactly the children the
rules will see the incident touch once it is recorded (``engine.affected_children``): the children
among those people, the children living with them or in their care, and the children living at the
address, from any agency's records and across record linkage, on the day of the incident. Nothing
here decides who is a child or who lives with whom: the rules' own history and household answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.places import place_key
from childfirst.domain.vocab import EventType
from childfirst.rules.case import EventView, History
from childfirst.rules.engine import affected_children
from childfirst.rules.loader import _identity, _load_people, _neighbours, _with_linked
from childfirst.store.models import Location

INVOLVED = "involved"


@dataclass(frozen=True)
class ChildAround:
    """A child the incident touches, how, and the person records that are the child."""

    key: str  # the person as the rules know them: a master person, or a record not yet linked
    name: str
    date_of_birth: date | None
    age: int | None
    how: tuple[str, ...]
    records: tuple[str, ...]


def _place(session: Session, location: str | None) -> str | None:
    if location is None:
        return None
    row = session.execute(
        select(Location.address, Location.postcode, Location.uprn).where(Location.id == location)
    ).first()
    return place_key(row[0], row[1], row[2]) if row else None


def _connections(history: History, probe: EventView, child: str) -> tuple[str, ...]:
    found: list[str] = []
    if child in probe.people():
        found.append("named on the incident")
    for adult in dict.fromkeys(probe.people()):
        label = history.household(adult, probe.day).get(child)
        if label is not None and adult != child:
            person = history.persons.get(adult)
            found.append(f"{label} ({person.name if person else 'a person on the incident'})")
    if probe.location_id is not None and any(
        who == child and spell.covers(probe.day)
        for who, spell in history.residents.get(probe.location_id, [])
    ):
        found.append("lives at the address")
    return tuple(dict.fromkeys(found))


def children_around(
    session: Session, people: Collection[str], location: str | None, at: datetime
) -> list[ChildAround]:
    """The children an incident with ``people`` (person records) at ``location`` (a location
    record) at ``at`` touches, oldest first."""
    seeds = _with_linked(session, set(people))
    around = _neighbours(session, seeds, {location} if location else set())
    around = _with_linked(session, _neighbours(session, _with_linked(session, around), set()))
    history = _load_people(session, around | seeds, event_ids=[])
    identity = _identity(session, around | seeds)
    probe = EventView(
        "incident-being-recorded",
        EventType.CONCERN_FOR_CHILD,
        at,
        None,
        "",
        "",
        None,
        _place(session, location),
        None,
        None,
        {},
        tuple(dict.fromkeys((INVOLVED, identity.get(p, p)) for p in people)),
    )
    records: dict[str, list[str]] = {}
    for record in sorted(around | seeds):
        records.setdefault(identity.get(record, record), []).append(record)
    children = sorted(
        affected_children(history, probe),
        key=lambda c: (c.date_of_birth or date.max, c.name, c.key),
    )
    return [
        ChildAround(
            key=child.key,
            name=child.name,
            date_of_birth=child.date_of_birth,
            age=child.age_on(probe.day),
            how=_connections(history, probe, child.key),
            records=tuple(records.get(child.key, [child.key])),
        )
        for child in children
    ]

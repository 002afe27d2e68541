"""Splitting the store into parts no rule can see across, so a batch run holds one part at a time.

A rule judging an event for a child reads the people linked to the event, the people living with
the child or at the event's place, their relationships, and every event of all of these. So two
people end up in the same part when they are linked to the same event, live at the same place, are
related, or are records of one master person; an event goes with its people, or, when nobody is
linked to it, with the residents of the place where it happened. Events at a place where nobody
lives and with nobody linked to them touch no child, and belong to no part.

The groups so formed (connected components) are packed into parts of roughly equal size. In a
synthetic area of 30,000 people the largest group held about 200 events, so parts stay small
whatever the size of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from childfirst.domain.places import place_key
from childfirst.store.fetch import rows
from childfirst.store.models import (
    Event,
    EventLink,
    Location,
    MasterMembership,
    PersonAddress,
    Relationship,
)

# About this many event links per part: a few seconds of work, and a few tens of MiB of history.
PART_LINKS = 40_000


@dataclass
class Part:
    """People (source record ids) and the events no one is linked to that concern them."""

    people: list[str] = field(default_factory=list)
    unlinked_events: list[str] = field(default_factory=list)
    links: int = 0
    wanted: bool = False  # holds one of the events asked about


class _Groups:
    """Union-find over string keys, with path halving."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self.parent
        if key not in parent:
            parent[key] = key
            return key
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _places(session: Session) -> dict[str, str]:
    """Location record -> place key, for the locations someone lives at."""
    statement = (
        select(PersonAddress.location_id, Location.address, Location.postcode, Location.uprn)
        .join(Location, Location.id == PersonAddress.location_id)
        .distinct()
    )
    return {
        str(lid): "place:" + place_key(address, postcode, uprn)
        for lid, address, postcode, uprn in rows(session, statement)
    }


def partition(
    session: Session, part_links: int = PART_LINKS, wanted: set[str] | None = None
) -> list[Part]:
    """The store's people and events in parts that can be judged one at a time; with ``wanted``,
    only the parts holding those events."""
    groups = _Groups()
    places = _places(session)
    for person, master in rows(
        session, select(MasterMembership.person_id, MasterMembership.master_id)
    ):
        groups.join(str(person), "master:" + str(master))
    for person, location in rows(
        session, select(PersonAddress.person_id, PersonAddress.location_id)
    ):
        groups.join(str(person), places[str(location)])
    for person, other in rows(session, select(Relationship.person_id, Relationship.other_id)):
        groups.join(str(person), str(other))

    # Two plain scans joined here: far quicker than asking the database to join and sort.
    at_place: dict[str, str] = {}  # event -> the place it happened, where someone lives there
    for event_id, location in rows(
        session, select(Event.id, Event.location_id).where(Event.location_id.is_not(None))
    ):
        place = places.get(str(location))
        if place is not None:
            at_place[str(event_id)] = place
    links: dict[str, int] = {}
    first: dict[str, str] = {}  # event -> the first person linked to it
    for event_id, person in rows(
        session,
        select(EventLink.event_id, EventLink.person_id).where(EventLink.person_id.is_not(None)),
    ):
        person = str(person)
        links[person] = links.get(person, 0) + 1
        earlier = first.get(event_id)
        if earlier is None:
            first[event_id] = person
            place = at_place.get(event_id)
            if place is not None:
                groups.join(person, place)
        else:
            groups.join(person, earlier)
    unlinked = [(e, place) for e, place in at_place.items() if e not in first]
    marks = [  # a node in the group of each wanted event
        mark for e in sorted(wanted or ()) if (mark := first.get(e) or at_place.get(e)) is not None
    ]
    del at_place, first

    by_group: dict[str, Part] = {}
    for key in groups.parent:
        if key.startswith(("master:", "place:")):
            continue
        part = by_group.setdefault(groups.find(key), Part())
        part.people.append(key)
        part.links += links.get(key, 0)
    for event_id, place in unlinked:
        part = by_group.setdefault(groups.find(place), Part())
        part.unlinked_events.append(event_id)
        part.links += 1
    for mark in marks:
        by_group[groups.find(mark)].wanted = True
    chosen = [g for g in by_group.values() if wanted is None or g.wanted]
    return _pack(sorted(chosen, key=lambda g: min(g.people, default="")), part_links)


def _pack(groups: list[Part], part_links: int) -> list[Part]:
    """Groups packed in order into parts of about ``part_links`` links each."""
    parts: list[Part] = []
    current = Part()
    for group in groups:
        current.people.extend(group.people)
        current.unlinked_events.extend(group.unlinked_events)
        current.links += group.links
        current.wanted = current.wanted or group.wanted
        if current.links >= part_links:
            parts.append(current)
            current = Part()
    if current.people or current.unlinked_events:
        parts.append(current)
    return parts

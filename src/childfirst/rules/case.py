"""What a rule sees: one child's case as it stood when one event happened.

The history holds people, events, addresses and relationships; a ``Case`` reads it only up to the
moment of the event in hand, so a rule evaluated on an old event sees what was known then, whether it
runs as the event arrives or later in a batch. No view here carries any protected
characteristic: rules cannot read what they are not given.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from childfirst.domain.age import ADULT_AGE, age_at, birthday_in, latest_possible_birth
from childfirst.domain.clock import local_date
from childfirst.domain.vocab import DobPrecision, EventType, RelationshipType
from childfirst.rules.calendar import Calendar

CARER_TYPES = frozenset(
    {
        RelationshipType.PARENT,
        RelationshipType.STEP_PARENT,
        RelationshipType.CARER,
        RelationshipType.FOSTER_CARER,
    }
)
HOUSEHOLD_TYPES = frozenset(
    {RelationshipType.PARTNER, RelationshipType.HOUSEHOLD_MEMBER, RelationshipType.SIBLING}
)


@dataclass(frozen=True, slots=True)
class PersonView:
    key: str
    name: str
    date_of_birth: date | None
    dob_precision: DobPrecision
    sex: str
    # The first day on which the person is certainly an adult (None if the birth date is unknown).
    adult_on: date | None = field(init=False)

    def __post_init__(self) -> None:
        adult_on = None
        if self.date_of_birth is not None:
            latest = latest_possible_birth(self.date_of_birth, self.dob_precision)
            adult_on = birthday_in(latest.year + ADULT_AGE, latest)
        object.__setattr__(self, "adult_on", adult_on)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None or day < self.date_of_birth:
            return None
        return age_at(min(latest_possible_birth(self.date_of_birth, self.dob_precision), day), day)

    def is_child_on(self, day: date) -> bool:
        """Under 18 on ``day`` (the same answer as ``domain.age.is_child``, computed once)."""
        dob, adult_on = self.date_of_birth, self.adult_on
        return dob is not None and adult_on is not None and dob <= day < adult_on


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    type: EventType
    at: datetime
    ended_at: datetime | None
    agency: str
    agency_kind: str
    reference: str | None
    location_id: str | None
    summary: str | None
    outcome: str | None
    details: Mapping[str, object]
    links: tuple[tuple[str, str], ...]  # (role, person key)
    # A copy of the event as of the end of a wait it opened (``model.Wait``): ``at`` is then when
    # the wait ran out. It is not part of any history; rules judge it as the moment in hand.
    wake: bool = False
    day: date = field(init=False)  # the UK calendar date it happened: ages are counted on it

    def __post_init__(self) -> None:
        object.__setattr__(self, "day", local_date(self.at))

    @property
    def order(self) -> tuple[datetime, str]:
        return (self.at, self.id)

    def people(self, *roles: str) -> list[str]:
        return [key for role, key in self.links if not roles or role in roles]

    def roles_of(self, key: str) -> set[str]:
        return {role for role, who in self.links if who == key}

    @property
    def label(self) -> str:
        ref = f" {self.reference}" if self.reference else ""
        return f"{self.type.kind.label}{ref} on {self.day.isoformat()}"


@dataclass(frozen=True, slots=True)
class Spell:
    location_id: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Tie:
    """``person`` is ``kind`` of ``other`` between the dates."""

    person: str
    kind: RelationshipType
    other: str
    start: date | None
    end: date | None

    def active(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Connection:
    """Someone connected to the child on a date, and how."""

    person: PersonView
    how: str


Test = Callable[[EventView, str], bool]  # whether an event marks a person (violent, say)
HOUSEHOLD_CACHE = 100_000  # households remembered (person and day) before starting afresh


@dataclass(frozen=True, slots=True)
class Marked:
    """A person's events that pass one test, in time order, with their orders for bisection."""

    events: list[EventView]
    times: list[tuple[datetime, str]]


@dataclass
class History:
    """People, events, addresses and relationships, indexed for the questions rules ask."""

    persons: dict[str, PersonView] = field(default_factory=dict)
    events: dict[str, EventView] = field(default_factory=dict)
    by_person: dict[str, list[EventView]] = field(default_factory=dict)
    spells: dict[str, list[Spell]] = field(default_factory=dict)
    residents: dict[str, list[tuple[str, Spell]]] = field(default_factory=dict)
    ties: dict[str, list[Tie]] = field(default_factory=dict)
    _cache: dict[tuple[str, date], dict[str, str]] = field(default_factory=dict, repr=False)
    _times: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict, repr=False)
    _marks: dict[str, dict[Test, Marked]] = field(default_factory=dict, repr=False)
    _near: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _near_marks: dict[tuple[str, Test], list[tuple[datetime, str]]] = field(
        default_factory=dict, repr=False
    )

    def add_event(self, event: EventView) -> None:
        self.add_events([event])

    def add_events(self, events: Iterable[EventView]) -> None:
        """Add events, many at once as a load does, in any order."""
        events_by_id, by_person = self.events, self.by_person
        first_new: dict[str, int] = {}  # person -> where their new events start
        for event in events:
            events_by_id[event.id] = event
            for key in {who for _, who in event.links}:
                timeline = by_person.get(key)
                if timeline is None:
                    timeline = by_person[key] = []
                first_new.setdefault(key, len(timeline))
                timeline.append(event)
        for key, start in first_new.items():
            timeline = by_person[key]
            if any(
                timeline[i].order > timeline[i + 1].order
                for i in range(max(start - 1, 0), len(timeline) - 1)
            ):
                timeline.sort(key=lambda e: e.order)
            self._times.pop(key, None)
            self._marks.pop(key, None)
        if self._near_marks:
            self._near_marks.clear()

    def add_spell(self, person: str, spell: Spell) -> None:
        self.add_spells([(person, spell)])

    def add_spells(self, spells: Iterable[tuple[str, Spell]]) -> None:
        """Add addresses lived at, each with the person who lived there."""
        self._cache.clear()
        self._near.clear()
        self._near_marks.clear()
        by_person, by_place = self.spells, self.residents
        for person, spell in spells:
            if (held := by_person.get(person)) is None:
                by_person[person] = [spell]
            else:
                held.append(spell)
            if (living := by_place.get(spell.location_id)) is None:
                by_place[spell.location_id] = [(person, spell)]
            else:
                living.append((person, spell))

    def add_tie(self, tie: Tie) -> None:
        self._cache.clear()
        self._near.clear()
        self._near_marks.clear()
        self.ties.setdefault(tie.person, []).append(tie)
        self.ties.setdefault(tie.other, []).append(tie)

    def timeline(
        self, key: str, until: tuple[datetime, str], since: datetime | None = None
    ) -> list[EventView]:
        """The person's events up to ``until`` (an event's order), from ``since`` if given."""
        events = self.by_person.get(key)
        if not events:
            return []
        times = self._times.get(key)
        if times is None:
            times = self._times[key] = [e.order for e in events]
        start = 0 if since is None else bisect_left(times, (since, ""))
        return events[start : bisect_right(times, until)]

    def marked(
        self,
        key: str,
        what: Test,
        since: datetime | None,
        until: tuple[datetime, str] | None,
    ) -> list[EventView]:
        """The person's events between ``since`` and ``until`` for which ``what(event, key)``
        holds. Each person's events are tested once per test, however often rules ask."""
        marks = self._marks.get(key)
        if marks is None:
            marks = self._marks[key] = {}
        found = marks.get(what)
        if found is None:
            chosen = [e for e in self.by_person.get(key, ()) if what(e, key)]
            found = marks[what] = Marked(chosen, [e.order for e in chosen])
        if not found.events:
            return []
        start = 0 if since is None else bisect_left(found.times, (since, ""))
        end = len(found.times) if until is None else bisect_right(found.times, until)
        return found.events[start:end]

    def near(self, key: str) -> frozenset[str]:
        """Everyone who could ever be around the person: who lived where they lived at any time,
        who they were ever related to, and the partners of all of these. Rules use it to rule a
        case out cheaply before asking who was around on the day."""
        found = self._near.get(key)
        if found is None:
            near: set[str] = set()
            for spell in self.spells.get(key, ()):
                near.update(other for other, _ in self.residents.get(spell.location_id, ()))
            for tie in self.ties.get(key, ()):
                near.add(tie.other if tie.person == key else tie.person)
            for other in list(near):
                for tie in self.ties.get(other, ()):
                    if tie.kind is RelationshipType.PARTNER:
                        near.add(tie.other if tie.person == other else tie.person)
            near.discard(key)
            found = self._near[key] = frozenset(near)
        return found

    def near_times(self, key: str, what: Test) -> list[tuple[datetime, str]]:
        """When anyone ``near`` the person had an event for which ``what(event, that person)``
        holds, as event orders, oldest first."""
        times = self._near_marks.get((key, what))
        if times is None:
            found: set[tuple[datetime, str]] = set()
            for other in self.near(key):
                found.update(e.order for e in self.marked(other, what, None, None))
            times = self._near_marks[(key, what)] = sorted(found)
        return times

    def household(self, key: str, day: date) -> dict[str, str]:
        """Everyone in the person's household on ``day``, with how they are connected."""
        cached = self._cache.get((key, day))
        if cached is None:
            if len(self._cache) >= HOUSEHOLD_CACHE:
                self._cache.clear()
            cached = self._cache[(key, day)] = self._household(key, day)
        return cached

    def _household(self, key: str, day: date) -> dict[str, str]:
        found: dict[str, str] = {}
        for spell in self.spells.get(key, []):
            if spell.covers(day):
                for other, theirs in self.residents.get(spell.location_id, []):
                    if other != key and theirs.covers(day):
                        found.setdefault(other, "lives at the same address")
        for tie in self.ties.get(key, []):
            if not tie.active(day):
                continue
            other = tie.other if tie.person == key else tie.person
            label = tie.kind.value.replace("_", " ")
            if tie.kind in CARER_TYPES:
                found[other] = label if tie.person == other else "child in their care"
            elif tie.kind in HOUSEHOLD_TYPES:
                found[other] = label
        return found

    def associates(self, key: str, day: date) -> set[str]:
        return {
            (t.other if t.person == key else t.person)
            for t in self.ties.get(key, [])
            if t.kind is RelationshipType.ASSOCIATE and t.active(day)
        }


@dataclass
class Case:
    """One child, one event, and everything known up to that event."""

    child: PersonView
    trigger: EventView
    history: History
    calendar: Calendar = field(default_factory=Calendar)
    # The practice the case reviews criticise: each incident judged on its own, history unseen.
    incident_only: bool = False

    @property
    def until(self) -> tuple[datetime, str]:
        return self.trigger.order

    @property
    def day(self) -> date:
        return self.trigger.day

    def person(self, key: str) -> PersonView | None:
        return self.history.persons.get(key)

    def name(self, key: str) -> str:
        person = self.person(key)
        return person.name if person else "an unidentified person"

    def age(self, key: str | None = None) -> int | None:
        person = self.child if key is None else self.person(key)
        return None if person is None else person.age_on(self.day)

    def events(
        self,
        key: str | None = None,
        types: Iterable[EventType] | None = None,
        within: timedelta | None = None,
    ) -> list[EventView]:
        """The events of a person (the child by default) up to the event in hand, oldest first."""
        who = self.child.key if key is None else key
        since = self.trigger.at - within if within is not None else None
        if self.incident_only:
            timeline = [self.trigger] if who in self.trigger.people() else []
        else:
            timeline = self.history.timeline(who, self.until, since)
        if types is None:
            return timeline  # the trigger is within any window; the rest were cut by date
        wanted = frozenset(types)
        return [e for e in timeline if e.type in wanted]

    def marked(self, key: str, what: Test, within: timedelta | None = None) -> list[EventView]:
        """The person's events up to the event in hand (from ``within`` before it) for which
        ``what(event, key)`` holds, oldest first."""
        if self.incident_only:
            trigger = self.trigger
            return [trigger] if key in trigger.people() and what(trigger, key) else []
        since = self.trigger.at - within if within is not None else None
        return self.history.marked(key, what, since, self.until)

    def anyone_near_marked(self, what: Test, within: timedelta | None = None) -> bool:
        """Whether anyone who could ever be around the child has such an event: a quick way
        to rule a case out before working out who was around on the day."""
        if self.incident_only:
            return any(self.marked(key, what, within) for key in self.trigger.people())
        times = self.history.near_times(self.child.key, what)
        start = 0 if within is None else bisect_left(times, (self.trigger.at - within, ""))
        return start < len(times) and times[start] <= self.until

    @property
    def opened(self) -> EventView | None:
        """When the case is judged at the end of a wait (``model.Wait``), the event that opened
        the wait, as the history holds it; else None."""
        return self.history.events.get(self.trigger.id) if self.trigger.wake else None

    def lives_at(self, location_id: str | None, key: str | None = None) -> bool:
        """Whether the person (the child by default) lived at the location on the day."""
        who = self.child.key if key is None else key
        return location_id is not None and any(
            spell.location_id == location_id and spell.covers(self.day)
            for spell in self.history.spells.get(who, [])
        )

    def household(self) -> list[Connection]:
        return list(self._household)

    @cached_property
    def _household(self) -> tuple[Connection, ...]:
        found = self.history.household(self.child.key, self.day)
        return tuple(
            Connection(person, how)
            for key, how in sorted(found.items())
            if (person := self.person(key)) is not None
        )

    def adults_around(self) -> list[Connection]:
        """The adults in the child's household on the day, and the partners of the child's carers."""
        return list(self._adults_around)

    @cached_property
    def _adults_around(self) -> tuple[Connection, ...]:
        around = {c.person.key: c for c in self.household() if not c.person.is_child_on(self.day)}
        for connection in list(around.values()):
            carer = connection.person.key
            for tie in self.history.ties.get(carer, []):
                if tie.kind is not RelationshipType.PARTNER or not tie.active(self.day):
                    continue
                key = tie.other if tie.person == carer else tie.person
                person = self.person(key)
                if (
                    person
                    and key != self.child.key
                    and key not in around
                    and not person.is_child_on(self.day)
                ):
                    around[key] = Connection(person, f"partner of {connection.person.name}")
        return tuple(around.values())

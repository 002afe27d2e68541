"""The true state of the synthetic area: people, households, addresses and how they change.

Days are proleptic ordinals (``date.toordinal()``) so that comparisons in the hot path are integer
comparisons. An open-ended spell ends on ``OPEN``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

OPEN = 10**7

# Person flags: background propensities set when the population is built.
DA_PRONE = 1  # a relationship in which domestic abuse recurs
VIOLENT = 2  # a history of violence towards others
SUBSTANCE = 4  # problem drug or alcohol use
VULNERABLE = 8  # a child whose family is known to struggle (higher referral and missing rates)
SCRIPTED = 16  # part of a planted trajectory or decoy: background safeguarding processes skip it
FOSTER_CARER = 32
STAFF = 64  # works in a children's home

ENGLAND = "england_and_wales"
SCOTLAND = "scotland"


@dataclass(slots=True)
class Address:
    aid: int
    number: str
    street: str
    town: str
    postcode: str
    jurisdiction: str
    kind: str = "dwelling"  # a LocationRecord location_type
    uprn: str = ""


@dataclass(slots=True)
class Person:
    pid: int
    sex: str
    dob: int
    given: str
    middle: str | None
    surnames: list[tuple[int, str]]  # (from day, surname), in order
    ethnicity: str
    community: str
    mother: int | None = None
    father: int | None = None
    homes: list[list[int]] = field(default_factory=list)  # [household id, from, to]
    died: int | None = None
    flags: int = 0

    def surname_on(self, day: int) -> str:
        name = self.surnames[0][1]
        for start, surname in self.surnames:
            if start <= day:
                name = surname
        return name

    def household_on(self, day: int) -> int | None:
        homes = self.homes
        if len(homes) == 1:
            spell = homes[0]
            return spell[0] if spell[1] <= day < spell[2] else None
        for hid, start, end in homes:
            if start <= day < end:
                return hid
        return None

    def age_on(self, day: int) -> int:
        return int((day - self.dob) / 365.2425)

    def alive_on(self, day: int) -> bool:
        return self.dob <= day and (self.died is None or day < self.died)


@dataclass(slots=True)
class Household:
    hid: int
    addresses: list[list[int]]  # [address id, from, to]
    members: list[int] = field(default_factory=list)  # everyone ever resident
    kind: str = "family"  # family | foster | childrens_home
    scripted: bool = False

    def address_on(self, day: int) -> int:
        for aid, start, end in self.addresses:
            if start <= day < end:
                return aid
        return self.addresses[-1][0] if day >= self.addresses[-1][1] else self.addresses[0][0]


@dataclass(slots=True)
class Partnership:
    a: int
    b: int
    start: int
    end: int = OPEN
    married: bool = False


@dataclass(slots=True)
class CareSpell:
    child: int
    start: int
    end: int
    placement: int  # household id of the foster family or children's home
    reason: str


@dataclass
class World:
    start: int
    end: int
    people: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    care: list[CareSpell] = field(default_factory=list)
    care_of: dict[int, list[CareSpell]] = field(default_factory=dict)
    partners_of: dict[int, list[int]] = field(default_factory=dict)  # pid -> partnership indexes
    children_of: dict[int, list[int]] = field(default_factory=dict)
    streets: dict[str, list[str]] = field(default_factory=dict)  # town -> streets
    # Homes already given out, as (town, street, number), so no two homes share an address; when
    # a town's streets fill up, new streets are built (town -> streets added, in order).
    taken: set[tuple[str, str, str]] = field(default_factory=set)
    new_streets: dict[str, list[str]] = field(default_factory=dict)
    next_new_street: dict[tuple[str, str], int] = field(default_factory=dict)
    staff: dict[int, list[int]] = field(default_factory=dict)  # children's home -> staff
    _last_key: tuple[int, int] = (-1, -1)
    _last_address: Address | None = None

    def add_person(self, person: Person) -> Person:
        self.people.append(person)
        for parent in (person.mother, person.father):
            if parent is not None:
                self.children_of.setdefault(parent, []).append(person.pid)
        return person

    def move_in(self, pid: int, hid: int, day: int) -> None:
        person = self.people[pid]
        self._last_key = (-1, -1)
        if person.homes and person.homes[-1][2] > day:
            person.homes[-1][2] = day
        person.homes.append([hid, day, OPEN])
        members = self.households[hid].members
        if pid not in members:
            members.append(pid)

    def partner(self, a: int, b: int, day: int, married: bool = False) -> Partnership:
        ship = Partnership(a, b, day, OPEN, married)
        self.partnerships.append(ship)
        idx = len(self.partnerships) - 1
        self.partners_of.setdefault(a, []).append(idx)
        self.partners_of.setdefault(b, []).append(idx)
        return ship

    def residents(self, hid: int, day: int) -> list[int]:
        people = self.people
        return [
            pid
            for pid in self.households[hid].members
            if people[pid].household_on(day) == hid and people[pid].alive_on(day)
        ]

    def current_partner(self, pid: int, day: int) -> int | None:
        for idx in self.partners_of.get(pid, ()):
            ship = self.partnerships[idx]
            if ship.start <= day < ship.end:
                return ship.b if ship.a == pid else ship.a
        return None

    def ex_partners(self, pid: int, day: int) -> list[int]:
        out = []
        for idx in self.partners_of.get(pid, ()):
            ship = self.partnerships[idx]
            if ship.end <= day:
                out.append(ship.b if ship.a == pid else ship.a)
        return out

    def address_of(self, pid: int, day: int) -> Address | None:
        if self._last_key == (pid, day):
            return self._last_address
        hid = self.people[pid].household_on(day)
        found = None if hid is None else self.addresses[self.households[hid].address_on(day)]
        self._last_key = (pid, day)
        self._last_address = found
        return found

    def add_care(self, spell: CareSpell) -> None:
        self.care.append(spell)
        self.care_of.setdefault(spell.child, []).append(spell)

    def in_care_on(self, pid: int, day: int) -> CareSpell | None:
        for spell in self.care_of.get(pid, ()):
            if spell.start <= day < spell.end:
                return spell
        return None


def day(d: date) -> int:
    return d.toordinal()


_ISO: dict[int, str] = {}


def iso(ordinal: int) -> str:
    """ISO date text for a day ordinal, cached: the same few thousand days recur many times."""
    text = _ISO.get(ordinal)
    if text is None:
        text = date.fromordinal(ordinal).isoformat()
        _ISO[ordinal] = text
    return text


def stamp(ordinal: int, minute_of_day: int) -> str:
    """A naive timestamp, read as UK local time by the importer; minutes may run past midnight."""
    ordinal += minute_of_day // 1440
    minute_of_day %= 1440
    return f"{iso(ordinal)}T{minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00"


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw by inversion; fine for the small rates used here."""
    if lam <= 0:
        return 0
    threshold = rng.random()
    k = 0
    p = pow(2.718281828459045, -lam)
    cum = p
    while threshold > cum and k < 60:
        k += 1
        p *= lam / k
        cum += p
    return k

"""The resident population at the start of the history: addresses, households and people.

Household make-up follows the shape of the 2021 Census for England and Wales (about 30% one-person
households, about 2.4 people per household, about a fifth of residents under 18). Ethnicity is drawn
from its own random stream and only chooses the name pools; nothing else reads it.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import date

from childfirst.synth.names import COMMUNITY_OF_ETHNICITY, Names
from childfirst.synth.world import (
    DA_PRONE,
    ENGLAND,
    FOSTER_CARER,
    OPEN,
    SCOTLAND,
    STAFF,
    SUBSTANCE,
    VIOLENT,
    VULNERABLE,
    Address,
    Household,
    Person,
    World,
)

# 2021 Census, England and Wales, self-defined ethnic group (per cent of residents).
ETHNICITY_SHARES: dict[str, float] = {
    "white_british": 74.4,
    "white_irish": 0.9,
    "white_gypsy_irish_traveller": 0.1,
    "white_roma": 0.2,
    "white_other": 6.2,
    "mixed_white_black_caribbean": 0.8,
    "mixed_white_black_african": 0.4,
    "mixed_white_asian": 0.8,
    "mixed_other": 0.7,
    "asian_indian": 3.1,
    "asian_pakistani": 2.7,
    "asian_bangladeshi": 1.1,
    "asian_chinese": 0.7,
    "asian_other": 1.6,
    "black_african": 2.5,
    "black_caribbean": 1.0,
    "black_other": 0.5,
    "other_arab": 0.6,
    "other_any": 1.6,
}
_ETH = list(ETHNICITY_SHARES)
_ETH_CUM = list(itertools.accumulate(ETHNICITY_SHARES.values()))

# Towns either side of the border: (name, postcode area and districts, jurisdiction, weight).
TOWNS: list[tuple[str, str, str, float]] = [
    ("Northmoor", "NM1 NM2 NM3 NM4", ENGLAND, 0.34),
    ("Harrowby", "NM5 NM6", ENGLAND, 0.14),
    ("Kelsholme", "NM7", ENGLAND, 0.12),
    ("Brackenthwaite", "NM8 NM9", ENGLAND, 0.10),
    ("Glenmuir", "SB1 SB2", SCOTLAND, 0.16),
    ("Ardlaw", "SB3", SCOTLAND, 0.08),
    ("Kirkbride", "SB4", SCOTLAND, 0.06),
]
_TOWN_CUM = list(itertools.accumulate(t[3] for t in TOWNS))
SUFFIXES = ["Road", "Street", "Lane", "Avenue", "Close", "Terrace", "Drive", "Crescent", "Way"]
SUFFIXES += ["Gardens", "Court", "Grove", "Place", "View"]
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"
HOUSEHOLD_TYPES = [
    ("single", 0.30),
    ("couple", 0.27),
    ("couple_children", 0.19),
    ("lone_parent", 0.10),
    ("multi_adult", 0.10),
    ("step_family", 0.04),
]
_HH_CUM = list(itertools.accumulate(w for _, w in HOUSEHOLD_TYPES))


@dataclass
class Builder:
    """Creates addresses and people; shared by the population, life-course and trajectory code."""

    world: World
    names: Names
    rng: random.Random  # structure: who lives where, ages, sexes, flags
    name_rng: random.Random
    eth_rng: random.Random

    def ethnicity(self) -> str:
        return _ETH[bisect.bisect(_ETH_CUM, self.eth_rng.random() * _ETH_CUM[-1])]

    def town(self, jurisdiction: str | None = None) -> tuple[str, str, str, float]:
        while True:
            town = TOWNS[bisect.bisect(_TOWN_CUM, self.rng.random() * _TOWN_CUM[-1])]
            if jurisdiction is None or town[2] == jurisdiction:
                return town

    def address(self, jurisdiction: str | None = None, kind: str = "dwelling") -> Address:
        name, districts, juris, _ = self.town(jurisdiction)
        streets = self.world.streets.get(name)
        if streets is None:
            picks = self.rng.sample(self.names.streets, 24)
            streets = [f"{s} {self.rng.choice(SUFFIXES)}" for s in picks]
            self.world.streets[name] = streets
        idx = self.rng.randrange(len(streets))
        street = streets[idx]
        district = districts.split()[idx % len(districts.split())]
        number = self.rng.randint(1, 160)
        unit = f"{idx % 9 + 1}{_UNIT[(idx * 7 + number // 20) % 20]}{_UNIT[number % 20]}"
        num = str(number)
        if kind == "dwelling" and self.rng.random() < 0.12:
            num = f"Flat {self.rng.randint(1, 12)}, {number}"
        street = self._free_street(name, streets, street, num)
        aid = len(self.world.addresses)
        uprn = str(100_070_000_000 + aid * 37 + self.rng.randrange(30))
        addr = Address(aid, num, street, name, f"{district} {unit}", juris, kind, uprn)
        self.world.addresses.append(addr)
        return addr

    def _free_street(self, town: str, streets: list[str], street: str, number: str) -> str:
        """``street``, unless that number on it is already someone's home: then the same number
        on a newer street of the town. Two homes never share an address (agencies would rightly
        read them as one household). No random draw is spent, so the rest of the area is the
        same as it would be without the clash."""
        taken = self.world.taken
        if (town, street, number) not in taken:
            taken.add((town, street, number))
            return street
        built = self.world.new_streets.setdefault(town, [])
        index = self.world.next_new_street.get((town, number), 0)
        self.world.next_new_street[(town, number)] = index + 1
        names = self.names.streets
        while len(built) <= index:  # build the next street, named in a fixed order
            k = len(streets) + len(built)
            built.append(f"{names[k % len(names)]} {SUFFIXES[(k // len(names)) % len(SUFFIXES)]}")
            if built[-1] in streets or built[-1] in built[:-1]:
                built[-1] = f"{built[-1]} {len(built)}"
        taken.add((town, built[index], number))
        return built[index]

    def household(
        self, day: int, jurisdiction: str | None = None, kind: str = "family"
    ) -> Household:
        addr = self.address(
            jurisdiction, "childrens_home" if kind == "childrens_home" else "dwelling"
        )
        hh = Household(len(self.world.households), [[addr.aid, day, OPEN]], kind=kind)
        self.world.households.append(hh)
        return hh

    def person(
        self,
        sex: str,
        dob: int,
        ethnicity: str,
        surname: str | None = None,
        mother: int | None = None,
        father: int | None = None,
    ) -> Person:
        community = COMMUNITY_OF_ETHNICITY[ethnicity]
        year = date.fromordinal(dob).year
        given = self.names.given(self.name_rng, community, sex, year)
        middle = None
        if self.name_rng.random() < 0.7:
            middle = self.names.given(self.name_rng, community, sex, year)
            if middle == given:
                middle = None
        if surname is None:
            surname = self.names.surname(self.name_rng, community)
        person = Person(
            len(self.world.people),
            sex,
            dob,
            given,
            middle,
            [(dob, surname)],
            ethnicity,
            community,
            mother,
            father,
        )
        return self.world.add_person(person)

    def adult_dob(self, day: int, low: int = 18, high: int = 90) -> int:
        age = low + (high - low) * self.rng.random() ** 1.15
        return day - int(age * 365.25) - self.rng.randrange(365)

    def sex(self) -> str:
        return "female" if self.rng.random() < 0.51 else "male"

    def adult(self, day: int, sex: str, eth: str, low: int = 18, high: int = 90) -> Person:
        person = self.person(sex, self.adult_dob(day, low, high), eth)
        r = self.rng.random()
        if r < 0.04 and person.age_on(day) < 62:
            person.flags |= SUBSTANCE
        if self.rng.random() < (0.035 if sex == "male" else 0.006):
            person.flags |= VIOLENT
        return person

    def child_of(self, mother: Person, father: Person | None, dob: int, surname: str) -> Person:
        eth = mother.ethnicity
        if father is not None and father.ethnicity != eth and self.eth_rng.random() < 0.6:
            eth = "mixed_other" if self.eth_rng.random() < 0.5 else father.ethnicity
        return self.person(
            self.sex(), dob, eth, surname, mother.pid, None if father is None else father.pid
        )


def build(builder: Builder, target_people: int) -> None:
    """Fill the area with households until it holds about ``target_people`` residents."""
    world, rng, start = builder.world, builder.rng, builder.world.start
    while len(world.people) < target_people:
        kind = HOUSEHOLD_TYPES[bisect.bisect(_HH_CUM, rng.random() * _HH_CUM[-1])][0]
        eth = builder.ethnicity()
        hh = builder.household(start - rng.randrange(3650))
        moved_in = hh.addresses[0][1]
        if kind == "single":
            adult = builder.adult(start, builder.sex(), eth)
            world.move_in(adult.pid, hh.hid, min(moved_in, start))
            continue
        if kind == "multi_adult" and rng.random() < 0.4:
            for _ in range(rng.randint(2, 4)):
                sharer = builder.adult(start, builder.sex(), builder.ethnicity(), 19, 35)
                world.move_in(sharer.pid, hh.hid, start - rng.randrange(900))
            continue
        woman, man = _couple(builder, eth, kind)
        together = max(woman.dob, man.dob) + int(365.25 * (19 + rng.random() * 8))
        together = min(together, start - rng.randrange(30, 3000))
        married = rng.random() < 0.55
        # Drawn whatever the names, so that names (and so ethnicity) never steer the structure.
        takes_name, name_day = rng.random() < 0.8, together + rng.randrange(400)
        if married and woman.community == man.community and takes_name:
            woman.surnames.append((name_day, man.surnames[0][1]))
        ship = world.partner(woman.pid, man.pid, together, married)
        world.move_in(woman.pid, hh.hid, min(moved_in, start))
        if kind == "lone_parent":
            ship.end = start - rng.randrange(60, 2500)
            _children(builder, hh.hid, woman, man, ship.start, ship.end, married)
            if rng.random() < 0.6:  # the father still lives locally
                own = builder.household(ship.end, hh_juris(builder, hh.hid))
                world.move_in(man.pid, own.hid, ship.end)
            if rng.random() < 0.18:
                man.flags |= DA_PRONE
            continue
        world.move_in(man.pid, hh.hid, min(moved_in, start))
        if kind == "step_family":
            father = builder.adult(start, "male", eth, 22, 55)
            first = world.partner(woman.pid, father.pid, together - 3000, False)
            first.end = together - rng.randrange(60, 600)
            first.start = first.end - rng.randrange(1500, 4000)
            _children(builder, hh.hid, woman, father, first.start, first.end, False)
            own = builder.household(first.end, hh_juris(builder, hh.hid))
            world.move_in(father.pid, own.hid, first.end)
            for pid in world.children_of.get(woman.pid, []):
                if rng.random() < 0.15:  # took the step-father's surname
                    world.people[pid].surnames.append((together + 400, man.surnames[0][1]))
        if kind in ("couple_children", "step_family", "multi_adult"):
            _children(
                builder, hh.hid, woman, man, together, start, married, adult=kind == "multi_adult"
            )
        elif rng.random() < 0.02 and 35 < woman.age_on(start) < 66:
            hh.kind = "foster"
            woman.flags |= FOSTER_CARER
            man.flags |= FOSTER_CARER
        if rng.random() < 0.09:
            (man if rng.random() < 0.8 else woman).flags |= DA_PRONE
    _childrens_homes(builder)


def hh_juris(builder: Builder, hid: int) -> str:
    hh = builder.world.households[hid]
    return builder.world.addresses[hh.addresses[0][0]].jurisdiction


def _couple(builder: Builder, eth: str, kind: str) -> tuple[Person, Person]:
    rng, start = builder.rng, builder.world.start
    low, high = (20, 50) if kind in ("couple_children", "lone_parent", "step_family") else (20, 85)
    if kind == "multi_adult":
        low, high = 40, 70
    woman = builder.adult(start, "female", eth, low, high)
    other_eth = eth if rng.random() < 0.9 else builder.ethnicity()
    man = builder.person("male", woman.dob - int(365 * rng.gauss(2.5, 3)), other_eth)
    if rng.random() < 0.035:
        man.flags |= VIOLENT
    if rng.random() < 0.04 and man.age_on(start) < 62:
        man.flags |= SUBSTANCE
    return woman, man


def _children(
    builder: Builder,
    hid: int,
    mother: Person,
    father: Person,
    begin: int,
    until: int,
    married: bool,
    adult: bool = False,
) -> None:
    rng, world, start = builder.rng, builder.world, builder.world.start
    count = 1 + (rng.random() < 0.55) + (rng.random() < 0.2) + (rng.random() < 0.05)
    fertile_from = max(begin, mother.dob + int(365.25 * 18))
    fertile_to = min(until, mother.dob + int(365.25 * 44), start - 30)
    if adult:
        fertile_to = min(fertile_to, start - int(365.25 * 18.5))
    elif fertile_to > start - int(365.25 * 17.5):
        fertile_from = max(fertile_from, start - int(365.25 * 17.5))
    if fertile_to <= fertile_from:
        return
    surname = father.surnames[0][1] if married or rng.random() < 0.6 else mother.surname_on(start)
    if not married and rng.random() < 0.05:
        surname = f"{mother.surnames[0][1]}-{father.surnames[0][1]}"
    vulnerable = bool((mother.flags | father.flags) & (DA_PRONE | SUBSTANCE)) or rng.random() < 0.06
    for _ in range(count):
        dob = rng.randrange(fertile_from, fertile_to)
        child = builder.child_of(mother, father, dob, surname)
        if vulnerable:
            child.flags |= VULNERABLE
        world.move_in(child.pid, hid, dob)


def _childrens_homes(builder: Builder) -> None:
    """Residential children's homes, with staff who live elsewhere in the area."""
    world = builder.world
    count = max(1, len(world.people) // 15000)
    for i in range(count):
        juris = SCOTLAND if i % 4 == 3 else ENGLAND
        home = builder.household(world.start - 5000, juris, "childrens_home")
        names = ["Oakfield House", "Rowan Lodge", "The Beeches", "Fellside", "Willow Bank"]
        addr = world.addresses[home.addresses[0][0]]
        addr.number = f"{names[i % len(names)]}{'' if i < len(names) else f' {i}'}, {addr.number}"
        staff = [p for p in world.people[-400:] if 25 < p.age_on(world.start) < 60 and p.homes]
        for person in builder.rng.sample(staff, min(4, len(staff))):
            person.flags |= STAFF
            world.staff.setdefault(home.hid, []).append(person.pid)

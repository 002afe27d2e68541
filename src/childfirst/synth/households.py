"""How households change over the years: births, separations, new partners, moves, care, deaths.

Yearly hazards (rough national orders of magnitude): about 7% of women aged 18-44 in a couple give
birth in a year; about 3.5% of couples separate; about 10% of lone parents take a new partner who
moves in; about 9% of households move; children start to be looked after at about 27 per 10,000 a
year (DfE: about 33,000 starts a year for 12 million children), far more often in families already
struggling. Households in a planted trajectory are left to their script.
"""

from __future__ import annotations

from childfirst.synth.population import Builder, hh_juris
from childfirst.synth.world import (
    DA_PRONE,
    ENGLAND,
    OPEN,
    SCOTLAND,
    SCRIPTED,
    SUBSTANCE,
    VIOLENT,
    VULNERABLE,
    CareSpell,
    Household,
)

YEAR = 365


def evolve(builder: Builder) -> None:
    world = builder.world
    homes = [h for h in world.households if h.kind == "childrens_home"]
    homes.extend(h for h in world.households if h.kind == "foster")
    _already_in_care(builder, homes)
    first = world.start
    while first < world.end:
        last = min(first + YEAR, world.end + 1)
        for hh in list(world.households):
            if hh.kind != "family" or hh.scripted:
                continue
            residents = world.residents(hh.hid, first)
            if not residents:
                continue
            _household_year(builder, hh, residents, first, last, homes)
        first = last


def _household_year(
    builder: Builder,
    hh: Household,
    residents: list[int],
    first: int,
    last: int,
    homes: list[Household],
) -> None:
    world, rng = builder.world, builder.rng
    people = world.people
    adults = [p for p in residents if people[p].age_on(first) >= 18]
    children = [p for p in residents if people[p].age_on(first) < 18]
    when = rng.randrange(first, last)
    for pid in adults:
        person = people[pid]
        age = person.age_on(first)
        hazard = 0.002 if age < 60 else 0.012 if age < 75 else 0.05 if age < 85 else 0.14
        if rng.random() < hazard:
            person.died = rng.randrange(first, last)
    partner_pairs = [(p, world.current_partner(p, first)) for p in adults]
    couple = next(
        ((a, b) for a, b in partner_pairs if b in adults and people[a].sex == "female"), None
    )
    if couple is not None:
        woman, man = people[couple[0]], people[couple[1]]
        if 18 <= woman.age_on(first) <= 44 and rng.random() < 0.07:
            _birth(builder, hh, woman.pid, man.pid, when)
        elif rng.random() < 0.035:
            _separate(builder, hh, woman.pid, man.pid, when)
            return
    elif children and len(adults) == 1 and rng.random() < 0.10:
        _new_partner(builder, hh, adults[0], children, when)
    if rng.random() < 0.09:
        _move(builder, hh, when)
    for pid in children:
        vulnerable = people[pid].flags & VULNERABLE
        if world.in_care_on(pid, first) is None and rng.random() < (0.015 if vulnerable else 5e-4):
            _into_care(builder, pid, hh, rng.randrange(first, last), homes)


def _birth(builder: Builder, hh: Household, mother: int, father: int, dob: int) -> None:
    world = builder.world
    mum, dad = world.people[mother], world.people[father]
    siblings = [c for c in world.children_of.get(mother, []) if world.people[c].father == father]
    surname = world.people[siblings[0]].surname_on(dob) if siblings else dad.surname_on(dob)
    child = builder.child_of(mum, dad, dob, surname)
    if (mum.flags | dad.flags) & (DA_PRONE | SUBSTANCE):
        child.flags |= VULNERABLE
    world.move_in(child.pid, hh.hid, dob)


def _separate(builder: Builder, hh: Household, woman: int, man: int, day: int) -> None:
    world, rng = builder.world, builder.rng
    for idx in world.partners_of.get(woman, []):
        ship = world.partnerships[idx]
        if man in (ship.a, ship.b) and ship.end == OPEN:
            ship.end = day
    leaver = man if rng.random() < 0.85 else woman
    juris = hh_juris(builder, hh.hid)
    if rng.random() < 0.05:
        juris = SCOTLAND if juris == ENGLAND else ENGLAND
    own = builder.household(day, juris)
    world.move_in(leaver, own.hid, day)


def _new_partner(
    builder: Builder, hh: Household, parent: int, children: list[int], day: int
) -> None:
    world, rng = builder.world, builder.rng
    me = world.people[parent]
    sex = "male" if me.sex == "female" else "female"
    low = max(18, me.age_on(day) - 8)
    newcomer = builder.adult(
        day, sex, me.ethnicity if rng.random() < 0.85 else builder.ethnicity(), low, low + 14
    )
    if rng.random() < 0.10:
        newcomer.flags |= DA_PRONE
    if newcomer.flags & (DA_PRONE | VIOLENT | SUBSTANCE):
        for child in children:
            world.people[child].flags |= VULNERABLE
    world.partner(parent, newcomer.pid, day - rng.randrange(60, 500))
    world.move_in(newcomer.pid, hh.hid, day)
    for child in children:
        if world.people[child].age_on(day) < 6 and rng.random() < 0.2:
            world.people[child].surnames.append(
                (day + rng.randrange(200, 700), newcomer.surnames[0][1])
            )


def _move(builder: Builder, hh: Household, day: int) -> None:
    rng = builder.rng
    juris = hh_juris(builder, hh.hid)
    if rng.random() < 0.05:
        juris = SCOTLAND if juris == ENGLAND else ENGLAND
    addr = builder.address(juris)
    hh.addresses[-1][2] = day
    hh.addresses.append([addr.aid, day, OPEN])


def _into_care(
    builder: Builder, child: int, home: Household, day: int, homes: list[Household]
) -> None:
    world, rng = builder.world, builder.rng
    age = world.people[child].age_on(day)
    juris = hh_juris(builder, home.hid)
    residential = [h for h in homes if h.kind == "childrens_home"]
    fosters = [h for h in homes if h.kind == "foster"]
    if age >= 11 and residential and rng.random() < 0.35:
        placement = rng.choice(
            [h for h in residential if hh_juris(builder, h.hid) == juris] or residential
        )
    else:
        placement = rng.choice(fosters) if fosters else builder.household(day, juris, "foster")
    length = int(rng.expovariate(1 / 500)) + 30
    adult_day = world.people[child].dob + int(18 * 365.25)
    end = min(day + length, adult_day)
    reason = rng.choice(["abuse or neglect"] * 6 + ["family dysfunction", "family in acute stress"])
    world.add_care(CareSpell(child, day, end if end < world.end else OPEN, placement.hid, reason))
    world.move_in(child, placement.hid, day)
    if end < world.end:
        world.move_in(
            child, home.hid if end < adult_day else builder.household(end, juris).hid, end
        )


def _already_in_care(builder: Builder, homes: list[Household]) -> None:
    """The children already looked after when the history opens (about 70 per 10,000)."""
    world, rng = builder.world, builder.rng
    for person in list(world.people):
        if person.flags & SCRIPTED or not person.homes or person.age_on(world.start) >= 18:
            continue
        chance = 0.035 if person.flags & VULNERABLE else 0.0012
        hid = person.household_on(world.start)
        if hid is None or world.households[hid].kind != "family" or rng.random() >= chance:
            continue
        began = world.start - rng.randrange(30, 900)
        _into_care(builder, person.pid, world.households[hid], max(began, person.dob + 1), homes)

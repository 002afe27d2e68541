"""Everyday volume: the crime, calls, school and hospital records that surround safeguarding work.

Yearly rates are per person unless stated, set to national orders of magnitude: police in England
and Wales log roughly one incident for every three residents a year and about one crime for every
ten; emergency departments see roughly one attendance for every two or three residents a year.
"""

from __future__ import annotations

import random

from childfirst.synth import text
from childfirst.synth.area import Area
from childfirst.synth.sources import Source
from childfirst.synth.world import ENGLAND, SUBSTANCE, VIOLENT, VULNERABLE, poisson

CHILD_OVERNIGHT = 1 / 3  # FOI study 2019: about a third of arrested children held overnight
ADULT_OVERNIGHT = 0.45
OUTCOMES = {
    "theft": [
        "no further action: no suspect identified",
        "filed: no lines of enquiry",
        "no further action: insufficient evidence",
        "community resolution",
    ],
    "arrest": [
        "released under investigation",
        "charged and bailed to court",
        "no further action: insufficient evidence",
        "released on police bail",
        "cautioned",
        "community resolution",
        "charged and remanded",
    ],
}


def minute(rng: random.Random, evening: bool = False) -> int:
    if evening:
        return (17 * 60 + int(rng.random() * 9 * 60)) % 1440
    return 7 * 60 + int(rng.random() * 16 * 60)


def arrest(
    area: Area,
    src: Source,
    rng: random.Random,
    pid: int,
    day: int,
    at: int,
    offence: str,
    group: str,
    overnight: float | None = None,
    adult_present: int | None = None,
    outcome: str | None = None,
) -> tuple[str, str]:
    """An arrest and the custody record that follows it. Returns both event ids."""
    world = area.world
    person = world.people[pid]
    age = person.age_on(day)
    sid = src.person(pid, day)
    juris = src.agency.jurisdiction or ENGLAND
    where = area.home(src, pid, day)
    arrest_id = src.event(
        "arrest",
        day,
        at,
        where,
        [("suspect", sid)],
        f"{src.name(sid)} arrested on suspicion of {offence}.",
        None,
        {"offence": offence, "offence_group": group},
    )
    if overnight is None:
        overnight = CHILD_OVERNIGHT if age < 18 else ADULT_OVERNIGHT
    stays = rng.random() < overnight
    held = 180 + int(rng.random() * 300) + (720 if stays else 0)
    links = [("detainee", sid)]
    details: dict[str, object] = {"overnight": stays, "offence": offence, "arrest_ref": arrest_id}
    if age < 18:
        carer = adult_present
        if carer is None:
            carer = person.mother if person.mother is not None else person.father
        if carer is not None and world.people[carer].alive_on(day):
            links.append(("appropriate_adult", src.person(carer, day)))
        details["appropriate_adult_called"] = True
    src.event(
        "custody_detention",
        day,
        at + 40,
        area.custody(src, juris),
        links,
        f"Detained for {offence}. "
        f"{'Kept overnight, interview in the morning.' if stays else 'Interviewed and released.'}",
        outcome or rng.choice(OUTCOMES["arrest"]),
        details,
        ended=(day, at + 40 + held),
    )
    return arrest_id, sid


def background(area: Area) -> None:
    world = area.world
    rng = area.rng("background")
    first = world.start
    while first <= world.end:
        last = min(first + 365, world.end + 1)
        span = (last - first) / 365
        for person in world.people:
            if person.dob >= last or (person.died is not None and person.died <= first):
                continue
            if not person.homes or person.homes[-1][1] >= last:
                continue
            low = max(first, person.dob)
            day = low + int(rng.random() * (last - low))
            if person.household_on(day) is None:
                continue
            age = person.age_on(day)
            _health(area, rng, person.pid, age, day, span)
            if age >= 16:
                _adult(area, rng, person.pid, age, person.flags, day, span)
            elif age >= 10 and rng.random() < 0.01 * span:
                _child_offence(area, rng, person.pid, day)
            if 4 <= age <= 16:
                _school(area, rng, person.pid, person.flags, day, span)
        first = last


def _adult(
    area: Area, rng: random.Random, pid: int, age: int, flags: int, day: int, span: float
) -> None:
    juris = area.juris_of(pid, day)
    src = area.police(juris)
    town, _ = area.town_of(pid, day)
    r = rng.random() / span
    if r < 0.03:
        sid = src.person(pid, day)
        item = rng.choice(text.ITEMS)
        where = (
            area.home(src, pid, day)
            if rng.random() < 0.5
            else area.public_place(src, rng, town, juris)
        )
        src.event(
            "theft",
            day,
            minute(rng),
            where,
            [("victim", sid)],
            text.say(
                rng,
                "theft",
                v=src.name(sid),
                item=item,
                place="the address" if rng.random() < 0.5 else "a shop",
            ),
            rng.choice(OUTCOMES["theft"]),
            {"crime": True},
        )
    elif r < 0.055:
        sid = src.person(pid, day)
        src.event(
            "antisocial_behaviour",
            day,
            minute(rng, True),
            area.home(src, pid, day),
            [("caller", sid)],
            text.say(rng, "asb", v=src.name(sid)),
            "advice given",
        )
    elif r < 0.135:
        sid = src.person(pid, day)
        src.event(
            "call_101",
            day,
            minute(rng),
            area.home(src, pid, day),
            [("caller", sid)],
            text.say(rng, "call_101", v=src.name(sid)),
        )
    elif r < 0.18:
        sid = src.person(pid, day)
        src.event(
            "call_999",
            day,
            minute(rng),
            area.home(src, pid, day),
            [("caller", sid)],
            text.say(rng, "call_999", v=src.name(sid)),
            "attended, no further police action",
        )
    elif r < 0.195:
        sid = src.person(pid, day)
        vehicle = rng.choice(text.VEHICLES)
        letters = "".join(rng.choice("ABCDEFGHJKLMNOPRSTUVWXYZ") for _ in range(3))
        plate = f"{'NMSBKL'[pid % 6]}{'KLMNPRSTVWXY'[pid % 12]}{(pid % 70) + 10:02d} {letters}"
        obj = src.obj(plate, "vehicle", vehicle)
        src.event(
            "road_traffic",
            day,
            minute(rng),
            area.public_place(src, rng, town, juris),
            [("subject", sid), ("used", obj)],
            text.say(rng, "rtc", v=src.name(sid), vehicle=vehicle),
            rng.choice(["words of advice", "traffic offence report", "no further action"]),
        )
    elif r < 0.215 and age >= 70:
        sid = src.person(pid, day)
        src.event(
            "welfare_check",
            day,
            minute(rng),
            area.home(src, pid, day),
            [("subject", sid)],
            text.say(rng, "welfare", v=src.name(sid)),
            "safe and well",
        )
    r2 = rng.random() / span
    male_young = age < 30 and area.world.people[pid].sex == "male"
    if r2 < (0.04 if male_young else 0.002):
        sid = src.person(pid, day)
        src.event(
            "stop_and_search",
            day,
            minute(rng, True),
            area.public_place(src, rng, town, juris),
            [("subject", sid)],
            text.say(rng, "stop_search", v=src.name(sid)),
            "nothing found",
        )
    elif r2 < 0.05 + (0.25 if flags & SUBSTANCE else 0.0) and (flags & SUBSTANCE or r2 < 0.053):
        sid = src.person(pid, day)
        at = minute(rng, True)
        kind = rng.random()
        if kind < 0.5:
            src.event(
                "drugs",
                day,
                at,
                area.public_place(src, rng, town, juris),
                [("suspect", sid)],
                text.say(rng, "drugs", v=src.name(sid)),
                None,
                {"crime": True},
            )
            if rng.random() < 0.4:
                arrest(
                    area, src, rng, pid, day, at + 20, "possession of a controlled drug", "drugs"
                )
        else:
            src.event(
                "public_order",
                day,
                at,
                area.public_place(src, rng, town, juris),
                [("suspect", sid)],
                text.say(rng, "public_order", v=src.name(sid)),
                None,
                {"crime": True, "offence": "drunk and disorderly"},
            )
            if rng.random() < 0.6:
                arrest(area, src, rng, pid, day, at + 15, "drunk and disorderly", "public_order")
    if rng.random() < (0.04 if flags & VIOLENT else 0.004) * span:
        _violence(area, rng, src, pid, day, town, juris)


def _violence(
    area: Area, rng: random.Random, src: Source, pid: int, day: int, town: str, juris: str
) -> None:
    world = area.world
    other = rng.randrange(len(world.people))
    victim = world.people[other]
    if other == pid or not victim.alive_on(day) or victim.age_on(day) < 16:
        return
    sid, vid = src.person(pid, day), src.person(other, day)
    at = minute(rng, True)
    key = "violence" if rng.random() < 0.75 else "damage"
    etype = "violence" if key == "violence" else "criminal_damage"
    src.event(
        etype,
        day,
        at,
        area.public_place(src, rng, town, juris),
        [("victim", vid), ("suspect", sid)],
        text.say(rng, key, v=src.name(vid), s=src.name(sid)),
        rng.choice(["no further action: victim does not support", "charged", "cautioned", None]),
        {"crime": True, "offence": "common assault" if key == "violence" else "criminal damage"},
    )
    if rng.random() < 0.45:
        arrest(
            area,
            src,
            rng,
            pid,
            day,
            at + 30,
            "assault" if key == "violence" else "criminal damage",
            key,
        )


def _child_offence(area: Area, rng: random.Random, pid: int, day: int) -> None:
    juris = area.juris_of(pid, day)
    src = area.police(juris)
    town, _ = area.town_of(pid, day)
    sid = src.person(pid, day)
    at = minute(rng)
    offence, etype = rng.choice(
        [
            ("shoplifting", "theft"),
            ("criminal damage", "criminal_damage"),
            ("common assault", "violence"),
            ("possession of cannabis", "drugs"),
        ]
    )
    src.event(
        etype,
        day,
        at,
        area.public_place(src, rng, town, juris),
        [("suspect", sid)],
        f"{src.name(sid)} ({area.world.people[pid].age_on(day)}) suspected of {offence} at {town}.",
        None,
        {"crime": True, "offence": offence},
    )
    arrest(area, src, rng, pid, day, at + 45, offence, "youth")


def _school(area: Area, rng: random.Random, pid: int, flags: int, day: int, span: float) -> None:
    if area.juris_of(pid, day) != ENGLAND:
        return
    src = area.sources["northmoor-schools"]
    vulnerable = bool(flags & VULNERABLE)
    if rng.random() < (0.3 if vulnerable else 0.08) * span:
        sid = src.person(pid, day)
        _parents(area, src, pid, sid, day)
        src.event(
            "school_attendance_concern",
            day,
            9 * 60 + rng.randrange(420),
            area.school(src, pid, day),
            [("subject", sid)],
            text.say(rng, "attendance", pct=rng.randint(62, 89)),
        )
    if rng.random() < (0.08 if vulnerable else 0.012) * span:
        sid = src.person(pid, day)
        _parents(area, src, pid, sid, day)
        src.event(
            "school_safeguarding_concern",
            day,
            9 * 60 + rng.randrange(420),
            area.school(src, pid, day),
            [("subject", sid)],
            text.say(rng, "school_concern"),
            "logged, monitoring",
        )
    if (
        area.world.people[pid].age_on(day) >= 9
        and rng.random() < (0.1 if vulnerable else 0.025) * span
    ):
        sid = src.person(pid, day)
        src.event(
            "school_exclusion",
            day,
            9 * 60 + rng.randrange(420),
            area.school(src, pid, day),
            [("subject", sid)],
            text.say(rng, "exclusion", n=rng.randint(1, 5)),
            "suspension",
        )


def _parents(area: Area, src: Source, pid: int, sid: str, day: int) -> None:
    person = area.world.people[pid]
    for parent in (person.mother, person.father):
        if parent is not None and area.world.people[parent].household_on(
            day
        ) == person.household_on(day):
            src.relate(src.person(parent, day), sid, "parent", person.dob)


def _health(area: Area, rng: random.Random, pid: int, age: int, day: int, span: float) -> None:
    src = area.sources["northmoor-health"]
    lam = (0.5 if age < 5 else 0.3 if age < 16 else 0.38 if age < 65 else 0.55) * span
    for _ in range(poisson(rng, lam)):
        low = max(area.world.start, day - 150)
        when = low + int(rng.random() * (min(area.world.end, day + 150) + 1 - low))
        if (
            not area.world.people[pid].alive_on(when)
            or area.world.people[pid].household_on(when) is None
        ):
            continue
        sid = src.person(pid, when)
        juris = area.juris_of(pid, when)
        src.event(
            "emergency_department_attendance",
            when,
            int(rng.random() * 1440),
            area.hospital(src, juris),
            [("subject", sid)],
            text.say(rng, "ed", cause=rng.choice(text.ED_CAUSES)),
            rng.choice(
                [
                    "discharged",
                    "discharged to GP",
                    "admitted",
                    "discharged",
                    "left before being seen",
                ]
            ),
        )

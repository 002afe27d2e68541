"""Planted harm trajectories and their look-alike decoys: who is chosen, and when.

Selection happens before the households evolve, so that a trajectory's moves (a new partner, a child
entering care) are part of the true world and every agency sees them. Selection looks only at
household structure and ages, drawn from a dedicated random stream: ethnicity plays no part.
The events themselves are written by ``scripts`` once the background has been generated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from childfirst.synth.population import Builder, hh_juris
from childfirst.synth.world import ENGLAND, OPEN, SCOTLAND, SCRIPTED, CareSpell

TYPES = [
    "escalating_domestic_abuse",
    "missing_with_older_associate",
    "exploited_child_criminalised",
    "violent_adult_moves_in",
    "disclosure_retracted",
    "parental_substance_misuse",
    "looked_after_child_criminalised",
    "seventeen_year_old_in_custody",
]


@dataclass
class Plan:
    kind: str
    harm: bool
    child: int
    household: int
    adult: int | None  # the perpetrator, associate or parent at the centre of the story
    critical_day: int  # for decoys, the day the look-alike story ends
    begin: int
    critical_agency: str = ""
    critical_id: str = ""
    extra: dict[str, int] = field(default_factory=dict)


def per_type(people: int) -> int:
    return max(1, people // 10000)


def select(builder: Builder, people: int) -> list[Plan]:
    world = builder.world
    rng = random.Random(f"{builder.rng.random()}/trajectories")
    start, end = world.start, world.end
    families = []
    for hh in world.households:
        if hh.kind != "family":
            continue
        residents = world.residents(hh.hid, start)
        adults = [p for p in residents if world.people[p].age_on(start) >= 18]
        kids = [p for p in residents if world.people[p].age_on(start) < 18]
        if adults:  # families without children yet may have one during a long history
            families.append((hh.hid, adults, kids))
    rng.shuffle(families)
    singles = [
        p.pid
        for p in world.people
        if p.sex == "male"
        and p.homes
        and 19 <= p.age_on(start) <= 40
        and len(world.residents(p.homes[0][0], start)) == 1
    ]
    rng.shuffle(singles)
    used: set[int] = set()
    plans: list[Plan] = []
    n = per_type(people)
    span = end - start
    for kind in TYPES:
        made = attempts = 0
        while made < n and attempts < 5 * n + 20:
            # A harm story and its decoy are found together and kept only as a pair, so every type
            # has exactly as many decoys as harms.
            attempts += 1
            # Stories come to a head in the last part of the history (at most its last three years).
            crit, ends = (end - int(min(span, 1095) * rng.uniform(0.03, 0.4)) for _ in range(2))
            harm = _choose(builder, rng, kind, True, crit, families, singles, used, commit=False)
            if harm is None:
                continue
            taken = used | {harm.household} | ({harm.adult} if harm.adult is not None else set())
            if _choose(builder, rng, kind, False, ends, families, singles, taken, False) is None:
                continue
            for is_harm, day in ((True, crit), (False, ends)):
                plan = _choose(
                    builder, rng, kind, is_harm, day, families, singles, used, commit=True
                )
                assert plan is not None, "a candidate found on the dry run is still free"
                plans.append(plan)
            made += 1
    return plans


def _choose(
    builder: Builder,
    rng: random.Random,
    kind: str,
    harm: bool,
    crit: int,
    families: list[tuple[int, list[int], list[int]]],
    singles: list[int],
    used: set[int],
    commit: bool,
) -> Plan | None:
    """The first family that fits the story; with ``commit`` false, nothing is changed."""
    world = builder.world
    people = world.people
    start = world.start
    ages = {
        "escalating_domestic_abuse": (1, 10),
        "missing_with_older_associate": (13, 15),
        "exploited_child_criminalised": (14, 16),
        "violent_adult_moves_in": (0, 4),
        "disclosure_retracted": (9, 15),
        "parental_substance_misuse": (1, 8),
        "looked_after_child_criminalised": (12, 15),
        "seventeen_year_old_in_custody": (17, 17),
    }[kind]
    for i, (hid, adults, kids) in enumerate(families):
        if hid in used:
            continue
        hh_j = hh_juris(builder, hid)
        fits = [
            k
            for k in kids
            if ages[0] <= people[k].age_on(crit) <= ages[1] and people[k].dob < start
        ]
        if kind == "seventeen_year_old_in_custody":
            fits = [k for k in fits if people[k].age_on(crit - 60) == 17]
        # In a long history the child at the centre of the story may be born during it.
        baby_due = crit - int(365.25 * ages[0]) - 200
        mothers = [a for a in adults if people[a].sex == "female"]
        newborn = (
            not fits
            and bool(mothers)
            and people[mothers[0]].age_on(baby_due) < 40
            and baby_due > start
        )
        if not fits and not newborn:
            continue
        couple = len(adults) == 2 and world.current_partner(adults[0], start) == adults[1]
        if kind in ("escalating_domestic_abuse", "disclosure_retracted") and not couple:
            continue
        if kind == "violent_adult_moves_in" and (len(adults) != 1 or hh_j != ENGLAND):
            continue
        if kind == "looked_after_child_criminalised" and hh_j != ENGLAND:
            continue
        child = fits[0] if fits else -1
        adult = adults[-1] if couple and people[adults[-1]].sex == "male" else adults[0]
        begin = max(start + 20, crit - rng.randint(330, 560))
        plan = Plan(kind, harm, child, hid, adult, crit, begin)
        if kind in (
            "missing_with_older_associate",
            "exploited_child_criminalised",
            "violent_adult_moves_in",
        ):
            juris = SCOTLAND if kind == "violent_adult_moves_in" else None
            partner = _single(singles, used, juris, builder, take=commit)
            if partner is None:
                continue
            plan.adult = partner
            if not commit:
                return plan
            used.add(partner)
            people[partner].flags |= SCRIPTED
            if kind == "violent_adult_moves_in":
                move = crit - rng.randint(120, 300)
                plan.extra["moved_in"] = move
                world.partner(adults[0], partner, move - rng.randint(40, 150))
                world.move_in(partner, hid, move)
        if not commit:
            return plan
        if newborn:
            mother = people[mothers[0]]
            partner_id = world.current_partner(mother.pid, baby_due)
            dad = people[partner_id] if partner_id in adults else None
            surname = (dad or mother).surname_on(baby_due)
            baby = builder.child_of(mother, dad, baby_due, surname)
            world.move_in(baby.pid, hid, baby_due)
            plan.child = child = baby.pid
        if kind == "looked_after_child_criminalised":
            into_care = max(start + 30, crit - rng.randint(300, 480))
            plan.begin = into_care
            homes = [
                h
                for h in world.households
                if h.kind == "childrens_home" and hh_juris(builder, h.hid) == ENGLAND
            ]
            home = (
                homes[rng.randrange(len(homes))]
                if homes
                else builder.household(into_care, ENGLAND, "childrens_home")
            )
            if not world.staff.get(home.hid):
                workers = [
                    p.pid
                    for p in world.people[rng.randrange(len(world.people)) :]
                    if 25 <= p.age_on(start) <= 60 and p.homes and not p.flags & SCRIPTED
                ]
                world.staff[home.hid] = workers[:3]
            world.add_care(CareSpell(child, into_care, OPEN, home.hid, "family in acute stress"))
            world.move_in(child, home.hid, into_care)
            plan.extra["home"] = home.hid
        used.add(hid)
        world.households[hid].scripted = True
        for pid in world.households[hid].members:
            people[pid].flags |= SCRIPTED
        families.pop(i)
        return plan
    return None


def _single(
    singles: list[int], used: set[int], juris: str | None, builder: Builder, take: bool
) -> int | None:
    """An unattached man, for the older associate or the partner who moves in."""
    for idx, pid in enumerate(singles):
        if pid in used:
            continue
        person = builder.world.people[pid]
        if juris is not None and hh_juris(builder, person.homes[0][0]) != juris:
            continue
        if person.flags & SCRIPTED:
            continue
        if take:
            singles.pop(idx)
            builder.world.households[person.homes[0][0]].scripted = True
        return pid
    return None

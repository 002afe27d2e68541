"""Health records of births and deaths in the area during the history."""

from __future__ import annotations

from childfirst.synth.area import Area

DELIVERY = ["spontaneous vaginal delivery", "caesarean section", "assisted delivery"]


def births_and_deaths(area: Area) -> None:
    world = area.world
    rng = area.rng("lifecourse")
    health = area.sources["northmoor-health"]
    for person in world.people:
        if world.start <= person.dob <= world.end and person.mother is not None and person.homes:
            baby = health.person(person.pid, person.dob)
            mother = health.person(person.mother, person.dob)
            links = [("subject", baby), ("parent_or_carer", mother)]
            health.relate(mother, baby, "parent", person.dob)
            father = person.father
            if father is not None and world.people[father].household_on(
                person.dob
            ) == person.household_on(person.dob):
                dad = health.person(father, person.dob)
                health.relate(dad, baby, "parent", person.dob)
            juris = area.juris_of(person.pid, person.dob)
            weight = rng.randint(2600, 4300)
            health.event(
                "birth",
                person.dob,
                rng.randrange(1440),
                area.hospital(health, juris),
                links,
                f"Live birth, {weight} g, {rng.choice(DELIVERY)}.",
                None,
                {"birth_weight_g": weight},
            )
        if person.died is not None and world.start <= person.died <= world.end and person.homes:
            sid = health.person(person.pid, person.died - 1)
            home = area.home(health, person.pid, person.died - 1)
            health.event(
                "death",
                person.died,
                rng.randrange(1440),
                home,
                [("subject", sid)],
                rng.choice(
                    [
                        "Expected death at home.",
                        "Died in hospital following admission.",
                        "Death verified by GP.",
                    ]
                ),
            )

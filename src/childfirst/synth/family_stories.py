"""Stories at home: domestic abuse, a violent adult moving in, a retracted disclosure, drug use.

Each harm story ends in a dated critical incident; its decoy opens the same way and then settles.
"""

from __future__ import annotations

import random

from childfirst.synth.area import Area
from childfirst.synth.events import arrest, minute
from childfirst.synth.safeguarding import da_incident
from childfirst.synth.stories import (
    children_at_home,
    emergency_visit,
    mark_critical,
    pronouns,
    spread,
)
from childfirst.synth.trajectories import Plan
from childfirst.synth.world import SCOTLAND


def domestic_abuse(area: Area, rng: random.Random, plan: Plan) -> None:
    world = area.world
    adult = plan.adult if plan.adult is not None else plan.child
    victim = world.current_partner(adult, plan.begin) or adult
    count = rng.randint(4, 7) if plan.harm else rng.randint(1, 2)
    days = spread(rng, plan.begin, plan.critical_day - 10, count)
    for i, day in enumerate(days):
        late = i >= count // 2
        kids = (
            children_at_home(area, plan, day) if late else []
        )  # early call-outs never mention the children
        risk = ("high" if i == count - 1 else "medium") if plan.harm and late else "standard"
        da_incident(area, rng, victim, adult, kids, day, severity=risk, children_seen=False)
    if not plan.harm:
        return
    day = plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid, sus = src.person(plan.child, day), src.person(adult, day)
    event_id = src.event(
        "violence",
        day,
        minute(rng, True),
        area.home(src, plan.child, day),
        [("victim", kid), ("suspect", sus)],
        f"Ambulance request: {src.name(kid)} has a head injury and is unresponsive. "
        f"{src.name(sus)} says "
        "the child fell down the stairs. Injuries inconsistent with account.",
        "arrested: wounding with intent",
        {"crime": True, "offence": "wounding with intent (s18)", "injury": "serious"},
    )
    mark_critical(plan, src, event_id)
    arrest(area, src, rng, adult, day, 23 * 60, "wounding with intent", "violence", overnight=1.0)
    emergency_visit(
        area,
        rng,
        plan.child,
        day,
        "Head injury, reduced consciousness. Skeletal survey shows older fractures.",
    )


def violent_adult(area: Area, rng: random.Random, plan: Plan) -> None:
    assert plan.adult is not None
    moved = plan.extra["moved_in"]
    scot = area.sources["police-scotland"]
    history = rng.randint(2, 3) if plan.harm else 1
    for day in spread(rng, area.world.start + 10, moved - 30, history):
        sus = scot.person(plan.adult, day)
        victim = rng.randrange(len(area.world.people))
        if victim == plan.adult or not area.world.people[victim].alive_on(day):
            victim = plan.child
        vic = scot.person(victim, day)
        town, _ = area.town_of(plan.adult, day)
        if plan.harm:
            scot.event(
                "violence",
                day,
                minute(rng, True),
                area.public_place(scot, rng, town, SCOTLAND),
                [("victim", vic), ("suspect", sus)],
                f"{scot.name(sus)} assaulted {scot.name(vic)} with a bottle; victim needed "
                "stitches.",
                "reported to the procurator fiscal",
                {"crime": True, "offence": "assault to severe injury"},
            )
            arrest(
                area, scot, rng, plan.adult, day, 23 * 60, "assault to severe injury", "violence"
            )
        else:
            scot.event(
                "public_order",
                day,
                minute(rng, True),
                area.public_place(scot, rng, town, SCOTLAND),
                [("suspect", sus)],
                f"{scot.name(sus)} shouting in the street after a night out.",
                "recorded police warning",
                {"crime": True, "offence": "breach of the peace"},
            )
    if not plan.harm:
        return
    health = area.sources["northmoor-health"]
    concern = moved + rng.randint(30, 90)
    if concern < plan.critical_day:
        # The health visitor writes down who now lives in the home: the only record, before
        # the harm, that the man known to the other force is living with the baby.
        partner = health.person(plan.adult, concern)
        health.event(
            "health_safeguarding_concern",
            concern,
            11 * 60,
            area.home(health, plan.child, concern),
            [("subject", health.person(plan.child, concern)), ("parent_or_carer", partner)],
            "Health visitor: bruising to infant's cheek, mother says a sibling did it. Mother's "
            f"new partner {health.name(partner)} now living in the home, not present at visit.",
            "advice, follow-up visit booked",
        )
    day = plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid, sus = src.person(plan.child, day), src.person(plan.adult, day)
    event_id = src.event(
        "violence",
        day,
        minute(rng, True),
        area.home(src, plan.child, day),
        [("victim", kid), ("suspect", sus)],
        f"{src.name(kid)} brought to hospital with bruising and a fractured arm; mother's partner "
        f"{src.name(sus)} was caring for the child alone.",
        None,
        {"crime": True, "offence": "cruelty to a child", "injury": "serious"},
    )
    mark_critical(plan, src, event_id)
    emergency_visit(
        area,
        rng,
        plan.child,
        day,
        "Spiral fracture of the humerus, multiple bruises of different ages.",
    )


def disclosure(area: Area, rng: random.Random, plan: Plan) -> None:
    adult = plan.adult if plan.adult is not None else plan.child
    day = plan.begin + rng.randint(0, 60)
    he, him = pronouns(area, plan.child)
    src = area.police(area.juris_of(plan.child, day))
    kid, sus = src.person(plan.child, day), src.person(adult, day)
    parent = area.world.current_partner(adult, day)
    src.event(
        "disclosure",
        day,
        15 * 60,
        area.home(src, plan.child, day),
        [("victim", kid), ("suspect", sus)],
        f"{src.name(kid)} told a teacher that {src.name(sus)} comes into the bedroom at night.",
        None,
        {"crime": True, "offence": "sexual assault of a child"},
    )
    links = [("subject", kid)]
    if parent is not None:
        links.append(("present", src.person(parent, day)))
    src.event(
        "interview",
        day + 2,
        11 * 60,
        area.home(src, plan.child, day + 2),
        links,
        "Initial account taken at home with mother present. Child quiet, gave little detail.",
        None,
    )
    src.event(
        "retraction",
        day + rng.randint(10, 30),
        14 * 60,
        area.home(src, plan.child, day),
        [("subject", kid)],
        f"{src.name(kid)} now says {he} made it up because {he} was angry about being grounded.",
        "no further action: allegation withdrawn",
    )
    if not plan.harm:
        return
    for later in spread(rng, day + 60, plan.critical_day - 10, 2):
        if (
            area.juris_of(plan.child, later) != SCOTLAND
            and 4 <= area.world.people[plan.child].age_on(later) <= 16
        ):
            schools = area.sources["northmoor-schools"]
            schools.event(
                "school_safeguarding_concern",
                later,
                10 * 60,
                area.school(schools, plan.child, later),
                [("subject", schools.person(plan.child, later))],
                "Pupil found self-harming in toilets; would not say why. Parent informed.",
                "monitoring",
            )
    day = plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid, sus = src.person(plan.child, day), src.person(adult, day)
    event_id = src.event(
        "sexual_offence",
        day,
        minute(rng),
        area.home(src, plan.child, day),
        [("victim", kid), ("suspect", sus)],
        f"{src.name(kid)} attended hospital{'; pregnant' if he == 'she' else ' after self-harming'}. "
        f"Named {src.name(sus)} as abusing {him} for two years.",
        None,
        {"crime": True, "offence": "rape of a child under 16"},
    )
    mark_critical(plan, src, event_id)


def substance(area: Area, rng: random.Random, plan: Plan) -> None:
    adult = plan.adult if plan.adult is not None else plan.child
    health = area.sources["northmoor-health"]
    start = plan.begin
    health.event(
        "substance_misuse_treatment",
        start,
        10 * 60,
        area.home(health, adult, start),
        [("subject", health.person(adult, start))],
        "Started opiate substitution therapy (methadone).",
        "engaged" if not plan.harm else "disengaged after 6 weeks",
    )
    count = rng.randint(3, 5) if plan.harm else 1
    for day in spread(rng, start + 30, plan.critical_day - 10, count):
        src = area.police(area.juris_of(adult, day))
        links = [("suspect", src.person(adult, day))]
        kids = children_at_home(area, plan, day)
        links += [("present", src.person(k, day)) for k in kids[: 2 if plan.harm else 0]]
        src.event(
            "drugs",
            day,
            minute(rng, True),
            area.home(src, adult, day),
            links,
            f"Warrant executed at the address. Heroin and needles found in the kitchen; "
            f"{len(kids)} children living at the address."
            if plan.harm
            else f"{src.name(links[0][1])} found with a small amount of cannabis.",
            None,
            {"crime": True, "offence": "possession of a controlled drug"},
        )
    if not plan.harm:
        return
    day = plan.critical_day
    event_id = emergency_visit(
        area,
        rng,
        plan.child,
        day,
        "Child drowsy and vomiting after drinking from a bottle of "
        "methadone left on the kitchen table. Admitted to PICU.",
    )
    mark_critical(plan, health, event_id)
    src = area.police(area.juris_of(plan.child, day))
    src.event(
        "concern_for_child",
        day,
        21 * 60,
        area.home(src, plan.child, day),
        [("subject", src.person(plan.child, day))],
        "Hospital report: child ingested parent's methadone. Police protection considered.",
        None,
    )

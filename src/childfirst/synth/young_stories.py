"""Stories of adolescents: missing with an older associate, exploitation met with arrest, a child in
residential care criminalised, and a 17-year-old held overnight as if an adult.

Each harm story ends in a dated critical incident; its decoy opens the same way and then settles.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from childfirst.synth.area import Area
from childfirst.synth.events import arrest, minute
from childfirst.synth.safeguarding import missing_episode
from childfirst.synth.social_care import referral
from childfirst.synth.stories import mark_critical, pronouns, spread
from childfirst.synth.trajectories import Plan
from childfirst.synth.world import SCOTLAND


def missing_associate(area: Area, rng: random.Random, plan: Plan) -> None:
    assert plan.adult is not None
    he, _ = pronouns(area, plan.child)
    count = rng.randint(5, 9) if plan.harm else rng.randint(2, 3)
    days = spread(rng, plan.begin, plan.critical_day - 5, count)
    for i, day in enumerate(days):
        with_adult = plan.harm and i >= 2
        missing_episode(
            area,
            rng,
            plan.child,
            day,
            cse=plan.harm and i >= 3,
            found_with=plan.adult if with_adult else None,
        )
        if with_adult:
            src = area.police(area.juris_of(plan.child, day))
            src.relate(src.person(plan.adult, day), src.person(plan.child, day), "associate", day)
    if plan.harm:
        english = area.juris_of(plan.child, days[-1]) != SCOTLAND
        if english and days[-1] + 45 < area.world.end:
            # The police refer; the assessment notes exploitation but no enquiry follows.
            referral(area, rng, plan.child, days[-1] + 2, "police", cse=True, escalate=False)
        _abused_at_adults_home(
            area,
            rng,
            plan,
            "rape of a child",
            lambda kid, sus: (
                f"{kid} found at the flat of {sus} after being reported missing. "
                f"Disclosed {he} had been given alcohol and made to have sex with him and his friends."
            ),
        )


def exploited_criminalised(area: Area, rng: random.Random, plan: Plan) -> None:
    assert plan.adult is not None
    _, him = pronouns(area, plan.child)
    offences = ["drunk and disorderly", "breach of the peace", "criminal damage"]
    count = rng.randint(3, 5) if plan.harm else 1
    days = spread(rng, plan.begin, plan.critical_day - 7, count)
    for i, day in enumerate(days):
        juris = area.juris_of(plan.child, day)
        src = area.police(juris)
        offence = (
            offences[i % 3]
            if juris == SCOTLAND or offences[i % 3] != "breach of the peace"
            else "public order"
        )
        kid = src.person(plan.child, day)
        links = [("suspect", kid)]
        if plan.harm and i >= 1:
            links.append(("present", src.person(plan.adult, day)))
        town, _ = area.town_of(plan.child, day)
        at = minute(rng, True)
        etype = "criminal_damage" if offence == "criminal damage" else "public_order"
        src.event(
            etype,
            day,
            at,
            area.public_place(src, rng, town, juris),
            links,
            f"{src.name(kid)} ({area.world.people[plan.child].age_on(day)}) intoxicated and "
            "abusive in the street"
            + (
                ", in the company of an adult male who left on police arrival."
                if len(links) > 1
                else "."
            ),
            None,
            {"crime": True, "offence": offence},
        )
        arrest(
            area,
            src,
            rng,
            plan.child,
            day,
            at + 20,
            offence,
            "youth",
            overnight=0.5 if plan.harm else 0.0,
        )
    if plan.harm:
        missing_episode(area, rng, plan.child, days[-1] + 9, cse=True, found_with=plan.adult)
        _abused_at_adults_home(
            area,
            rng,
            plan,
            "sexual exploitation of a child",
            lambda kid, sus: (
                f"{kid} taken to hospital intoxicated; disclosed {sus} supplies "
                f"drink and drugs and has been sexually abusing {him} and passing {him} to other men."
            ),
        )


def looked_after(area: Area, rng: random.Random, plan: Plan) -> None:
    world = area.world
    staff = world.staff.get(plan.extra["home"], [])
    count = rng.randint(3, 5) if plan.harm else 1
    for day in spread(rng, plan.begin + 20, plan.critical_day - 10, count):
        src = area.police(area.juris_of(plan.child, day))
        kid = src.person(plan.child, day)
        links = [("suspect", kid)]
        if staff:
            links.append(("caller", src.person(staff[day % len(staff)], day)))
        at = minute(rng, True)
        item = rng.choice(
            ["a door", "a television", "a window", "kitchen cupboards", "a staff car"]
        )
        src.event(
            "criminal_damage",
            day,
            at,
            area.home(src, plan.child, day),
            links,
            f"Staff at the children's home report {src.name(kid)} damaged {item} after being told "
            "to come off the games console.",
            None if plan.harm else "words of advice; home to manage internally",
            {"crime": True, "offence": "criminal damage", "reported_by": "residential staff"},
        )
        if plan.harm:
            arrest(area, src, rng, plan.child, day, at + 40, "criminal damage", "youth")
    if not plan.harm:
        return
    day = plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid = src.person(plan.child, day)
    event_id = src.event(
        "self_harm",
        day,
        minute(rng, True),
        area.home(src, plan.child, day),
        [("subject", kid)],
        f"{src.name(kid)} found by staff with a ligature; ambulance called, taken to hospital.",
        None,
        {"serious": True},
    )
    mark_critical(plan, src, event_id)


def custody17(area: Area, rng: random.Random, plan: Plan) -> None:
    day = plan.critical_day - rng.randint(2, 5) if plan.harm else plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid = src.person(plan.child, day)
    town, juris = area.town_of(plan.child, day)
    src.event(
        "stop_and_search",
        plan.begin,
        minute(rng, True),
        area.public_place(src, rng, town, juris),
        [("subject", kid)],
        f"{src.name(kid)} searched, smell of cannabis. Nothing found.",
        "nothing found",
    )
    _earlier_custody(area, rng, plan, plan.critical_day - rng.randint(35, 55))
    at = 19 * 60 + rng.randrange(120)
    src.event(
        "theft",
        day,
        at,
        area.public_place(src, rng, town, juris),
        [("suspect", kid)],
        f"{src.name(kid)} detained by store security for shoplifting alcohol.",
        None,
        {"crime": True, "offence": "shoplifting"},
    )
    arrest_id = src.event(
        "arrest",
        day,
        at + 30,
        area.public_place(src, rng, town, juris),
        [("suspect", kid)],
        f"{src.name(kid)} arrested on suspicion of shoplifting.",
        None,
        {"offence": "shoplifting", "offence_group": "youth"},
    )
    if plan.harm:
        summary = (
            "Detained overnight. Booked in as an adult; no appropriate adult called, parents not "
            "informed. "
            "Stated he had been feeling low and asked to see someone; no referral made."
        )
        details = {
            "overnight": True,
            "appropriate_adult_called": False,
            "parent_informed": False,
            "arrest_ref": arrest_id,
        }
        links = [("detainee", kid)]
    else:
        summary = (
            "Interviewed with mother as appropriate adult. Released the same evening with a "
            "community resolution."
        )
        details = {
            "overnight": False,
            "appropriate_adult_called": True,
            "parent_informed": True,
            "arrest_ref": arrest_id,
        }
        mother = area.world.people[plan.child].mother
        links = [("detainee", kid)] + (
            [("appropriate_adult", src.person(mother, day))] if mother is not None else []
        )
    src.event(
        "custody_detention",
        day,
        at + 70,
        area.custody(src, juris),
        links,
        summary,
        "released under investigation" if plan.harm else "community resolution",
        details,
        ended=(day + (1 if plan.harm else 0), (10 * 60) if plan.harm else at + 300),
    )
    if not plan.harm:
        return
    crit = plan.critical_day
    event_id = src.event(
        "self_harm",
        crit,
        minute(rng, True),
        area.home(src, plan.child, crit),
        [("subject", kid)],
        f"{src.name(kid)} found unresponsive at home by a sibling; ambulance called.",
        None,
        {"serious": True},
    )
    mark_critical(plan, src, event_id)


def _earlier_custody(area: Area, rng: random.Random, plan: Plan, day: int) -> None:
    """A first arrest some weeks before: the earlier chance to treat the 17-year-old as a child.
    In the harm story he is again handled as an adult; in the decoy, as the law requires."""
    src = area.police(area.juris_of(plan.child, day))
    kid = src.person(plan.child, day)
    town, juris = area.town_of(plan.child, day)
    at = 20 * 60 + rng.randrange(90)
    arrest_id = src.event(
        "arrest",
        day,
        at,
        area.public_place(src, rng, town, juris),
        [("suspect", kid)],
        f"{src.name(kid)} arrested for possession of cannabis after a stop in the park.",
        None,
        {"offence": "possession of cannabis", "offence_group": "drugs"},
    )
    links = [("detainee", kid)]
    if plan.harm:
        summary = "Booked in and interviewed without an appropriate adult. Released with a warning."
    else:
        summary = "Interviewed with his father as appropriate adult. Released with a warning."
        father = area.world.people[plan.child].father
        if father is not None:
            links.append(("appropriate_adult", src.person(father, day)))
    src.event(
        "custody_detention",
        day,
        at + 40,
        area.custody(src, juris),
        links,
        summary,
        "cannabis warning",
        {
            "overnight": False,
            "appropriate_adult_called": not plan.harm,
            "parent_informed": not plan.harm,
            "arrest_ref": arrest_id,
        },
        ended=(day, at + 220),
    )


def _abused_at_adults_home(
    area: Area,
    rng: random.Random,
    plan: Plan,
    offence: str,
    describe: Callable[[str, str], str],
) -> None:
    """The critical incident of an exploitation story: the child abused at the adult's home."""
    assert plan.adult is not None
    day = plan.critical_day
    src = area.police(area.juris_of(plan.child, day))
    kid, sus = src.person(plan.child, day), src.person(plan.adult, day)
    event_id = src.event(
        "sexual_offence",
        day,
        minute(rng, True),
        area.home(src, plan.adult, day),
        [("victim", kid), ("suspect", sus)],
        describe(src.name(kid), src.name(sus)),
        None,
        {"crime": True, "offence": offence, "cse_flag": True},
    )
    mark_critical(plan, src, event_id)

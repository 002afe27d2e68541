"""Children's social care: referrals and what follows them, and the records of children in care.

A referral is preceded by the referring agency's own record (a police concern, a school or health
safeguarding concern). About 80% go on to a child and family assessment; about 31% lead to a
section 47 enquiry (DfE: about 195,000 a year against about 633,000 referrals), and under a third
of enquiries to a child protection plan lasting most of a year.
"""

from __future__ import annotations

import random

from childfirst.synth.area import Area
from childfirst.synth.safeguarding import REFERRAL_SOURCES, S47_SHARE, S47_TO_PLAN
from childfirst.synth.sources import Source
from childfirst.synth.world import ENGLAND, OPEN

FACTORS = [
    ("domestic_abuse", 0.32),
    ("parental_mental_health", 0.18),
    ("neglect", 0.14),
    ("emotional_abuse", 0.1),
    ("parental_alcohol", 0.08),
    ("parental_drugs", 0.08),
    ("physical_abuse", 0.06),
    ("child_mental_health", 0.06),
    ("going_missing", 0.03),
]
CSE_ASSESSED = 0.025  # share of assessments noting child sexual exploitation (12,120 of ~480,000)
CSA_ASSESSED = 0.06  # child sexual abuse (29,560 of ~480,000)
WORKER = [
    "A. Hussain (SW)",
    "K. Robson (SW)",
    "J. Pearson (ASW)",
    "L. Ndlovu (SW)",
    "M. Irving (SW)",
]


def referral(
    area: Area,
    rng: random.Random,
    pid: int,
    day: int,
    source: str | None = None,
    summary: str | None = None,
    cse: bool = False,
    csa: bool = False,
    escalate: bool | None = None,
) -> str:
    """A referral to children's social care; returns the referral's event id."""
    world = area.world
    csc = area.sources["northmoor-csc"]
    if source is None:
        source = rng.choices([s for s, _ in REFERRAL_SOURCES], [w for _, w in REFERRAL_SOURCES])[0]
    _precursor(area, rng, pid, day, source)
    kid = csc.person(pid, day)
    _family(area, csc, pid, day)
    home = area.home(csc, pid, day)
    who = {
        "police": "police",
        "school": "school",
        "health": "health",
        "local_authority": "housing services",
        "individual": "a member of the public",
        "other": "another agency",
    }[source]
    text = summary or rng.choice(
        [
            f"Referral received from {who} regarding {csc.name(kid)}.",
            f"Contact from {who}: concerns about home conditions for {csc.name(kid)}.",
            f"Referral from {who}: worries about {csc.name(kid)}'s presentation.",
        ]
    )
    ref = csc.reference(day)
    event_id = csc.event(
        "referral",
        day,
        9 * 60 + rng.randrange(480),
        home,
        [("subject", kid)],
        text,
        None,
        {"referral_source": source},
        reference=ref,
    )
    if rng.random() < 0.2 and escalate is None:
        return event_id
    assess_day = day + rng.randint(5, 40)
    if assess_day > world.end:
        return event_id
    factors = [f for f, p in FACTORS if rng.random() < p]
    if cse or rng.random() < CSE_ASSESSED:
        factors.append("cse")
    if csa or rng.random() < CSA_ASSESSED:
        factors.append("csa")
    csc.event(
        "child_in_need_assessment",
        assess_day,
        10 * 60 + rng.randrange(360),
        home,
        [("subject", kid)],
        f"Child and family assessment completed by {rng.choice(WORKER)}.",
        rng.choice(
            [
                "no further action",
                "child in need plan",
                "step down to early help",
                "child in need plan",
            ]
        ),
        {"factors": ";".join(factors) or "none", "referral_ref": ref},
    )
    s47 = escalate if escalate is not None else rng.random() < S47_SHARE / 0.8
    if not s47:
        return event_id
    strat_day = day + rng.randint(1, 4)
    police = area.police(area.juris_of(pid, strat_day))
    csc.event(
        "strategy_discussion",
        strat_day,
        11 * 60 + rng.randrange(240),
        home,
        [("subject", kid)],
        f"Strategy discussion with police ({police.agency.code}) and health. Agreed section 47 "
        "enquiry.",
        "section 47 enquiry",
        {"referral_ref": ref},
    )
    if (escalate is None and rng.random() >= S47_TO_PLAN) or strat_day + 30 > world.end:
        return event_id
    plan_day = strat_day + rng.randint(12, 30)
    category = (
        "emotional abuse"
        if "domestic_abuse" in factors
        else rng.choice(["neglect", "neglect", "physical abuse", "sexual abuse", "emotional abuse"])
    )
    csc.event(
        "child_protection_plan_started",
        plan_day,
        14 * 60,
        home,
        [("subject", kid)],
        f"Initial child protection conference: child made subject of a plan under {category}.",
        None,
        {"category": category},
    )
    end = plan_day + int(rng.expovariate(1 / 290)) + 90
    if end <= world.end:
        csc.event(
            "child_protection_plan_ended",
            end,
            14 * 60,
            area.home(csc, pid, end) or home,
            [("subject", csc.person(pid, end))],
            "Review conference: plan ended, stepped down to child in need.",
            "stepped down",
        )
    return event_id


def _precursor(area: Area, rng: random.Random, pid: int, day: int, source: str) -> None:
    """The referring agency's own record of the concern."""
    world = area.world
    if source == "police":
        src = area.police(area.juris_of(pid, day))
        kid = src.person(pid, day)
        src.event(
            "concern_for_child",
            day,
            9 * 60 + rng.randrange(600),
            area.home(src, pid, day),
            [("subject", kid)],
            rng.choice(
                [
                    f"Officers attending a neighbour dispute noted {src.name(kid)} at home in "
                    "poor conditions.",
                    f"{src.name(kid)} found wandering alone late evening; returned home, parent "
                    "under influence.",
                    f"Concern for {src.name(kid)} raised by PCSO after repeated sightings out "
                    "late.",
                ]
            ),
            "referral to children's social care",
        )
    elif source == "school" and 4 <= world.people[pid].age_on(day) <= 17:
        src = area.sources["northmoor-schools"]
        kid = src.person(pid, day)
        src.event(
            "school_safeguarding_concern",
            day,
            9 * 60 + rng.randrange(400),
            area.school(src, pid, day),
            [("subject", kid)],
            rng.choice(
                [
                    "Pupil disclosed being left alone overnight. DSL referred to children's "
                    "social care.",
                    "Ongoing neglect concerns: hunger, hygiene, missed medical appointments. "
                    "Referral made.",
                    "Pupil very upset, said mum's boyfriend shouts and throws things. Referral "
                    "made.",
                ]
            ),
            "referred to children's social care",
        )
    elif source == "health":
        src = area.sources["northmoor-health"]
        kid = src.person(pid, day)
        src.event(
            "health_safeguarding_concern",
            day,
            9 * 60 + rng.randrange(600),
            area.hospital(src, area.juris_of(pid, day)),
            [("subject", kid)],
            rng.choice(
                [
                    "Health visitor concern: missed appointments, weight faltering. Referral to "
                    "CSC.",
                    "Child brought to ED late with injury, inconsistent history. Safeguarding "
                    "referral.",
                    "GP concern about parental mental health and care of children. Referral made.",
                ]
            ),
            "referred to children's social care",
        )


def _family(area: Area, csc: Source, pid: int, day: int) -> None:
    """Children's social care records the family network around a referred child."""
    world = area.world
    person = world.people[pid]
    kid = csc.person(pid, day)
    hid = person.household_on(day)
    for parent in (person.mother, person.father):
        if parent is not None and world.people[parent].homes and world.people[parent].alive_on(day):
            csc.relate(csc.person(parent, day), kid, "parent", person.dob)
    if hid is None:
        return
    for other in world.residents(hid, day):
        if other in (pid, person.mother, person.father):
            continue
        them = world.people[other]
        if them.age_on(day) < 18:
            if {them.mother, them.father} & {person.mother, person.father} - {None}:
                csc.relate(csc.person(other, day), kid, "sibling", None)
            continue
        mum_partner = (
            person.mother is not None and world.current_partner(person.mother, day) == other
        )
        since = next((s for h, s, _ in them.homes if h == hid), None)
        csc.relate(
            csc.person(other, day), kid, "step_parent" if mum_partner else "household_member", since
        )


def care_records(area: Area) -> None:
    """Looked-after children: becoming looked after, placements and leaving care."""
    world = area.world
    rng = area.rng("care-records")
    csc = area.sources["northmoor-csc"]
    for spell in world.care:
        start = max(spell.start, world.start)
        if (
            spell.end <= world.start
            or start > world.end
            or area.juris_of(spell.child, start) != ENGLAND
        ):
            continue
        kid = csc.person(spell.child, start)
        _family(area, csc, spell.child, spell.start - 1 if spell.start > world.start else start)
        placement = world.households[spell.placement]
        kind = (
            "residential children's home"
            if placement.kind == "childrens_home"
            else "foster placement"
        )
        where = csc.location(placement.addresses[0][0])
        if spell.start >= world.start:
            csc.event(
                "looked_after_started",
                spell.start,
                15 * 60 + rng.randrange(240),
                where,
                [("subject", kid)],
                f"Became looked after ({spell.reason}). Placed in {kind}.",
                None,
                {
                    "legal_status": rng.choice(
                        ["section 20", "interim care order", "police protection"]
                    ),
                    "placement_type": "residential"
                    if placement.kind == "childrens_home"
                    else "foster",
                },
            )
        if placement.kind == "foster":
            for carer in world.residents(placement.hid, start):
                if world.people[carer].age_on(start) >= 18:
                    csc.relate(
                        csc.person(carer, start), kid, "foster_carer", spell.start, spell.end
                    )
        if spell.end != OPEN and spell.end <= world.end:
            csc.event(
                "looked_after_ended",
                spell.end,
                12 * 60,
                where,
                [("subject", csc.person(spell.child, spell.end - 1))],
                rng.choice(
                    [
                        "Returned home to parents.",
                        "Ceased to be looked after: turned 18, moved to supported accommodation.",
                        "Returned home under a supervision order.",
                    ]
                ),
                None,
            )

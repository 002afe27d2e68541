"""Background safeguarding work at calibrated base rates: domestic abuse, missing, referrals.

Each process spreads a national rate over the people at risk by weight, then scales the weights so
that the expected total matches the target (see ``calibration`` for the targets and their sources).
Households and children in a planted trajectory are left out: their histories are scripted.
"""

from __future__ import annotations

import random

from childfirst.synth.area import Area
from childfirst.synth.events import arrest, minute
from childfirst.synth.world import DA_PRONE, ENGLAND, SCRIPTED, VULNERABLE, poisson

DA_PER_HOUSEHOLD_YEAR = 1_350_460 / 24_800_000
DA_CRIME_SHARE = 816_493 / 1_350_460
DA_ARRESTS_PER_CRIME = 0.446
MISSING_CHILD_SHARE = 75_000 / 12_000_000
REFERRALS_PER_CHILD_YEAR = 633_000 / 12_000_000
REFERRAL_SOURCES = [
    ("police", 0.28),
    ("school", 0.21),
    ("health", 0.14),
    ("local_authority", 0.11),
    ("individual", 0.08),
    ("other", 0.18),
]
RE_REFERRAL_CHAIN = 0.17
S47_SHARE = 195_000 / 633_000
S47_TO_PLAN = 0.28
DA_VIOLENT_SHARE = 0.36


def run(area: Area) -> None:
    world = area.world
    rng = area.rng("safeguarding")
    first = world.start
    while first <= world.end:
        last = min(first + 365, world.end + 1)
        mid = (first + last) // 2
        households = []
        children: list[tuple[int, int]] = []  # (pid, household)
        for hh in world.households:
            if hh.kind == "childrens_home" or hh.scripted:
                continue
            residents = world.residents(hh.hid, mid)
            if not residents:
                continue
            households.append((hh.hid, residents))
            for pid in residents:
                if world.people[pid].age_on(mid) < 18 and not world.people[pid].flags & SCRIPTED:
                    children.append((pid, hh.hid))
        for hh_id, kids in _in_care(area, mid):
            children.extend((k, hh_id) for k in kids)
        span = (last - first) / 365
        _domestic_abuse(area, rng, households, first, last, span)
        _missing(area, rng, children, first, last, span)
        _referrals(area, rng, children, first, last, span)
        first = last


def _in_care(area: Area, day: int) -> list[tuple[int, list[int]]]:
    world = area.world
    out = []
    for hh in world.households:
        if hh.kind == "childrens_home":
            kids = [p for p in world.residents(hh.hid, day) if not world.people[p].flags & SCRIPTED]
            out.append((hh.hid, kids))
    return out


def _domestic_abuse(
    area: Area,
    rng: random.Random,
    households: list[tuple[int, list[int]]],
    first: int,
    last: int,
    span: float,
) -> None:
    world = area.world
    people = world.people
    mid = (first + last) // 2
    cands = []
    for hid, residents in households:
        adults = [p for p in residents if people[p].age_on(mid) >= 18]
        kids = [p for p in residents if people[p].age_on(mid) < 18]
        pair = None
        weight = 0.0
        for a in adults:
            partner = world.current_partner(a, mid)
            if partner is not None and partner in adults:
                man, woman = (a, partner) if people[a].sex == "male" else (partner, a)
                perp, victim = (man, woman) if rng.random() < 0.8 else (woman, man)
                if people[woman].flags & DA_PRONE:
                    perp, victim = woman, man
                if people[man].flags & DA_PRONE:
                    perp, victim = man, woman
                pair = (victim, perp)
                weight = 0.3 if people[perp].flags & DA_PRONE else 0.025
                break
        if pair is None and len(adults) == 1 and kids:
            exes = [x for x in world.ex_partners(adults[0], mid) if people[x].alive_on(mid)]
            exes = [x for x in exes if people[x].homes]
            if exes:
                pair = (adults[0], exes[-1])
                weight = 0.3 if people[exes[-1]].flags & DA_PRONE else 0.02
        if pair is None and len(adults) >= 2:
            pair = (adults[0], adults[1])
            weight = 0.006
        if pair is None:
            continue
        if kids:
            weight *= 2.0
        cands.append((hid, pair, kids, weight))
    total = sum(c[3] for c in cands)
    if not total:
        return
    scale = DA_PER_HOUSEHOLD_YEAR * len(households) * span / total
    for hid, (victim, perp), kids, weight in cands:
        for _ in range(poisson(rng, weight * scale)):
            day = rng.randrange(first, last)
            if world.people[victim].household_on(day) != hid:
                continue
            da_incident(
                area,
                rng,
                victim,
                perp,
                [k for k in kids if world.people[k].household_on(day) == hid],
                day,
            )


def da_incident(
    area: Area,
    rng: random.Random,
    victim: int,
    perp: int,
    kids: list[int],
    day: int,
    severity: str | None = None,
    children_seen: bool | None = None,
    summary: str | None = None,
) -> str:
    """One police-attended domestic abuse incident; returns the incident's event id."""
    world = area.world
    juris = area.juris_of(victim, day)
    src = area.police(juris)
    vid, sid = src.person(victim, day), src.person(perp, day)
    together = world.current_partner(victim, day) == perp
    src.relate(sid, vid, "partner" if together else "ex_partner", None)
    at = minute(rng, True)
    crime = rng.random() < DA_CRIME_SHARE
    violent = crime and rng.random() < DA_VIOLENT_SHARE / DA_CRIME_SHARE
    present = bool(kids) and rng.random() < 0.72
    links = [("victim", vid), ("suspect", sid)]
    spoken = children_seen if children_seen is not None else rng.random() < 0.45
    if present and rng.random() < 0.75:
        for kid in kids:
            kid_id = src.person(kid, day)
            links.append(("present", kid_id))
            parent = "parent" if kid in world.children_of.get(victim, []) else "household_member"
            src.relate(vid, kid_id, parent, world.people[kid].dob)
    risk = severity or rng.choices(["standard", "medium", "high"], [0.62, 0.3, 0.08])[0]
    reference = src.reference(day)
    caller = vid if rng.random() < 0.7 else None
    src.event(
        "call_999" if risk != "standard" or rng.random() < 0.6 else "call_101",
        day,
        at,
        area.home(src, victim, day),
        [("caller", (caller and vid) or vid)],
        f"Call from {src.name(vid)}: partner shouting, "
        f"{'has been hit' if violent else 'frightened'}.",
        reference=reference,
    )
    if summary is None:
        them, their = ("her", "her") if world.people[victim].sex == "female" else ("him", "his")
        bits = [
            f"Officers attended. {src.name(vid)} states {src.name(sid)} became abusive after "
            "drinking.",
            f"Verbal argument between {src.name(vid)} and {src.name(sid)} over money and contact.",
            f"{src.name(vid)} reports {src.name(sid)} pushed {them} against the wall and took {their} "
            "phone.",
            f"Neighbour called hearing screaming. {src.name(vid)} says it was just an argument.",
            f"{src.name(sid)} turned up at the address refusing to leave, banging on windows.",
            f"{src.name(vid)} has a red mark to the neck, states {src.name(sid)} grabbed {them}.",
        ]
        summary = bits[rng.randrange(6) if violent else rng.choice((1, 3, 4))]
        if present:
            summary += (
                " Children in the house, spoken to and appeared settled."
                if spoken
                else " Children in the house, asleep upstairs; not spoken to."
            )
    details: dict[str, object] = {
        "children_present": present,
        "dash_risk": risk,
        "crime": crime,
        "violent": violent,
    }
    if present:
        details["children_spoken_to"] = spoken
    incident = src.event(
        "domestic_abuse",
        day,
        at + 25,
        area.home(src, victim, day),
        links,
        summary,
        None if crime else "non-crime domestic incident recorded",
        details,
        reference=reference,
    )
    if crime and rng.random() < DA_ARRESTS_PER_CRIME:
        arrest(
            area,
            src,
            rng,
            perp,
            day,
            at + 60,
            "assault (domestic)" if violent else "harassment (domestic)",
            "domestic_abuse",
            outcome=rng.choice(
                [
                    "no further action: victim does not support",
                    "charged and bailed to court",
                    "released under investigation",
                    "no further action: insufficient evidence",
                ]
            ),
        )
    if present and juris == ENGLAND:
        _encompass(area, rng, kids, day, reference)
    return incident


def _encompass(area: Area, rng: random.Random, kids: list[int], day: int, reference: str) -> None:
    """The school is told before the next school day (statutory from 7 November 2025)."""
    src = area.sources["northmoor-schools"]
    statutory = day >= 739562  # 2025-11-07
    for kid in kids:
        if 4 <= area.world.people[kid].age_on(day) <= 17 and rng.random() < (
            0.95 if statutory else 0.6
        ):
            kid_id = src.person(kid, day)
            src.event(
                "school_safeguarding_concern",
                day + 1,
                8 * 60 + rng.randrange(60),
                area.school(src, kid, day),
                [("subject", kid_id)],
                f"Operation Encompass notification from police (ref {reference}). Key adult "
                "informed; "
                "pupil to be offered a quiet check-in.",
                "monitoring",
                {"encompass": True},
            )


def _missing(
    area: Area,
    rng: random.Random,
    children: list[tuple[int, int]],
    first: int,
    last: int,
    span: float,
) -> None:
    world = area.world
    mid = (first + last) // 2
    weights = []
    for pid, hid in children:
        age = world.people[pid].age_on(mid)
        w = 1.0 if age >= 12 else 0.15 if age >= 9 else 0.0
        if world.households[hid].kind != "family":
            w *= 25  # DfE: about one looked-after child in ten goes missing in a year
        elif world.people[pid].flags & VULNERABLE:
            w *= 3
        weights.append(w)
    total = sum(weights)
    if not total:
        return
    scale = MISSING_CHILD_SHARE * len(children) * span / total
    for (pid, hid), w in zip(children, weights, strict=True):
        if w and rng.random() < w * scale:
            looked_after = world.households[hid].kind != "family"
            single = 0.35 if looked_after else 0.45
            episodes = 1 if rng.random() < single else 2 + int(rng.expovariate(1 / 3.0))
            days = sorted(rng.randrange(first, last) for _ in range(episodes))
            for day in days:
                if world.people[pid].household_on(day) is not None:
                    missing_episode(area, rng, pid, day, cse=rng.random() < 0.06)


def missing_episode(
    area: Area,
    rng: random.Random,
    pid: int,
    day: int,
    cse: bool = False,
    found_with: int | None = None,
    hours: int | None = None,
) -> str:
    world = area.world
    juris = area.juris_of(pid, day)
    src = area.police(juris)
    kid = src.person(pid, day)
    hid = world.people[pid].household_on(day)
    home = world.households[hid] if hid is not None else None
    looked_after = home is not None and home.kind != "family"
    reporter = None
    if home is not None and home.kind == "childrens_home":
        staff = world.staff.get(home.hid, [])
        reporter = staff[rng.randrange(len(staff))] if staff else None
    else:
        adults = (
            [p for p in world.residents(hid, day) if world.people[p].age_on(day) >= 18]
            if hid is not None
            else []
        )
        reporter = adults[0] if adults else None
    links = [("subject", kid)]
    if reporter is not None:
        links.append(("reporter", src.person(reporter, day)))
    at = 16 * 60 + rng.randrange(8 * 60)
    hours = hours or int(rng.expovariate(1 / 14)) + 2
    back = at + hours * 60
    risk = rng.choices(["low", "medium", "high"], [0.45, 0.45, 0.1])[0]
    details: dict[str, object] = {"risk": risk, "cse_flag": cse, "looked_after": looked_after}
    name = src.name(kid)
    in_home = home is not None and home.kind == "childrens_home"
    back_to, left, where = (
        ("to the home", "the home", "from the home") if in_home else ("home", "home", "from home")
    )
    summary = rng.choice(
        [
            f"{name} failed to return {back_to} by agreed time. Phone off. Last seen in town centre.",
            f"{name} left {left} after an argument and has not come back. Not answering calls.",
            f"{name} reported missing {where}; believed to be with friends, not known where.",
        ]
    )
    ref = src.reference(day)
    event_id = src.event(
        "missing_reported",
        day,
        at % 1440,
        area.home(src, pid, day),
        links,
        summary,
        None,
        details,
        ended=(day + back // 1440, back % 1440),
        reference=ref,
    )
    back_day = day + back // 1440
    found = [("subject", kid)]
    if found_with is not None:
        found.append(("found_with", src.person(found_with, back_day)))
    town, _ = area.town_of(pid, day)
    src.event(
        "missing_returned",
        back_day,
        back % 1440,
        area.public_place(src, rng, town, juris),
        found,
        rng.choice(
            [
                f"{name} returned of own accord, would not say where.",
                f"{name} located by officers in {town} and returned.",
                f"{name} found at a friend's address and brought home.",
            ]
        )
        + (" Found in the company of an older male." if found_with is not None else ""),
        "returned",
        {"missing_ref": ref, "cse_flag": cse},
        reference=ref,
    )
    if juris == ENGLAND and rng.random() < 0.6 and back_day + 3 <= world.end:
        csc = area.sources["northmoor-csc"]
        csc.event(
            "return_home_interview",
            back_day + rng.randint(1, 3),
            10 * 60 + rng.randrange(400),
            area.home(csc, pid, back_day),
            [("subject", csc.person(pid, back_day))],
            rng.choice(
                [
                    "Child engaged briefly, said they were 'just out with mates'.",
                    "Child declined to talk about where they had been.",
                    "Child spoke about arguments at home and feeling nobody listens.",
                ]
            ),
            rng.choice(["completed", "declined by child", "completed"]),
        )
    return event_id


def _referrals(
    area: Area,
    rng: random.Random,
    children: list[tuple[int, int]],
    first: int,
    last: int,
    span: float,
) -> None:
    from childfirst.synth.social_care import referral

    world = area.world
    mid = (first + last) // 2
    eligible = [(pid, hid) for pid, hid in children if area.juris_of(pid, mid) == ENGLAND]
    weights = [10.0 if world.people[pid].flags & VULNERABLE else 1.0 for pid, _ in eligible]
    total = sum(weights)
    if not total:
        return
    scale = REFERRALS_PER_CHILD_YEAR * (1 - RE_REFERRAL_CHAIN) * len(eligible) * span / total
    for (pid, _), w in zip(eligible, weights, strict=True):
        for _ in range(poisson(rng, w * scale)):
            day = rng.randrange(first, last)
            while day <= world.end and world.people[pid].age_on(day) < 18:
                if area.juris_of(pid, day) != ENGLAND:
                    break
                referral(area, rng, pid, day)
                if rng.random() >= RE_REFERRAL_CHAIN:
                    break
                day += rng.randrange(30, 365)

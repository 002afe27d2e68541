"""Shared pieces of the planted stories: timing, the critical incident, hospital attendances."""

from __future__ import annotations

import random

from childfirst.synth.area import Area
from childfirst.synth.sources import Source
from childfirst.synth.trajectories import Plan


def spread(rng: random.Random, begin: int, end: int, count: int) -> list[int]:
    """``count`` days between ``begin`` and ``end``, bunching towards the end (escalation)."""
    span = max(1, end - begin)
    return sorted(begin + int(span * (1 - rng.random() ** 1.8)) for _ in range(count))


def mark_critical(plan: Plan, src: Source, event_id: str) -> None:
    plan.critical_agency = src.agency.code
    plan.critical_id = event_id


def children_at_home(area: Area, plan: Plan, day: int) -> list[int]:
    world = area.world
    return [p for p in world.residents(plan.household, day) if world.people[p].age_on(day) < 18]


def emergency_visit(area: Area, rng: random.Random, pid: int, day: int, summary: str) -> str:
    health = area.sources["northmoor-health"]
    return health.event(
        "emergency_department_attendance",
        day,
        (21 * 60 + rng.randrange(180)) % 1440,
        area.hospital(health, area.juris_of(pid, day)),
        [("subject", health.person(pid, day))],
        summary,
        "admitted",
        {"safeguarding_referral": True},
    )


def pronouns(area: Area, pid: int) -> tuple[str, str]:
    """Subject and object pronouns for a person, as a log would use them."""
    return ("she", "her") if area.world.people[pid].sex == "female" else ("he", "him")

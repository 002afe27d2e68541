"""Domestic abuse: a pattern with cumulative impact on the children, and their school told."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import (
    NEXT_SCHOOL_DAY,
    ActionSpec,
    Finding,
    Parameter,
    Rule,
    Severity,
    within,
)

DA = frozenset({EventType.DOMESTIC_ABUSE})


def _household_incidents(case: Case, window: timedelta) -> list[EventView]:
    """Domestic abuse incidents in the window involving the child or the adults around the child."""
    people = {case.child.key} | {c.person.key for c in case.adults_around()}
    found: dict[str, EventView] = {}
    for key in people:
        for event in case.events(key, DA, within=window):
            found[event.id] = event
    return sorted(found.values(), key=lambda e: e.order)


def _pattern(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    window = timedelta(days=settings["window_days"])
    incidents = _household_incidents(case, window)
    if case.trigger.id not in {e.id for e in incidents}:
        return
    if len(incidents) < settings["incidents"]:
        return
    unseen = [e for e in incidents if not e.details.get("children_spoken_to", False)]
    severity = Severity.HIGH
    if len(incidents) >= settings["escalate_at"] or any(
        e.details.get("violent") for e in incidents
    ):
        severity = Severity.CRITICAL
    months = round(settings["window_days"] / 30.4)
    dates = ", ".join(e.day.isoformat() for e in incidents)
    explanation = (
        f"{case.child.name} (aged {case.age()}) lives with {len(incidents)} domestic abuse "
        f"incidents in {months} months ({dates}); the child was not recorded as spoken to at "
        f"{len(unseen)} of them. Taken together this is a pattern of abuse the child lives with, "
        "not a series of separate call-outs."
    )
    yield Finding(
        key="pattern",
        evidence=tuple(e.id for e in incidents),
        explanation=explanation,
        severity=severity,
    )


REPEAT_DOMESTIC_ABUSE = Rule(
    id="domestic-abuse.cumulative-pattern",
    title="Repeated domestic abuse in a child's household",
    description=(
        "Counts the domestic abuse incidents involving the child or the adults the child lives "
        "with over a rolling window. From the second incident it raises one concern for the child "
        "that grows with each new incident, so the child's cumulative experience is assessed "
        "rather than each call-out on its own; it becomes critical when incidents keep coming or "
        "any involved violence."
    ),
    learning=("KI-03.0", "KI-03.2", "KI-05.2", "LP-01.1", "REF-MARAC"),
    severity=Severity.HIGH,
    triggers=DA,
    check=_pattern,
    parameters=(
        Parameter("incidents", 2, "incidents in the window before the pattern is raised"),
        Parameter("window_days", 365, "length of the rolling window, in days"),
        Parameter("escalate_at", 3, "incidents in the window at which the concern is critical"),
    ),
    actions=(
        ActionSpec(
            "Assess the cumulative impact on the child and consider a referral to children's "
            "social care and MARAC",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
        ActionSpec(
            "Make sure the child is seen and spoken to alone by a professional",
            Role.PUBLIC_PROTECTION,
            within(72),
        ),
    ),
)


def _encompass(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    age = case.age()
    if age is None or not (settings["from_age"] <= age <= 17):
        return
    event = case.trigger
    yield Finding(
        key=f"event:{event.id}",
        evidence=(event.id,),
        explanation=(
            f"Police attended the {event.label} and {case.child.name} (aged {age}) is connected "
            "to it, so the child's school must be told before the next school day starts."
        ),
    )


OPERATION_ENCOMPASS = Rule(
    id="domestic-abuse.operation-encompass",
    title="Tell the child's school after a domestic abuse incident",
    description=(
        "For every police-attended domestic abuse incident connected to a child of school age, "
        "the child's school (or the local authority, for a child educated at home) is notified "
        "before 09:00 on the next school day, so that staff can support the child that day."
    ),
    learning=("REF-ENCOMPASS", "LP-06.1", "KI-03.2"),
    severity=Severity.MEDIUM,
    triggers=DA,
    check=_encompass,
    parameters=(Parameter("from_age", 4, "youngest age notified (reception class)"),),
    actions=(
        ActionSpec(
            "Notify the child's school (Operation Encompass)",
            Role.PUBLIC_PROTECTION,
            NEXT_SCHOOL_DAY,
        ),
    ),
)

RULES = (REPEAT_DOMESTIC_ABUSE, OPERATION_ENCOMPASS)

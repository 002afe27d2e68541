"""Looked-after children: behaviour at the placement reported to the police as a crime.

Children in care, above all in children's homes, are drawn into the justice system for incidents
that a family would have dealt with at home. When a looked-after child is recorded as the suspect in a
minor incident reported by the placement, or happening there, the response is reviewed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType, RelationshipType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

INCIDENTS = frozenset(
    {
        EventType.CRIMINAL_DAMAGE,
        EventType.PUBLIC_ORDER,
        EventType.VIOLENCE,
        EventType.ANTISOCIAL_BEHAVIOUR,
    }
)
SERIOUS = re.compile(
    r"wound|grievous|gbh|severe|s18|s20|rape|sexual|robbery|weapon|knife|arson|stab", re.I
)
PLACEMENT_WORDS = re.compile(
    r"\b(staff|children'?s home|care home|residential|foster carers?|key ?worker|placement)\b",
    re.I,
)
RESIDENTIAL = re.compile(r"children'?s home|care home|residential", re.I)
CARE_TIES = frozenset({RelationshipType.CARER, RelationshipType.FOSTER_CARER})
STATUS_TYPES = frozenset(
    {EventType.LOOKED_AFTER_STARTED, EventType.PLACEMENT_CHANGE, EventType.LOOKED_AFTER_ENDED}
)


def is_looked_after(case: Case) -> EventView | None:
    """The latest record showing the child looked after, unless a later one shows they are not.

    Looked-after status is read from the social care events when they are linked to the child, and
    otherwise from a ``looked_after`` flag that police records such as missing reports carry. The
    type of the child's address (a children's home) would be the surest sign, but the rules are not
    given address types.
    """
    for event in reversed(case.events()):
        if event.type in STATUS_TYPES:
            return None if event.type is EventType.LOOKED_AFTER_ENDED else event
        flag = event.details.get("looked_after")
        if isinstance(flag, bool):
            return event if flag else None
    return None


def _names_residential(event: EventView) -> bool:
    """Whether the record itself says the child lives in a children's home or residential care."""
    reported = event.details.get("reported_by")
    texts = (event.summary, reported if isinstance(reported, str) else None)
    return any(RESIDENTIAL.search(text) for text in texts if text)


def _from_placement(case: Case, event: EventView) -> str | None:
    """How the incident is tied to the child's placement, if it is."""
    reported = event.details.get("reported_by")
    if isinstance(reported, str) and PLACEMENT_WORDS.search(reported):
        return f"reported by {reported}"
    carers = {
        (t.person if t.other == case.child.key else t.other)
        for t in case.history.ties.get(case.child.key, [])
        if t.kind in CARE_TIES and t.active(case.day)
    }
    for who in event.people("caller", "reporter"):
        if who in carers:
            return f"reported by the child's carer {case.name(who)}"
    if event.summary and PLACEMENT_WORDS.search(event.summary):
        return "reported by the placement"
    if case.lives_at(event.location_id):
        return "at the child's placement"
    return None


def _placement_incident(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or "suspect" not in event.roles_of(case.child.key):
        return
    offence = event.details.get("offence")
    if event.details.get("injury") == "serious" or any(
        SERIOUS.search(text) for text in (offence, event.summary) if isinstance(text, str)
    ):
        return
    how = _from_placement(case, event)
    if how is None:
        return
    status = is_looked_after(case)
    if status is not None:
        known = f"a looked-after child (see the {status.label})"
    elif _names_residential(event):
        known = "a child living in residential care, as the record says"
    else:
        return
    window = timedelta(days=settings["repeat_window_days"])
    before = [
        e
        for e in case.events(types=INCIDENTS, within=window)
        if e.id != event.id
        and "suspect" in e.roles_of(case.child.key)
        and _from_placement(case, e) is not None
    ]
    repeated = len(before) + 1 >= settings["repeat_count"]
    days = int(settings["repeat_window_days"])
    count = (
        f" It is the child's incident number {len(before) + 1} of this kind in {days} days."
        if repeated
        else ""
    )
    yield Finding(
        key=f"event:{event.id}",
        evidence=(
            *((status.id,) if status is not None else ()),
            *(e.id for e in before),
            event.id,
        ),
        explanation=(
            f"{case.child.name} (aged {case.age()}), {known}, "
            f"is recorded as the suspect in the {event.label}, {how}. Would this have been "
            f"handled at home for a child living with their family?{count}"
        ),
        severity=Severity.HIGH if repeated else None,
    )


PLACEMENT_INCIDENT = Rule(
    id="looked-after.placement-incident-criminalised",
    title="A looked-after child is reported to the police by the placement",
    description=(
        "When a child in care (known from care records linked to the child, a looked-after flag on "
        "a police record, or a record that itself names a children's home or residential staff) "
        "is recorded as the suspect in criminal damage, a public order "
        "offence, a minor assault or anti-social behaviour that the placement reported or that "
        "happened at the placement, a supervisor checks whether the police response is what a "
        "child living with their family would have received, and the child's social worker and "
        "the placement agree how such incidents will be handled. Repeated incidents raise the "
        "severity."
    ),
    learning=("KI-10.2", "LP-01.0", "KI-03.1"),
    severity=Severity.MEDIUM,
    triggers=INCIDENTS,
    check=_placement_incident,
    actions=(
        ActionSpec(
            "Review whether a police response was needed, and avoid criminalising the child for "
            "behaviour the placement can manage",
            Role.SUPERVISOR,
            within(72),
        ),
        ActionSpec(
            "Agree with the placement how incidents will be handled, and review the care plan",
            Role.CHILDRENS_SOCIAL_CARE,
            within(24 * 7),
        ),
    ),
    parameters=(
        Parameter("repeat_window_days", 365, "The period (days) over which incidents are counted."),
        Parameter(
            "repeat_count", 3, "How many placement incidents in the period make it a pattern."
        ),
    ),
)

RULES = (PLACEMENT_INCIDENT,)
"""The looked-after children rules."""

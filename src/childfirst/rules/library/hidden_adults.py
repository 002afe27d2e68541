"""Hidden adults: an adult with a history of violence lives with, or is close to, a child.

Adults who have been violent to other adults are rarely seen as a risk to the children they live with,
and the police may be the only agency that knows their history. Until records are linked, the same
adult can sit under different records in different forces, so a history held by another force only
counts once the records have been joined up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Parameter, Rule, Severity, within

VIOLENT_TYPES = frozenset({EventType.VIOLENCE, EventType.DOMESTIC_ABUSE, EventType.SEXUAL_OFFENCE})
SAME_INCIDENT = VIOLENT_TYPES | {EventType.ARREST}
CAN_BE_VIOLENT = VIOLENT_TYPES | {EventType.ARREST, EventType.CUSTODY_DETENTION}
# Events that can be new violence by an adult outside the home's own domestic abuse.
NEW_VIOLENCE = (VIOLENT_TYPES - {EventType.DOMESTIC_ABUSE}) | {
    EventType.ARREST,
    EventType.CUSTODY_DETENTION,
}
VIOLENT_OFFENCE = re.compile(
    r"assault|wound|grievous|gbh|abh|murder|manslaughter|rape|sexual|cruelty|stab|strangl|"
    r"weapon|knife|violen|battery|affray|robbery",
    re.I,
)
PHYSICAL = re.compile(
    r"\b(?:hit|punch\w*|kick\w*|slap\w*|push\w*|grabb\w*|choke\w*|throttl\w*|injur\w*)\b", re.I
)
VIOLENT_GROUPS = frozenset({"violence", "sexual_offence", "sexual"})
CHILD_EVENTS = frozenset(
    {
        EventType.CONCERN_FOR_CHILD,
        EventType.WELFARE_CHECK,
        EventType.CALL_999,
        EventType.CALL_101,
        EventType.MISSING_REPORTED,
        EventType.REFERRAL,
        EventType.CHILD_IN_NEED_ASSESSMENT,
        EventType.SCHOOL_SAFEGUARDING_CONCERN,
        EventType.HEALTH_SAFEGUARDING_CONCERN,
        EventType.EMERGENCY_DEPARTMENT_ATTENDANCE,
        EventType.BIRTH,
    }
)


def is_violent(event: EventView, key: str) -> bool:
    """Whether the event records ``key`` as the one who was violent."""
    if event.type not in CAN_BE_VIOLENT:
        return False
    roles = event.roles_of(key)
    if event.type is EventType.DOMESTIC_ABUSE and "suspect" in roles:
        # Domestic abuse counts as violence when it is recorded as violent, or when the flag is
        # absent and the words of the record describe violence.
        flag = event.details.get("violent")
        if isinstance(flag, bool):
            return flag
        offence = event.details.get("offence")
        texts = (event.summary, offence if isinstance(offence, str) else None)
        return any(VIOLENT_OFFENCE.search(t) or PHYSICAL.search(t) for t in texts if t)
    if event.type in VIOLENT_TYPES and "suspect" in roles:
        return True
    if event.type in (EventType.ARREST, EventType.CUSTODY_DETENTION) and roles & {
        "suspect",
        "detainee",
    }:
        offence = event.details.get("offence")
        return (
            event.details.get("violent") is True
            or event.details.get("offence_group") in VIOLENT_GROUPS
            or (isinstance(offence, str) and VIOLENT_OFFENCE.search(offence) is not None)
        )
    return False


def _history(case: Case, key: str, settings: Mapping[str, float]) -> list[EventView]:
    return case.marked(key, is_violent, within=timedelta(days=settings["lookback_days"]))


def _around(case: Case) -> dict[str, str]:
    """The adults around the child on the day of the case's event, and how."""
    around = {c.person.key: c.how for c in case.adults_around()}
    for key in case.history.associates(case.child.key, case.day):
        person = case.person(key)
        if person is not None and not person.is_child_on(case.day):
            around.setdefault(key, "associate")
    return around


def _already_seen(case: Case, key: str, settings: Mapping[str, float]) -> bool:
    """Whether the child's previous event already had this adult, with this history, around them."""
    earlier = [e for e in case.events() if e.id != case.trigger.id]
    if not earlier:
        return False
    previous = Case(case.child, earlier[-1], case.history, case.calendar)
    return key in _around(previous) and bool(_history(previous, key, settings))


def _new_violence(case: Case, key: str) -> bool:
    """Whether the event is new violence by the adult, counted once per incident.

    A domestic abuse incident is left to the domestic abuse rules (it still counts as history
    here), and an arrest or detention within a day of an incident in which the adult was already
    recorded as the suspect is the same incident.
    """
    event = case.trigger
    if event.type is EventType.DOMESTIC_ABUSE or not is_violent(event, key):
        return False
    if event.type in (EventType.ARREST, EventType.CUSTODY_DETENTION):
        return not any(
            e.id != event.id and "suspect" in e.roles_of(key)
            for e in case.events(key, types=SAME_INCIDENT, within=timedelta(hours=24))
        )
    return True


def _violent_adult_around(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day):
        return
    child_linked = case.child.key in event.people()
    if not child_linked and event.type not in NEW_VIOLENCE:
        return  # neither new violence by an adult nor the child coming to notice
    if not case.anyone_near_marked(is_violent, within=timedelta(days=settings["lookback_days"])):
        return  # nobody who could be around the child has any violence on record
    around = _around(case)
    for key, how in sorted(around.items()):
        new = _new_violence(case, key)
        if not new and not child_linked:
            continue
        history = _history(case, key, settings)
        if not new:  # the child comes to notice: only violence known before now counts
            history = [e for e in history if e.id != event.id]
        if len(history) < settings["min_events"]:
            continue
        if not new and _already_seen(case, key, settings):  # the costliest test, so last
            continue
        against_child = any(
            (victim := case.person(v)) is not None and victim.is_child_on(e.day)
            for e in history
            for v in e.people("victim")
        )
        shown = "; ".join(e.label for e in history[-4:])
        more = f" and {len(history) - 4} earlier" if len(history) > 4 else ""
        yield Finding(
            key=f"adult:{key}",
            evidence=tuple(e.id for e in history),
            explanation=(
                f"{case.name(key)} ({how}) is around {case.child.name} (aged {case.age()}) and has "
                f"a recorded history of violence: {shown}{more}. Consider the risk to the child "
                "and share what is known."
            ),
            severity=Severity.CRITICAL if against_child else None,
        )


VIOLENT_ADULT_AROUND_CHILD = Rule(
    id="hidden-adults.violent-adult-around-child",
    title="An adult with a history of violence is in a child's life",
    description=(
        "When an adult who lives with a child, is the partner of the child's carer, or is recorded "
        "as the child's associate has a history of violence towards anyone (as the suspect in "
        "violence, domestic abuse or a sexual offence, or arrested for a violent offence), that "
        "history is treated as a risk to the child. The check runs when the adult is involved in "
        "new violence outside the home's own domestic abuse (which the domestic abuse rules "
        "handle), and when the child first comes to notice with that adult around them. Records "
        "held by another force count only once the two records of the adult have been linked."
    ),
    learning=("KI-05.1", "KI-06.2", "LP-01.1", "KI-06.4"),
    severity=Severity.HIGH,
    triggers=VIOLENT_TYPES
    | CHILD_EVENTS
    | frozenset({EventType.ARREST, EventType.CUSTODY_DETENTION}),
    check=_violent_adult_around,
    actions=(
        ActionSpec(
            "Share the adult's violent history with children's social care and the child's "
            "health visitor or school",
            Role.PUBLIC_PROTECTION,
            within(24),
        ),
        ActionSpec(
            "Assess the risk the adult poses to the child and whether the child is safe at home",
            Role.CHILDRENS_SOCIAL_CARE,
            within(72),
        ),
    ),
    parameters=(
        Parameter("lookback_days", 3650, "How far back (days) the adult's violence is counted."),
        Parameter("min_events", 1, "How many violent events make a history worth raising."),
    ),
)

RULES = (VIOLENT_ADULT_AROUND_CHILD,)
"""The hidden adults rules."""

"""Harmful sexual behaviour: a young person suspected of a sexual offence, and the children near them.

Reluctance to criminalise a young person is right, but it has left other children exposed. Whether or
not there is a prosecution, the safety of the victim and of the children the young person lives with
is assessed, and the young person's own needs with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from childfirst.domain.roles import Role
from childfirst.domain.vocab import EventType
from childfirst.rules.case import Case, EventView
from childfirst.rules.model import ActionSpec, Finding, Rule, Severity, within

SEXUAL = re.compile(r"sexual|rape|indecen|voyeur|grooming|exposure|image", re.I)


def is_sexual(event: EventView) -> bool:
    if event.type is EventType.SEXUAL_OFFENCE:
        return True
    offence = event.details.get("offence")
    group = event.details.get("offence_group")
    return group in ("sexual", "sexual_offence") or (
        isinstance(offence, str) and SEXUAL.search(offence) is not None
    )


def _young_suspect(case: Case, settings: Mapping[str, float]) -> Iterator[Finding]:
    event = case.trigger
    if not case.child.is_child_on(case.day) or not is_sexual(event):
        return
    for suspect in sorted(set(event.people("suspect", "detainee"))):
        person = case.person(suspect)
        if person is None or not person.is_child_on(case.day):
            continue
        roles = event.roles_of(case.child.key)
        if suspect == case.child.key:
            how = "is the suspect; their own needs and the safety of other children are assessed"
        elif "victim" in roles:
            how = "is the victim"
        elif case.child.key in case.history.household(suspect, case.day):
            how = "lives with the young person"
        else:
            continue
        outcome = f' The record closes as "{event.outcome}".' if event.outcome else ""
        yield Finding(
            key=f"young-suspect:{suspect}",
            evidence=(event.id,),
            explanation=(
                f"{case.name(suspect)} (aged {case.age(suspect)}) is the suspect in the "
                f"{event.label}, and {case.child.name} (aged {case.age()}) {how}.{outcome} Assess "
                "the safety of the children around the young person, whether or not there is a "
                "prosecution."
            ),
        )


YOUNG_SUSPECT = Rule(
    id="harmful-sexual-behaviour.young-suspect",
    title="A young person is suspected of a sexual offence",
    description=(
        "When someone under 18 is recorded as the suspect in a sexual offence, a concern is raised "
        "for the victim, for the children the young person lives with, and for the young person, "
        "whatever the decision about prosecution. Children's social care and the police agree a "
        "safety plan for the other children and an assessment of the young person's behaviour "
        "and needs."
    ),
    learning=("KI-10.3", "LP-01.0", "KI-08.1"),
    severity=Severity.HIGH,
    triggers=frozenset(
        {
            EventType.SEXUAL_OFFENCE,
            EventType.ARREST,
            EventType.CUSTODY_DETENTION,
            EventType.DISCLOSURE,
            EventType.CONCERN_FOR_CHILD,
        }
    ),
    check=_young_suspect,
    actions=(
        ActionSpec("Hold a strategy discussion", Role.PUBLIC_PROTECTION, within(24)),
        ActionSpec(
            "Put a safety plan in place for the victim and the children living with the young "
            "person, and assess the young person's behaviour and needs",
            Role.CHILDRENS_SOCIAL_CARE,
            within(72),
        ),
    ),
)

RULES = (YOUNG_SUSPECT,)
"""The harmful sexual behaviour rules."""
